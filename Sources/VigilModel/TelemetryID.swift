/// A 16-byte W3C trace ID.
public struct TraceID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var high: UInt64
    public var low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Makes a trace ID from exactly 16 bytes; `nil` for any other length.
    public init?<Bytes: Collection>(bytes: Bytes) where Bytes.Element == UInt8 {
        guard bytes.count == 16 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (index, byte) in bytes.enumerated() {
            if index < 8 { high = high << 8 | UInt64(byte) } else { low = low << 8 | UInt64(byte) }
        }
        self.init(high: high, low: low)
    }

    /// Makes a trace ID from exactly 16 bytes in memory; `nil` for any other length.
    public init?(_ buffer: UnsafeBufferPointer<UInt8>) {
        guard buffer.count == 16 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for index in 0..<8 { high = high << 8 | UInt64(buffer[index]) }
        for index in 8..<16 { low = low << 8 | UInt64(buffer[index]) }
        self.init(high: high, low: low)
    }

    /// Parses 32 hexadecimal digits (either case).
    public init?(hex: some StringProtocol) {
        guard hex.utf8.count == 32, let bytes = HexCoding.decode(hex) else { return nil }
        self.init(bytes: bytes)
    }

    /// True for the all-zero ID, which OTLP defines as invalid.
    public var isZero: Bool { high == 0 && low == 0 }

    public var bytes: [UInt8] { HexCoding.bigEndianBytes(high) + HexCoding.bigEndianBytes(low) }

    /// Lower-case hexadecimal, 32 digits.
    public var hex: String { HexCoding.encode(bytes) }
    public var description: String { hex }

    public static func < (lhs: TraceID, rhs: TraceID) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }
}

/// An 8-byte span ID.
public struct SpanID: Sendable, Hashable, CustomStringConvertible {
    public var value: UInt64

    public init(_ value: UInt64) { self.value = value }

    /// Makes a span ID from exactly 8 bytes; `nil` for any other length.
    public init?<Bytes: Collection>(bytes: Bytes) where Bytes.Element == UInt8 {
        guard bytes.count == 8 else { return nil }
        self.value = bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// Makes a span ID from exactly 8 bytes in memory; `nil` for any other length.
    public init?(_ buffer: UnsafeBufferPointer<UInt8>) {
        guard buffer.count == 8 else { return nil }
        var value: UInt64 = 0
        for index in 0..<8 { value = value << 8 | UInt64(buffer[index]) }
        self.value = value
    }

    /// Parses 16 hexadecimal digits (either case).
    public init?(hex: some StringProtocol) {
        guard hex.utf8.count == 16, let bytes = HexCoding.decode(hex) else { return nil }
        self.init(bytes: bytes)
    }

    public var isZero: Bool { value == 0 }
    public var bytes: [UInt8] { HexCoding.bigEndianBytes(value) }
    public var hex: String { HexCoding.encode(bytes) }
    public var description: String { hex }
}

/// Hexadecimal encoding of byte strings, as OTLP/JSON writes trace and span IDs.
public enum HexCoding {
    private static let digits = Array("0123456789abcdef".utf8)

    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes an even number of hex digits; `nil` on any other character.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = value(of: utf8[index]), let low = value(of: utf8[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    /// Appends the 16 lower-case hex digits of `value` (big-endian byte order).
    public static func appendHex(_ value: UInt64, to out: inout [UInt8]) {
        out.appendInPlace(maxCount: 16) { pointer in
            for index in 0..<16 {
                let nibble = UInt8(truncatingIfNeeded: value >> (60 - 4 * UInt64(index))) & 0xf
                pointer[index] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") - 10 + nibble
            }
            return 16
        }
    }

    static func bigEndianBytes(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) }
    }

    private static func value(of digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
