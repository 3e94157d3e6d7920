import CLibPQ
#if canImport(Glibc)
import Glibc
#endif

/// One libpq connection. Every call blocks, so callers run it on a dedicated thread, never on
/// the Swift concurrency pool.
///
/// `@unchecked Sendable`: a connection moves between threads only through ``PostgresReadPool``
/// or ``IngestWriter``, which hand it to one thread at a time.
public final class PostgresConnection: @unchecked Sendable {
    private let handle: OpaquePointer

    /// Connects with a libpq connection string or URL; an empty string uses libpq's defaults and
    /// the `PG*` environment variables.
    public init(conninfo: String) throws(StorageError) {
        guard let handle = PQconnectdb(conninfo) else {
            throw StorageError(code: .unavailable, message: "libpq could not allocate a connection")
        }
        self.handle = handle
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = Self.trimmedMessage(PQerrorMessage(handle))
            // deinit runs for a class whose init throws after every property is set: it finishes the handle.
            throw StorageError(code: .unavailable, message: "cannot connect to PostgreSQL: \(message)")
        }
        // Server notices ("relation already exists, skipping") are not errors; keep them off stderr.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
    }

    deinit {
        PQfinish(handle)
    }

    /// False once the server connection is lost.
    public var isHealthy: Bool { PQstatus(handle) == CONNECTION_OK }

    /// Runs one or more statements without parameters.
    @discardableResult
    public func execute(_ sql: String) throws(StorageError) -> QueryResult {
        let result = PQexec(handle, sql)
        return try consume(result)
    }

    /// Runs one statement with text-format parameters (`$1`, `$2`, …); `nil` is SQL NULL.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [String?]) throws(StorageError) -> QueryResult {
        let result = withCStringArray(parameters) { values in
            PQexecParams(handle, sql, Int32(parameters.count), nil, values, nil, nil, 0)
        }
        return try consume(result)
    }

    /// Runs one statement whose text-format parameters are NUL-terminated UTF-8 bytes, handed to
    /// libpq where they lie: large parameters (whole columns as array literals) are not copied.
    @discardableResult
    public func execute(_ sql: String, terminatedParameters parameters: [[UInt8]]) throws(StorageError) -> QueryResult {
        precondition(parameters.allSatisfy { $0.last == 0 }, "parameters must end with a NUL byte")
        var pointers: [UnsafePointer<CChar>?] = []
        pointers.reserveCapacity(parameters.count)
        let result = Self.withPinned(parameters[...], &pointers) { values in
            PQexecParams(handle, sql, Int32(values.count), nil, values, nil, nil, 0)
        }
        return try consume(result)
    }

    /// Calls `body` with a pointer to each of `parameters`, all valid at once.
    private static func withPinned<R>(_ parameters: ArraySlice<[UInt8]>, _ pointers: inout [UnsafePointer<CChar>?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
        guard let first = parameters.first else { return body(pointers) }
        return first.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { characters in
                pointers.append(characters.baseAddress)
                return withPinned(parameters.dropFirst(), &pointers, body)
            }
        }
    }

    /// Runs one statement with text-format parameters and hands each row to `body` where it lies
    /// in libpq's memory: large results are read without copying every value into a `String`.
    public func forEachRow(_ sql: String, _ parameters: [String?], _ body: (ResultRow) throws(StorageError) -> Void) throws(StorageError) {
        let result = withCStringArray(parameters) { values in
            PQexecParams(handle, sql, Int32(parameters.count), nil, values, nil, nil, 0)
        }
        guard let result, PQresultStatus(result) == PGRES_TUPLES_OK else {
            _ = try consume(result)
            return
        }
        defer { PQclear(result) }
        for row in 0..<PQntuples(result) {
            try body(ResultRow(result: result, row: row))
        }
    }

    /// Streams `chunks`, already in COPY text format (whole rows each), into `COPY … FROM STDIN`.
    public func copyIn(_ copyStatement: String, chunks: [[UInt8]]) throws(StorageError) {
        let start = PQexec(handle, copyStatement)
        let startStatus = PQresultStatus(start)
        guard startStatus == PGRES_COPY_IN else {
            _ = try consume(start)
            throw StorageError(code: .queryFailed, message: "COPY did not start")
        }
        PQclear(start)
        let piece = 1 << 20
        for data in chunks {
            var offset = 0
            while offset < data.count {
                let end = min(offset + piece, data.count)
                let sent = data[offset..<end].withUnsafeBufferPointer { buffer in
                    buffer.withMemoryRebound(to: CChar.self) { PQputCopyData(handle, $0.baseAddress, Int32($0.count)) }
                }
                guard sent == 1 else { throw connectionError("COPY data could not be sent") }
                offset = end
            }
        }
        guard PQputCopyEnd(handle, nil) == 1 else { throw connectionError("COPY could not be finished") }
        var firstError: StorageError?
        while let result = PQgetResult(handle) {
            do throws(StorageError) {
                _ = try consume(result)
            } catch {
                if firstError == nil { firstError = error }
            }
        }
        if let firstError { throw firstError }
    }

    private func connectionError(_ what: String) -> StorageError {
        let message = Self.trimmedMessage(PQerrorMessage(handle))
        return StorageError(code: isHealthy ? .queryFailed : .unavailable, message: "\(what): \(message)")
    }

    private func consume(_ result: OpaquePointer?) throws(StorageError) -> QueryResult {
        guard let result else { throw connectionError("no result from PostgreSQL") }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY, PGRES_COPY_IN:
            return QueryResult(columns: [], rows: [], affectedRows: Int(String(cString: PQcmdTuples(result))) ?? 0)
        case PGRES_TUPLES_OK:
            return QueryResult(materializing: result)
        default:
            let message = Self.trimmedMessage(PQresultErrorMessage(result))
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
            let code: StorageError.Code = isHealthy ? .queryFailed : .unavailable
            throw StorageError(code: code, message: message, sqlState: state)
        }
    }

    static func trimmedMessage(_ pointer: UnsafePointer<CChar>?) -> String {
        guard let pointer else { return "unknown error" }
        let text = String(cString: pointer)
        var trimmed = Substring(text)
        while let last = trimmed.last, last.isWhitespace { trimmed.removeLast() }
        return String(trimmed)
    }
}

private func withCStringArray<R>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let copies: [UnsafeMutablePointer<CChar>?] = strings.map { string in string.map { strdup($0) } }
    defer { copies.forEach { free($0) } }
    return body(copies.map { $0.map { UnsafePointer($0) } })
}
