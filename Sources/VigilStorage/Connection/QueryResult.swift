import CLibPQ

/// The rows of a finished statement, copied out of libpq as text (`nil` for SQL NULL).
public struct QueryResult: Sendable {
    public var columns: [String]
    public var rows: [[String?]]
    /// Rows inserted, updated or deleted, for commands that report it.
    public var affectedRows: Int

    init(columns: [String], rows: [[String?]], affectedRows: Int) {
        self.columns = columns
        self.rows = rows
        self.affectedRows = affectedRows
    }

    init(materializing result: OpaquePointer) {
        let columnCount = PQnfields(result)
        let rowCount = PQntuples(result)
        columns = (0..<columnCount).map { String(cString: PQfname(result, $0)) }
        rows = (0..<rowCount).map { row in
            (0..<columnCount).map { column in
                PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
            }
        }
        affectedRows = Int(rowCount)
    }

    /// The value in the first row and column, if any.
    public var scalar: String? { rows.first?.first ?? nil }
}

/// One row of a result as libpq holds it, valid only inside ``PostgresConnection/forEachRow(_:_:_:)``.
public struct ResultRow {
    let result: OpaquePointer
    let row: Int32

    public func isNull(_ column: Int32) -> Bool { PQgetisnull(result, row, column) == 1 }

    public func string(_ column: Int32) -> String? {
        isNull(column) ? nil : String(cString: PQgetvalue(result, row, column))
    }

    /// A decimal integer value (`nil` for NULL or anything else).
    public func int64(_ column: Int32) -> Int64? {
        withUTF8(column) { bytes -> Int64? in
            guard let bytes, !bytes.isEmpty, bytes.count <= 20 else { return nil }
            let negative = bytes[0] == UInt8(ascii: "-")
            guard bytes.count > (negative ? 1 : 0) else { return nil }
            var value: Int64 = 0
            for byte in bytes.dropFirst(negative ? 1 : 0) {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (added, overflow2) = shifted.addingReportingOverflow(Int64(byte - 0x30))
                guard !overflow1, !overflow2 else { return nil }
                value = added
            }
            return negative ? -value : value
        }
    }

    /// The value's text bytes (`nil` for NULL).
    public func withUTF8<T>(_ column: Int32, _ body: (UnsafeBufferPointer<UInt8>?) -> T) -> T {
        guard !isNull(column), let value = PQgetvalue(result, row, column) else { return body(nil) }
        let count = Int(PQgetlength(result, row, column))
        return value.withMemoryRebound(to: UInt8.self, capacity: count) { body(UnsafeBufferPointer(start: $0, count: count)) }
    }
}
