import VigilModel

/// Builds one row in PostgreSQL's COPY text format directly at the end of a table's buffer:
/// tab-separated fields, `\N` for NULL, backslash escapes for tab, newline, carriage return and
/// backslash. ``append(to:_:)`` removes a row that fails half-way.
struct CopyTextRow {
    private(set) var bytes: [UInt8] = []
    private var fieldCount = 0
    /// Set when a value held a NUL character, which PostgreSQL text and jsonb cannot store.
    private(set) var containsNUL = false

    /// Writes one row at the end of `buffer`. When `write` throws, or a value held a NUL
    /// character (reported as `nulError`), the partial row is removed and the error thrown.
    static func append<E: Error>(to buffer: inout [UInt8], nulError: @autoclosure () -> E, _ write: (inout CopyTextRow) throws(E) -> Void) throws(E) {
        var row = CopyTextRow()
        swap(&row.bytes, &buffer)
        let start = row.bytes.count
        do throws(E) {
            try write(&row)
            if row.containsNUL { throw nulError() }
            row.bytes.append(0x0A)
            swap(&row.bytes, &buffer)
        } catch {
            row.bytes.removeSubrange(start...)
            swap(&row.bytes, &buffer)
            throw error
        }
    }

    /// Writes one row of values that cannot fail (no text) at the end of `buffer`.
    static func append(to buffer: inout [UInt8], _ write: (inout CopyTextRow) -> Void) {
        var row = CopyTextRow()
        swap(&row.bytes, &buffer)
        write(&row)
        row.bytes.append(0x0A)
        swap(&row.bytes, &buffer)
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

    /// A JSON document written by `write` straight into the row, escaped for COPY on the way.
    mutating func json(_ write: (inout JSONWriter) -> Void) {
        separator()
        var writer = JSONWriter(takingOver: &bytes, escapingForCOPY: true)
        write(&writer)
        if writer.containsNUL { containsNUL = true }
        writer.handBack(to: &bytes)
    }

    mutating func integer(_ value: Int64) {
        let tab = fieldCount > 0
        fieldCount += 1
        bytes.appendInPlace(maxCount: 21) { out in
            if tab { out[0] = 0x09 }
            return (tab ? 1 : 0) + DecimalDigits.write(value, to: tab ? out + 1 : out)
        }
    }

    mutating func integer(_ value: Int32) { integer(Int64(value)) }
    mutating func integer(_ value: UInt32) { integer(Int64(value)) }
    mutating func integer(_ value: Int) { integer(Int64(value)) }

    /// An unsigned 64-bit value for a `numeric` column.
    mutating func integer(_ value: UInt64) {
        separator()
        DecimalDigits.append(value, to: &bytes)
    }

    mutating func double(_ value: Double) {
        separator()
        appendDouble(value)
    }

    mutating func optionalDouble(_ value: Double?) {
        guard let value else { return null() }
        double(value)
    }

    /// `bytea` in hex form (`\x…`, with the backslash escaped for COPY) of big-endian words.
    mutating func bytea(_ words: UInt64...) {
        separator()
        bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "x"))
        for word in words { HexCoding.appendHex(word, to: &bytes) }
    }

    mutating func traceID(_ id: TraceID) { bytea(id.high, id.low) }
    mutating func spanID(_ id: SpanID) { bytea(id.value) }

    mutating func timestamp(unixNano: Int64) {
        separator()
        CivilTime.appendTimestamp(unixNano: unixNano, to: &bytes)
    }

    /// A one-dimensional array literal of unsigned integers (`{1,2,3}`).
    mutating func integerArray(_ values: [UInt64]) {
        separator()
        bytes.append(UInt8(ascii: "{"))
        for index in values.indices {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            DecimalDigits.append(values[index], to: &bytes)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    mutating func doubleArray(_ values: [Double]) {
        separator()
        bytes.append(UInt8(ascii: "{"))
        for index in values.indices {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            appendDouble(values[index])
        }
        bytes.append(UInt8(ascii: "}"))
    }

    private mutating func appendDouble(_ value: Double) {
        if value.isNaN {
            bytes.append(contentsOf: "NaN".utf8)
        } else if value.isInfinite {
            bytes.append(contentsOf: (value < 0 ? "-Infinity" : "Infinity").utf8)
        } else {
            bytes.append(contentsOf: value.description.utf8)
        }
    }

    private mutating func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        // Copy runs of plain bytes at once; stop only at bytes COPY must escape.
        var runStart = 0
        for index in 0..<utf8.count {
            let byte = utf8[index]
            guard byte == UInt8(ascii: "\\") || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0 else { continue }
            if runStart < index { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index])) }
            runStart = index + 1
            switch byte {
            case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "\\"))
            case 0x09: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "t"))
            case 0x0A: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "r"))
            default: containsNUL = true
            }
        }
        if runStart < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
    }
}

/// PostgreSQL's text and jsonb cannot hold U+0000; rows carrying it are rejected before COPY.
enum NULCharacter {
    static func isIn(_ texts: String...) -> Bool {
        texts.contains { $0.utf8.contains(0) }
    }
}
