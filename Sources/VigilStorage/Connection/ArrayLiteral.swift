import VigilModel

/// A PostgreSQL array literal (`{…}`), built element by element: a list bound as one parameter
/// (``PostgresArray``), or a column of many rows spread back into rows with `unnest`. Text
/// elements are double-quoted with `"` and `\` escaped, so any content reads back exactly.
struct ArrayLiteral {
    private var bytes: [UInt8] = [UInt8(ascii: "{")]
    private(set) var count = 0

    /// The literal, NUL-terminated, for a `$n::type[]` parameter
    /// (``PostgresConnection/execute(_:terminatedParameters:)``).
    consuming func terminated() -> [UInt8] {
        bytes.append(UInt8(ascii: "}"))
        bytes.append(0)
        return bytes
    }

    /// The literal as text, for a parameter bound as a `String`.
    consuming func string() -> String {
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }

    private mutating func separator() {
        if count > 0 { bytes.append(UInt8(ascii: ",")) }
        count += 1
    }

    mutating func null() {
        separator()
        bytes.append(contentsOf: "NULL".utf8)
    }

    mutating func integer(_ value: Int64) {
        separator()
        DecimalDigits.append(value, to: &bytes)
    }

    mutating func text(_ value: String) {
        separator()
        var value = value
        value.withUTF8 { appendQuoted($0) }
    }

    mutating func timestamp(unixNano: Int64) {
        separator()
        bytes.append(UInt8(ascii: "\""))
        CivilTime.appendTimestamp(unixNano: unixNano, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// A `jsonb` element written by `write`.
    mutating func json(_ write: (inout JSONWriter) -> Void) {
        separator()
        var writer = JSONWriter()
        write(&writer)
        writer.bytes.withUnsafeBufferPointer { appendQuoted($0) }
    }

    /// A `bytea` element in hex form (`\x…`) of big-endian words.
    mutating func bytea(_ words: UInt64...) {
        separator()
        // `"\\x…"`: the element's own backslash, escaped inside the quotes.
        bytes.append(UInt8(ascii: "\"")); bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "x"))
        for word in words { HexCoding.appendHex(word, to: &bytes) }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func appendQuoted(_ utf8: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        for byte in utf8 {
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { bytes.append(UInt8(ascii: "\\")) }
            bytes.append(byte)
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
