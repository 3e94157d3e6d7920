import Foundation
import VigilModel

/// Finds log records, newest first.
public struct LogSearch: Sendable {
    public struct Filter: Sendable {
        public var range: TimeRange
        public var service: String?
        public var severityMin: Int?
        public var traceID: TraceID?
        /// Case-insensitive substring of the body.
        public var text: String?
        public var attributes: [AttributeFilter]
        public var limit: Int
        public var cursor: Cursor?

        public init(
            range: TimeRange, service: String? = nil, severityMin: Int? = nil, traceID: TraceID? = nil, text: String? = nil,
            attributes: [AttributeFilter] = [], limit: Int = 100, cursor: Cursor? = nil
        ) {
            self.range = range
            self.service = service
            self.severityMin = severityMin
            self.traceID = traceID
            self.text = text
            self.attributes = attributes
            self.limit = limit
            self.cursor = cursor
        }
    }

    /// Where a page ended: the last record's partition time (µs), partition and row.
    public typealias Cursor = RowPosition

    public struct Page: Sendable {
        public var logs: [StoredTrace.LogRow]
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
        var sql = SQLBuilder("SELECT (extract(epoch FROM l.time) * 1000000)::bigint, l.tableoid::bigint, l.ctid::text, \(StoredTrace.LogRow.columns(alias: "l")) FROM logs l")
        if !filter.attributes.isEmpty { sql.append(" JOIN resources r ON r.resource_id = l.resource_id") }
        sql.append(" WHERE l.time >= \(sql.bind(filter.range.startText))::timestamptz AND l.time <= \(sql.bind(filter.range.endText))::timestamptz")
        // The record's own nanosecond time; records without one were filed under their receive time.
        let exactTime = """
            CASE WHEN l.time_unix_nano <> 0 THEN l.time_unix_nano WHEN l.observed_time_unix_nano <> 0 THEN l.observed_time_unix_nano \
            ELSE (extract(epoch FROM l.time) * 1000000)::bigint * 1000 END
            """
        sql.append(" AND \(exactTime) >= \(sql.bind(String(filter.range.start)))::bigint AND \(exactTime) < \(sql.bind(String(filter.range.end)))::bigint")
        if let service = filter.service { sql.append(" AND l.service_name = \(sql.bind(service))") }
        if let severity = filter.severityMin { sql.append(" AND l.severity_number >= \(sql.bind(String(severity)))::smallint") }
        if let traceID = filter.traceID { sql.append(" AND l.trace_id = \(sql.bind("\\x" + traceID.hex))::bytea") }
        if let text = filter.text {
            let pattern = "%" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
            sql.append(" AND (CASE WHEN jsonb_typeof(l.body) = 'string' THEN l.body #>> '{}' ELSE l.body::text END) ILIKE \(sql.bind(pattern))")
        }
        sql.appendAttributeFilters(filter.attributes, rowAlias: "l")
        if let cursor = filter.cursor {
            let time = sql.bind(String(cursor.time))
            let partition = sql.bind(String(cursor.partition))
            let row = sql.bind(cursor.row)
            sql.append(" AND (l.time, l.tableoid, l.ctid) < ('epoch'::timestamptz + \(time)::bigint * interval '1 microsecond', \(partition)::oid, \(row)::tid)")
        }
        sql.append(" ORDER BY l.time DESC, l.tableoid DESC, l.ctid DESC LIMIT \(sql.bind(String(filter.limit + 1)))::int")
        let rows = try connection.execute(sql.text, sql.parameters).rows
        let page = Array(rows.prefix(filter.limit))
        var next: Cursor?
        if rows.count > filter.limit, let last = page.last, let time = last[0].flatMap({ Int64($0) }), let partition = last[1].flatMap({ UInt32($0) }), let row = last[2] {
            next = Cursor(time: time, partition: partition, row: row)
        }
        return Page(logs: page.map { StoredTrace.LogRow(row: Array($0.dropFirst(3))) }, next: next)
    }
}

extension StoredTrace.LogRow {
    /// The columns ``init(row:)`` reads, in order.
    static func columns(alias a: String) -> String {
        """
        \(a).time_unix_nano, \(a).observed_time_unix_nano, \(a).severity_number, \(a).severity_text, \(a).body, \(a).attributes, \
        \(a).dropped_attributes_count, \(a).flags, encode(\(a).trace_id, 'hex'), encode(\(a).span_id, 'hex'), \(a).event_name, \
        \(a).service_name, \(a).resource_id, \(a).scope_id
        """
    }

    init(row r: [String?]) {
        self.init(
            timeUnixNano: Int64(r[0] ?? "") ?? 0, observedTimeUnixNano: Int64(r[1] ?? "") ?? 0, severityNumber: Int(r[2] ?? "") ?? 0,
            severityText: r[3] ?? "", bodyJSON: r[4], attributesJSON: r[5] ?? "{}", droppedAttributesCount: Int64(r[6] ?? "") ?? 0,
            flags: Int64(r[7] ?? "") ?? 0, traceID: r[8], spanID: r[9], eventName: r[10] ?? "", serviceName: r[11] ?? "",
            resourceID: Int64(r[12] ?? "") ?? 0, scopeID: Int64(r[13] ?? "") ?? 0)
    }
}
