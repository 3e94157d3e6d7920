#if canImport(Glibc)
import Glibc
#endif

/// Appends JSON text to a byte buffer without building an intermediate tree.
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    /// True once a string with a NUL character was written (as `\u0000`).
    public private(set) var containsNUL = false
    /// Doubles every backslash, so the JSON can go straight into a PostgreSQL COPY text row.
    private var escapesForCOPY = false

    public init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    /// Appends to `buffer`, which the writer holds (without copying) until ``handBack(to:)``.
    /// With `escapingForCOPY`, backslashes are doubled as PostgreSQL's COPY text format needs.
    public init(takingOver buffer: inout [UInt8], escapingForCOPY: Bool) {
        swap(&bytes, &buffer)
        escapesForCOPY = escapingForCOPY
    }

    /// Returns the buffer taken over by ``init(takingOver:escapingForCOPY:)``.
    public mutating func handBack(to buffer: inout [UInt8]) {
        swap(&bytes, &buffer)
    }

    public var string: String { String(decoding: bytes, as: UTF8.self) }

    public mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    public mutating func raw(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    public mutating func byte(_ value: UInt8) {
        bytes.append(value)
    }

    /// Writes a quoted, escaped JSON string.
    public mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        let appended: Void? = text.utf8.withContiguousStorageIfAvailable { appendEscaped($0) }
        if appended == nil {
            var copy = text
            copy.withUTF8 { appendEscaped($0) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Writes a quoted, escaped JSON string from UTF-8 bytes; invalid UTF-8 is repaired (each bad
    /// sequence becomes U+FFFD), as `String(decoding:as:)` does.
    public mutating func string(utf8: UnsafeBufferPointer<UInt8>) {
        guard Self.isASCII(utf8) || String(validating: utf8, as: UTF8.self) != nil else {
            string(String(decoding: utf8, as: UTF8.self))
            return
        }
        bytes.append(UInt8(ascii: "\""))
        appendEscaped(utf8)
        bytes.append(UInt8(ascii: "\""))
    }

    /// Writes a quoted, escaped JSON string from a NUL-terminated C string (`""` for `nil`).
    public mutating func string(cString: UnsafePointer<CChar>?) {
        guard let cString else { return raw("\"\"") }
        let start = UnsafeRawPointer(cString).assumingMemoryBound(to: UInt8.self)
        // Most strings are short plain ASCII: one scan finds the end, then one copy.
        let plain = CStringScan.plainPrefix(start)
        if plain.endsString { return appendQuoted(start, plain.length, prefix: nil, suffix: nil) }
        string(utf8: UnsafeBufferPointer(start: start, count: plain.length + strlen(cString + plain.length)))
    }

    /// Writes an object member's name from a NUL-terminated C string, with the `,` before it
    /// unless it is the object's first member, and the `:` after it.
    public mutating func memberName(cString: UnsafePointer<CChar>?, first: Bool) {
        let comma: UInt8? = first ? nil : UInt8(ascii: ",")
        if let cString {
            let start = UnsafeRawPointer(cString).assumingMemoryBound(to: UInt8.self)
            let plain = CStringScan.plainPrefix(start)
            if plain.endsString { return appendQuoted(start, plain.length, prefix: comma, suffix: UInt8(ascii: ":")) }
        }
        if let comma { byte(comma) }
        string(cString: cString)
        byte(UInt8(ascii: ":"))
    }

    /// Appends `prefix`, then `"`, `length` plain bytes from `start` and `"`, then `suffix`, in one
    /// write into the buffer.
    @inline(__always)
    private mutating func appendQuoted(_ start: UnsafePointer<UInt8>, _ length: Int, prefix: UInt8?, suffix: UInt8?) {
        appendInPlace(maxCount: length + 4) { output in
            var count = 0
            if let prefix { output[0] = prefix; count = 1 }
            output[count] = UInt8(ascii: "\"")
            (output + count + 1).update(from: start, count: length)
            count += length + 1
            output[count] = UInt8(ascii: "\"")
            count += 1
            if let suffix { output[count] = suffix; count += 1 }
            return count
        }
    }

    @inline(__always)
    mutating func appendInPlace(maxCount: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        bytes.appendInPlace(maxCount: maxCount, body)
    }

    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        if let base = bytes.baseAddress {
            while index + 8 <= bytes.count {
                if UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
                index += 8
            }
        }
        while index < bytes.count {
            if bytes[index] >= 0x80 { return false }
            index += 1
        }
        return true
    }

    /// Whether any of the eight bytes of `word` is a control character, `"` or `\`: a test of
    /// eight bytes at once that may answer true for a plain byte above a flagged one, never false
    /// for a flagged one.
    @inline(__always)
    static func mayNeedEscaping(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ v: UInt64) -> Bool { (v &- ones) & ~v & highs != 0 }
        let below0x20 = (word &- 0x20 &* ones) & ~word & highs != 0
        return below0x20 || hasZeroByte(word ^ (0x22 &* ones)) || hasZeroByte(word ^ (0x5C &* ones))
    }

    private mutating func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        // Copy runs of plain bytes at once; stop only at bytes JSON must escape. Plain stretches
        // are skipped eight bytes at a time.
        var runStart = 0
        var index = 0
        let count = utf8.count
        while index < count {
            if index + 8 <= count, let base = utf8.baseAddress {
                let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
                if !Self.mayNeedEscaping(word) {
                    index += 8
                    continue
                }
            }
            let byte = utf8[index]
            defer { index += 1 }
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            if runStart < index { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index])) }
            runStart = index + 1
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): escape(byte)
            case 0x0A: escape(UInt8(ascii: "n"))
            case 0x0D: escape(UInt8(ascii: "r"))
            case 0x09: escape(UInt8(ascii: "t"))
            default:
                if byte == 0 { containsNUL = true }
                escape(UInt8(ascii: "u"))
                bytes.append(UInt8(ascii: "0"))
                bytes.append(UInt8(ascii: "0"))
                bytes.append(Self.hexDigits[Int(byte >> 4)])
                bytes.append(Self.hexDigits[Int(byte & 0xF)])
            }
        }
        if runStart < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// A backslash escape: `\` then `character`, with the backslash itself escaped for COPY when asked.
    private mutating func escape(_ character: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        if escapesForCOPY {
            bytes.append(UInt8(ascii: "\\"))
            if character == UInt8(ascii: "\\") { bytes.append(UInt8(ascii: "\\")) }
        }
        bytes.append(character)
    }

    public mutating func integer(_ value: some BinaryInteger) {
        DecimalDigits.append(value, to: &bytes)
    }

    // Concrete overloads: the generic version is not specialized across modules.
    public mutating func integer(_ value: Int64) { DecimalDigits.append(value, to: &bytes) }
    public mutating func integer(_ value: Int) { DecimalDigits.append(Int64(value), to: &bytes) }
    public mutating func integer(_ value: Int32) { DecimalDigits.append(Int64(value), to: &bytes) }
    public mutating func integer(_ value: UInt32) { DecimalDigits.append(Int64(value), to: &bytes) }

    /// Writes a 64-bit integer as a JSON string, as the protobuf JSON mapping does.
    public mutating func quotedInteger(_ value: some BinaryInteger) {
        bytes.append(UInt8(ascii: "\""))
        DecimalDigits.append(value, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    public mutating func bool(_ value: Bool) {
        value ? raw("true") : raw("false")
    }

    /// Writes a finite double in its shortest round-trip form; NaN and infinities as the strings
    /// "NaN", "Infinity" and "-Infinity", as the protobuf JSON mapping does.
    public mutating func double(_ value: Double) {
        if value.isNaN { raw("\"NaN\""); return }
        if value.isInfinite { value < 0 ? raw("\"-Infinity\"") : raw("\"Infinity\""); return }
        if shortDecimal(value) { return }
        bytes.append(contentsOf: value.description.utf8)
    }

    /// Writes `value` wrapped in an object: `{"key": …}` helpers keep call sites short.
    public mutating func key(_ name: String) {
        string(name)
        bytes.append(UInt8(ascii: ":"))
    }
}

/// Decimal formatting straight into a byte buffer, without a temporary `String`.
public enum DecimalDigits {
    @inlinable
    public static func append(_ value: some BinaryInteger, to bytes: inout [UInt8]) {
        if let small = Int64(exactly: value) {
            append(small, to: &bytes)
        } else if let large = UInt64(exactly: value) {
            append(large, to: &bytes)
        } else {
            bytes.append(contentsOf: String(value).utf8)
        }
    }

    public static func append(_ value: Int64, to bytes: inout [UInt8]) {
        bytes.appendInPlace(maxCount: 20) { write(value, to: $0) }
    }

    public static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        bytes.appendInPlace(maxCount: 20) { write(value, to: $0) }
    }

    /// Writes the digits of `value` (with a leading `-` when negative) at `out`, which has room
    /// for 20 bytes; returns how many were written.
    @inline(__always)
    public static func write(_ value: Int64, to out: UnsafeMutablePointer<UInt8>) -> Int {
        guard value < 0 else { return write(UInt64(value), to: out) }
        out[0] = UInt8(ascii: "-")
        return 1 + write(value.magnitude, to: out + 1)
    }

    /// Writes the digits of `value` at `out`, which has room for 20 bytes; returns how many were written.
    @inline(__always)
    public static func write(_ value: UInt64, to out: UnsafeMutablePointer<UInt8>) -> Int {
        var magnitude = value
        if magnitude < 10 {
            out[0] = UInt8(ascii: "0") + UInt8(magnitude)
            return 1
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // room for 20 digits
        var count = 0
        return withUnsafeMutableBytes(of: &digits) { buffer in
            // Two digits per division, from the last digit back.
            while magnitude >= 100 {
                let pair = magnitude % 100
                magnitude /= 100
                buffer[19 - count] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: pair % 10)
                buffer[18 - count] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: pair / 10)
                count += 2
            }
            if magnitude >= 10 {
                buffer[19 - count] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: magnitude % 10)
                buffer[18 - count] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: magnitude / 10)
                count += 2
            } else if magnitude > 0 {
                buffer[19 - count] = UInt8(ascii: "0") + UInt8(magnitude)
                count += 1
            }
            UnsafeMutableRawPointer(out).copyMemory(from: buffer.baseAddress! + (20 - count), byteCount: count)
            return count
        }
    }
}
