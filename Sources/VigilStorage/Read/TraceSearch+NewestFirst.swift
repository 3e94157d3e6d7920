import VigilModel

extension TraceSearch {
    /// Most spans read per round trip by ``newestFirst(_:_:)``.
    static let maxScanChunk = 1_000

    /// Spans read by the first round trip for a page of `limit` traces: a few per trace, so that
    /// PostgreSQL walks the index newest first for a small page instead of sorting every
    /// matching span of the range. Each further round trip reads twice as many, up to
    /// ``maxScanChunk``.
    static func firstScanChunk(limit: Int) -> Int {
        min(maxScanChunk, max(50, 4 * (limit + 1)))
    }

    /// The page's traces when a service is given: its matching spans are read newest first
    /// through the `(service_name, time)` index, a chunk at a time, until `limit + 1` traces
    /// past the cursor are found. A trace first appears at its newest matching span, so the
    /// scan meets traces in the order of the answer (newest matching span, then trace ID,
    /// descending) and stops early instead of grouping every matching span of the range.
    static func newestFirst(_ filter: Filter, _ connection: PostgresConnection) throws(StorageError) -> [(TraceID, Int64)] {
        var found: [(TraceID, Int64)] = []
        var seen = Set<TraceID>()
        var after: (timeMicros: String, traceHex: String, spanHex: String)?
        var chunk = firstScanChunk(limit: filter.limit)
        while found.count <= filter.limit {
            var sql = SQLBuilder("""
                SELECT encode(s.trace_id, 'hex'), (extract(epoch FROM s.time) * 1000000)::bigint, encode(s.span_id, 'hex') FROM spans s
                """)
            appendConditions(filter, to: &sql)
            if let after {
                let time = sql.bind(after.timeMicros), trace = sql.bind("\\x" + after.traceHex), span = sql.bind("\\x" + after.spanHex)
                sql.append(" AND (s.time, s.trace_id, s.span_id) < ('epoch'::timestamptz + \(time)::bigint * interval '1 microsecond', \(trace)::bytea, \(span)::bytea)")
            }
            sql.append(" ORDER BY s.time DESC, s.trace_id DESC, s.span_id DESC LIMIT \(chunk)")
            let rows = try connection.execute(sql.text, sql.parameters).rows
            for row in rows {
                guard let id = row[0].flatMap({ TraceID(hex: $0) }), let time = row[1].flatMap({ Int64($0) }), seen.insert(id).inserted else { continue }
                if let cursor = filter.cursor, time > cursor.timeMicros || (time == cursor.timeMicros && id.hex >= cursor.traceID.hex) { continue }
                found.append((id, time))
                if found.count > filter.limit { break }
            }
            guard rows.count == chunk, let last = rows.last, let time = last[1], let trace = last[0], let span = last[2] else { break }
            after = (time, trace, span)
            chunk = min(maxScanChunk, chunk * 2)
        }
        return found
    }

    /// The WHERE clause both search plans share: time range, service, operation, durations, status and attributes.
    static func appendConditions(_ filter: Filter, to sql: inout SQLBuilder) {
        if !filter.attributes.isEmpty { sql.append(" JOIN resources r ON r.resource_id = s.resource_id") }
        sql.append(" WHERE s.time >= \(sql.bind(filter.range.startText))::timestamptz AND s.time <= \(sql.bind(filter.range.endText))::timestamptz")
        sql.append(" AND s.start_time_unix_nano >= \(sql.bind(String(filter.range.start)))::bigint AND s.start_time_unix_nano < \(sql.bind(String(filter.range.end)))::bigint")
        if let service = filter.service { sql.append(" AND s.service_name = \(sql.bind(service))") }
        if let operation = filter.operation { sql.append(" AND s.name = \(sql.bind(operation))") }
        if let minimum = filter.minDurationNanos { sql.append(" AND s.end_time_unix_nano - s.start_time_unix_nano >= \(sql.bind(String(minimum)))::bigint") }
        if let maximum = filter.maxDurationNanos { sql.append(" AND s.end_time_unix_nano - s.start_time_unix_nano <= \(sql.bind(String(maximum)))::bigint") }
        if let status = filter.statusCode { sql.append(" AND s.status_code = \(sql.bind(String(status)))::smallint") }
        sql.appendAttributeFilters(filter.attributes, rowAlias: "s")
    }
}
