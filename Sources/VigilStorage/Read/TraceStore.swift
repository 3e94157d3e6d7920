import VigilModel

/// Reads traces back: the trace index says which days hold the trace, so only those
/// partitions are searched.
public struct TraceStore: Sendable {
    private let pool: PostgresReadPool

    public init(pool: PostgresReadPool) {
        self.pool = pool
    }

    /// The whole trace, or `nil` when Vigil holds nothing for the ID.
    public func trace(_ traceID: TraceID) async throws(StorageError) -> StoredTrace? {
        try await pool.withConnection { connection throws(StorageError) in
            try Self.load(traceID, connection)
        }
    }

    static func load(_ traceID: TraceID, _ connection: PostgresConnection) throws(StorageError) -> StoredTrace? {
        let id = "\\x" + traceID.hex
        let range = try connection.execute("SELECT first_time, last_time FROM traces WHERE trace_id = $1::bytea", [id])
        guard let row = range.rows.first, let first = row[0], let last = row[1] else { return nil }
        let window = [id, first, last]
        let spans = try connection.execute("""
            SELECT encode(trace_id, 'hex'), encode(span_id, 'hex'), encode(parent_span_id, 'hex'), trace_state, flags, name, kind,
                   start_time_unix_nano, end_time_unix_nano, attributes, dropped_attributes_count, events, dropped_events_count,
                   links, dropped_links_count, status_code, status_message, service_name, resource_id, scope_id
            FROM spans WHERE trace_id = $1::bytea AND time BETWEEN $2::timestamptz AND $3::timestamptz
            ORDER BY start_time_unix_nano, span_id
            """, window).rows.map { r in
            StoredTrace.SpanRow(
                traceID: r[0]!, spanID: r[1]!, parentSpanID: r[2], traceState: r[3]!, flags: int(r[4]), name: r[5]!, kind: Int(int(r[6])),
                startTimeUnixNano: int(r[7]), endTimeUnixNano: int(r[8]), attributesJSON: r[9]!, droppedAttributesCount: int(r[10]),
                eventsJSON: r[11]!, droppedEventsCount: int(r[12]), linksJSON: r[13]!, droppedLinksCount: int(r[14]),
                statusCode: Int(int(r[15])), statusMessage: r[16]!, serviceName: r[17]!, resourceID: int(r[18]), scopeID: int(r[19]))
        }
        let logs = try connection.execute("""
            SELECT \(StoredTrace.LogRow.columns(alias: "l")) FROM logs l
            WHERE l.trace_id = $1::bytea AND l.time BETWEEN $2::timestamptz AND $3::timestamptz
            ORDER BY l.time, CASE WHEN l.time_unix_nano <> 0 THEN l.time_unix_nano ELSE l.observed_time_unix_nano END
            """, window).rows.map(StoredTrace.LogRow.init(row:))
        let exemplars = try connection.execute("""
            SELECT s.name, s.type, s.unit, e.series_id, s.attributes, s.service_name, e.point_time_unix_nano, e.time_unix_nano,
                   e.value_double, e.value_int, encode(e.trace_id, 'hex'), encode(e.span_id, 'hex'), e.filtered_attributes
            FROM exemplars e JOIN metric_series s USING (series_id)
            WHERE e.trace_id = $1::bytea AND e.time BETWEEN $2::timestamptz AND $3::timestamptz
            ORDER BY e.time_unix_nano, e.series_id, e.ordinal
            """, window).rows.map { r in
            StoredTrace.ExemplarRow(
                metricName: r[0]!, metricType: r[1]!, unit: r[2]!, seriesID: int(r[3]), seriesAttributesJSON: r[4]!, serviceName: r[5]!,
                pointTimeUnixNano: int(r[6]), timeUnixNano: int(r[7]), valueDouble: r[8].flatMap(PostgresNumber.double), valueInt: r[9].flatMap { Int64($0) },
                traceID: r[10], spanID: r[11], filteredAttributesJSON: r[12]!)
        }
        let resourceIDs = Set(spans.map(\.resourceID) + logs.map(\.resourceID))
        let scopeIDs = Set(spans.map(\.scopeID) + logs.map(\.scopeID))
        let resources = try connection.execute("""
            SELECT resource_id, service_name, attributes, dropped_attributes_count, entity_refs, schema_url
            FROM resources WHERE resource_id = ANY($1::bigint[]) ORDER BY resource_id
            """, [arrayLiteral(resourceIDs)]).rows.map { r in
            StoredTrace.ResourceRow(
                resourceID: int(r[0]), serviceName: r[1]!, attributesJSON: r[2]!, droppedAttributesCount: int(r[3]), entityRefsJSON: r[4]!, schemaURL: r[5]!)
        }
        let scopes = try connection.execute("""
            SELECT scope_id, name, version, attributes, dropped_attributes_count, schema_url
            FROM scopes WHERE scope_id = ANY($1::bigint[]) ORDER BY scope_id
            """, [arrayLiteral(scopeIDs)]).rows.map { r in
            StoredTrace.ScopeRow(scopeID: int(r[0]), name: r[1]!, version: r[2]!, attributesJSON: r[3]!, droppedAttributesCount: int(r[4]), schemaURL: r[5]!)
        }
        guard !spans.isEmpty || !logs.isEmpty || !exemplars.isEmpty else { return nil }
        return StoredTrace(traceID: traceID, spans: spans, resources: resources, scopes: scopes, logs: logs, exemplars: exemplars)
    }

    private static func arrayLiteral(_ ids: Set<Int64>) -> String {
        "{" + ids.map(String.init).joined(separator: ",") + "}"
    }
}

private func int(_ text: String?) -> Int64 { text.flatMap { Int64($0) } ?? 0 }
