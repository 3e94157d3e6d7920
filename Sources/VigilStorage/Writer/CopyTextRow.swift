import VigilModel

/// Builds rows in PostgreSQL's COPY text format: tab-separated fields, `\N` for NULL, backslash
/// escapes for tab, newline, carriage return and backslash.
struct CopyTextRow {
    private(set) var bytes: [UInt8] = []
    private var fieldCount = 0
    /// Set when a value held a NUL character, which PostgreSQL text and jsonb cannot store.
    private(set) var containsNUL = false

    init(capacity: Int = 512) {
        bytes.reserveCapacity(capacity)
    }

    private mutating func separator() {
        if fieldCount > 0 { bytes.append(0x09) }
        fieldCount += 1
    }

    mutating func null() {
        separator()
        bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "N"))
    }

    mutating func text(_ value: String) {
        separator()
        var value = value
        value.withUTF8 { appendEscaped($0) }
    }

    mutating func optionalText(_ value: String?) {
        guard let value else { return null() }
        text(value)
    }

    /// A JSON document produced by ``JSONWriter``.
    mutating func json(_ document: [UInt8]) {
        separator()
        document.withUnsafeBufferPointer { appendEscaped($0) }
        // JSONWriter writes a NUL as \u0000, which jsonb rejects.
        if !containsNUL, NULCharacter.isIn(json: document) { containsNUL = true }
    }

    mutating func integer(_ value: some BinaryInteger) {
        separator()
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func optionalInteger(_ value: (some BinaryInteger)?) {
        guard let value else { return null() }
        integer(value)
    }

    mutating func double(_ value: Double) {
        separator()
        appendDouble(value)
    }

    mutating func optionalDouble(_ value: Double?) {
        guard let value else { return null() }
        double(value)
    }

    mutating func bool(_ value: Bool) {
        separator()
        bytes.append(value ? UInt8(ascii: "t") : UInt8(ascii: "f"))
    }

    mutating func optionalBool(_ value: Bool?) {
        guard let value else { return null() }
        bool(value)
    }

    /// `bytea` in hex form (`\x0a1b…`, with the backslash escaped for COPY).
    mutating func bytea(_ value: [UInt8]) {
        separator()
        bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "x"))
        bytes.append(contentsOf: HexCoding.encode(value).utf8)
    }

    mutating func timestamp(unixNano: Int64) {
        separator()
        CivilTime.appendTimestamp(unixNano: unixNano, to: &bytes)
    }

    /// A one-dimensional array literal of unsigned integers (`{1,2,3}`).
    mutating func integerArray(_ values: [UInt64]) {
        separator()
        bytes.append(UInt8(ascii: "{"))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: String(value).utf8)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    mutating func doubleArray(_ values: [Double]) {
        separator()
        bytes.append(UInt8(ascii: "{"))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            appendDouble(value)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    /// Ends the row; returns its bytes.
    mutating func finish() -> [UInt8] {
        bytes.append(0x0A)
        return bytes
    }

    private mutating func appendDouble(_ value: Double) {
        if value.isNaN { bytes.append(contentsOf: "NaN".utf8) } else if value == .infinity { bytes.append(contentsOf: "Infinity".utf8) } else if value == -.infinity {
            bytes.append(contentsOf: "-Infinity".utf8)
        } else {
            bytes.append(contentsOf: value.description.utf8)
        }
    }

    private mutating func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "\\"))
            case 0x09: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "t"))
            case 0x0A: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "r"))
            case 0x00: containsNUL = true
            default: bytes.append(byte)
            }
        }
    }
}

/// PostgreSQL's text and jsonb cannot hold U+0000; rows carrying it are rejected before COPY.
enum NULCharacter {
    /// True when a JSON document produced by ``JSONWriter`` holds an escaped NUL (`\u0000`).
    static func isIn(json document: [UInt8]) -> Bool {
        let pattern = Array("\\u0000".utf8)
        var index = 0
        while index + pattern.count <= document.count {
            if document[index] == UInt8(ascii: "\\") {
                if document[index + 1] == UInt8(ascii: "\\") { index += 2; continue }
                if document[index..<index + pattern.count].elementsEqual(pattern) { return true }
            }
            index += 1
        }
        return false
    }

    static func isIn(_ texts: String...) -> Bool {
        texts.contains { $0.utf8.contains(0) }
    }
}
