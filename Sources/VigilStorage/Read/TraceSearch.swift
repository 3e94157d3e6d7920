import VigilModel

/// Finds traces by the spans they contain.
public struct TraceSearch: Sendable {
    public struct Filter: Sendable {
        public var range: TimeRange
        public var service: String?
        public var operation: String?
        public var minDurationNanos: Int64?
        public var maxDurationNanos: Int64?
        /// Status code (0 unset, 1 ok, 2 error).
        public var statusCode: Int?
        public var attributes: [AttributeFilter]
        public var limit: Int
        public var cursor: Cursor?

        public init(
            range: TimeRange, service: String? = nil, operation: String? = nil, minDurationNanos: Int64? = nil, maxDurationNanos: Int64? = nil,
            statusCode: Int? = nil, attributes: [AttributeFilter] = [], limit: Int = 20, cursor: Cursor? = nil
        ) {
            self.range = range
            self.service = service
            self.operation = operation
            self.minDurationNanos = minDurationNanos
            self.maxDurationNanos = maxDurationNanos
            self.statusCode = statusCode
            self.attributes = attributes
            self.limit = limit
            self.cursor = cursor
        }
    }

    /// Where a page ended: the newest matching span time (µs) and trace ID of its last trace.
    public struct Cursor: Sendable, Equatable {
        public var timeMicros: Int64
        public var traceID: TraceID

        public init(timeMicros: Int64, traceID: TraceID) {
            self.timeMicros = timeMicros
            self.traceID = traceID
        }
    }

    public struct Summary: Sendable, Equatable {
        public var traceID: TraceID
        public var rootServiceName: String
        public var rootSpanName: String
        public var startTimeUnixNano: Int64
        public var durationNanos: Int64
        public var spanCount: Int
        public var errorCount: Int
        public var services: [String]
    }

    public struct Page: Sendable {
        public var traces: [Summary]
        public var next: Cursor?
    }

    private let pool: PostgresReadPool

    public init(pool: PostgresReadPool) {
        self.pool = pool
    }

    public func search(_ filter: Filter) async throws(StorageError) -> Page {
        try await pool.withConnection { connection throws(StorageError) in
            try Self.search(filter, connection)
        }
    }

    static func search(_ filter: Filter, _ connection: PostgresConnection) throws(StorageError) -> Page {
        let matches = filter.service == nil ? try grouped(filter, connection) : try newestFirst(filter, connection)
        let page = Array(matches.prefix(filter.limit))
        let summaries = try summarize(page.map(\.0), connection)
        let next = matches.count > filter.limit ? page.last.map { Cursor(timeMicros: $0.1, traceID: $0.0) } : nil
        return Page(traces: page.compactMap { summaries[$0.0] }, next: next)
    }

    /// The page's traces without a service: every matching span of the range grouped by trace.
    static func grouped(_ filter: Filter, _ connection: PostgresConnection) throws(StorageError) -> [(TraceID, Int64)] {
        var sql = SQLBuilder("SELECT encode(s.trace_id, 'hex'), (extract(epoch FROM max(s.time)) * 1000000)::bigint FROM spans s")
        appendConditions(filter, to: &sql)
        sql.append(" GROUP BY s.trace_id")
        if let cursor = filter.cursor {
            let time = sql.bind(String(cursor.timeMicros))
            let trace = sql.bind("\\x" + cursor.traceID.hex)
            sql.append(" HAVING (max(s.time), s.trace_id) < ('epoch'::timestamptz + \(time)::bigint * interval '1 microsecond', \(trace)::bytea)")
        }
        sql.append(" ORDER BY max(s.time) DESC, s.trace_id DESC LIMIT \(sql.bind(String(filter.limit + 1)))::int")
        return try connection.execute(sql.text, sql.parameters).rows.compactMap { row -> (TraceID, Int64)? in
            guard let id = row[0].flatMap({ TraceID(hex: $0) }), let time = row[1].flatMap({ Int64($0) }) else { return nil }
            return (id, time)
        }
    }

    /// Summaries over all stored spans of each trace, read through the trace index.
    static func summarize(_ traceIDs: [TraceID], _ connection: PostgresConnection) throws(StorageError) -> [TraceID: Summary] {
        guard !traceIDs.isEmpty else { return [:] }
        let ids = "{" + traceIDs.map { "\"\\\\x\($0.hex)\"" }.joined(separator: ",") + "}"
        let rows = try connection.execute("""
            SELECT encode(s.trace_id, 'hex'), s.parent_span_id IS NULL, s.service_name, s.name, s.start_time_unix_nano, s.end_time_unix_nano, s.status_code
            FROM traces t JOIN spans s ON s.trace_id = t.trace_id AND s.time BETWEEN t.first_time AND t.last_time
            WHERE t.trace_id = ANY($1::bytea[])
            ORDER BY s.start_time_unix_nano
            """, [ids]).rows
        var summaries: [TraceID: Summary] = [:]
        var roots: Set<TraceID> = []
        for row in rows {
            guard let id = row[0].flatMap({ TraceID(hex: $0) }), let start = row[4].flatMap({ Int64($0) }), let end = row[5].flatMap({ Int64($0) }) else { continue }
            let isRoot = row[1] == "t"
            let service = row[2] ?? ""
            let name = row[3] ?? ""
            let isError = row[6] == "2"
            if var summary = summaries[id] {
                let traceEnd = max(summary.startTimeUnixNano + summary.durationNanos, end)
                summary.startTimeUnixNano = min(summary.startTimeUnixNano, start)
                summary.durationNanos = traceEnd - summary.startTimeUnixNano
                summary.spanCount += 1
                if isError { summary.errorCount += 1 }
                if !summary.services.contains(service) { summary.services.append(service) }
                if isRoot, !roots.contains(id) {
                    summary.rootServiceName = service
                    summary.rootSpanName = name
                    roots.insert(id)
                }
                summaries[id] = summary
            } else {
                // Rows come ordered by start: the first span is the root until a parentless one shows up.
                summaries[id] = Summary(
                    traceID: id, rootServiceName: service, rootSpanName: name, startTimeUnixNano: start, durationNanos: end - start,
                    spanCount: 1, errorCount: isError ? 1 : 0, services: [service])
                if isRoot { roots.insert(id) }
            }
        }
        for (id, summary) in summaries { summaries[id]?.services = summary.services.sorted() }
        return summaries
    }
}
