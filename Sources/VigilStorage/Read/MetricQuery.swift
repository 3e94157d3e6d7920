/// Stored metric series and their points.
public struct MetricQuery: Sendable {
    public struct SeriesRow: Sendable {
        public var seriesID: Int64
        public var name: String
        public var description: String
        public var unit: String
        public var type: String
        public var temporality: Int?
        public var isMonotonic: Bool?
        public var attributesJSON: String
        public var metadataJSON: String
        public var serviceName: String
        public var resourceID: Int64

        static let columns = "s.series_id, s.name, s.description, s.unit, s.type, s.temporality, s.is_monotonic, s.attributes, s.metadata, s.service_name, s.resource_id"

        init(row r: [String?]) {
            seriesID = Int64(r[0] ?? "") ?? 0
            name = r[1] ?? ""
            description = r[2] ?? ""
            unit = r[3] ?? ""
            type = r[4] ?? ""
            temporality = r[5].flatMap { Int($0) }
            isMonotonic = r[6].map { $0 == "t" }
            attributesJSON = r[7] ?? "{}"
            metadataJSON = r[8] ?? "{}"
            serviceName = r[9] ?? ""
            resourceID = Int64(r[10] ?? "") ?? 0
        }
    }

    public struct SeriesFilter: Sendable {
        public var name: String?
        public var service: String?
        public var attributes: [AttributeFilter]
        public var limit: Int
        /// The name and ID of the last series of the previous page.
        public var after: (name: String, seriesID: Int64)?

        public init(name: String? = nil, service: String? = nil, attributes: [AttributeFilter] = [], limit: Int = 100, after: (name: String, seriesID: Int64)? = nil) {
            self.name = name
            self.service = service
            self.attributes = attributes
            self.limit = limit
            self.after = after
        }
    }

    /// A point with every column; which are set depends on the series type. Numbers stay text
    /// as PostgreSQL wrote them, arrays as PostgreSQL array literals.
    public struct PointRow: Sendable {
        /// Where the row sits (partition and row position), for stable paging among equal times.
        public var position: RowPosition
        public var timeUnixNano: Int64
        public var startTimeUnixNano: Int64
        public var flags: Int64
        public var columns: [String: String]
        public var exemplars: [StoredTrace.ExemplarRow]
    }

    private let pool: PostgresReadPool

    public init(pool: PostgresReadPool) {
        self.pool = pool
    }

    /// Series ordered by name and ID; one more than `limit` tells whether another page exists.
    public func series(_ filter: SeriesFilter) async throws(StorageError) -> [SeriesRow] {
        try await pool.withConnection { connection throws(StorageError) in
            var sql = SQLBuilder("SELECT \(SeriesRow.columns) FROM metric_series s")
            if !filter.attributes.isEmpty { sql.append(" JOIN resources r ON r.resource_id = s.resource_id") }
            sql.append(" WHERE true")
            if let name = filter.name { sql.append(" AND s.name = \(sql.bind(name))") }
            if let service = filter.service { sql.append(" AND s.service_name = \(sql.bind(service))") }
            sql.appendAttributeFilters(filter.attributes, rowAlias: "s")
            if let after = filter.after {
                sql.append(" AND (s.name, s.series_id) > (\(sql.bind(after.name)), \(sql.bind(String(after.seriesID)))::bigint)")
            }
            sql.append(" ORDER BY s.name, s.series_id LIMIT \(sql.bind(String(filter.limit + 1)))::int")
            return try connection.execute(sql.text, sql.parameters).rows.map(SeriesRow.init(row:))
        }
    }

    public func series(id: Int64) async throws(StorageError) -> SeriesRow? {
        try await pool.withConnection { connection throws(StorageError) in
            try connection.execute("SELECT \(SeriesRow.columns) FROM metric_series s WHERE s.series_id = $1", [String(id)]).rows.first.map(SeriesRow.init(row:))
        }
    }

    static let pointColumns = [
        "value_double", "value_int", "count", "sum", "min", "max", "bucket_counts", "explicit_bounds", "scale", "zero_count", "zero_threshold",
        "positive_offset", "positive_bucket_counts", "negative_offset", "negative_bucket_counts", "quantiles", "quantile_values",
    ]

    /// Points of one series in `range`, oldest first, after the point at `after`; one more than
    /// `limit` tells whether another page exists.
    public func points(seriesID: Int64, range: TimeRange, limit: Int, after: RowPosition?) async throws(StorageError) -> [PointRow] {
        try await pool.withConnection { connection throws(StorageError) in
            var sql = SQLBuilder(
                "SELECT tableoid::bigint, ctid::text, time_unix_nano, start_time_unix_nano, flags, \(Self.pointColumns.joined(separator: ", ")) FROM metric_points")
            sql.append(" WHERE series_id = \(sql.bind(String(seriesID)))::bigint")
            sql.append(" AND time >= \(sql.bind(range.startText))::timestamptz AND time <= \(sql.bind(range.endText))::timestamptz")
            sql.append(" AND time_unix_nano >= \(sql.bind(String(range.start)))::bigint AND time_unix_nano < \(sql.bind(String(range.end)))::bigint")
            if let after {
                let time = sql.bind(String(after.time))
                sql.append(" AND (time_unix_nano, tableoid, ctid) > (\(time)::bigint, \(sql.bind(String(after.partition)))::oid, \(sql.bind(after.row))::tid)")
            }
            sql.append(" ORDER BY time_unix_nano, tableoid, ctid LIMIT \(sql.bind(String(limit + 1)))::int")
            var points = try connection.execute(sql.text, sql.parameters).rows.map { row in
                var columns: [String: String] = [:]
                for (index, name) in Self.pointColumns.enumerated() { columns[name] = row[5 + index] }
                let time = Int64(row[2] ?? "") ?? 0
                return PointRow(
                    position: RowPosition(time: time, partition: UInt32(row[0] ?? "") ?? 0, row: row[1] ?? ""),
                    timeUnixNano: time, startTimeUnixNano: Int64(row[3] ?? "") ?? 0, flags: Int64(row[4] ?? "") ?? 0,
                    columns: columns, exemplars: [])
            }
            guard let first = points.first, let last = points.last else { return points }
            let exemplars = try connection.execute("""
                SELECT point_time_unix_nano, time_unix_nano, value_double, value_int, encode(trace_id, 'hex'), encode(span_id, 'hex'), filtered_attributes
                FROM exemplars WHERE series_id = $1::bigint AND time >= $2::timestamptz AND time <= $3::timestamptz
                  AND point_time_unix_nano BETWEEN $4::bigint AND $5::bigint
                ORDER BY point_time_unix_nano, ordinal
                """, [String(seriesID), PostgresTime.text(unixNano: first.timeUnixNano), PostgresTime.text(unixNano: last.timeUnixNano),
                      String(first.timeUnixNano), String(last.timeUnixNano)]).rows
            var byPoint: [Int64: [StoredTrace.ExemplarRow]] = [:]
            for row in exemplars {
                guard let pointTime = row[0].flatMap({ Int64($0) }) else { continue }
                byPoint[pointTime, default: []].append(StoredTrace.ExemplarRow(
                    metricName: "", metricType: "", unit: "", seriesID: seriesID, seriesAttributesJSON: "{}", serviceName: "",
                    pointTimeUnixNano: pointTime, timeUnixNano: Int64(row[1] ?? "") ?? 0, valueDouble: row[2].flatMap(PostgresNumber.double),
                    valueInt: row[3].flatMap { Int64($0) }, traceID: row[4], spanID: row[5], filteredAttributesJSON: row[6] ?? "{}"))
            }
            for index in points.indices { points[index].exemplars = byPoint[points[index].timeUnixNano] ?? [] }
            return points
        }
    }
}

/// PostgreSQL's text form of `double precision`, including its special values.
enum PostgresNumber {
    static func double(_ text: String) -> Double? {
        switch text {
        case "NaN": .nan
        case "Infinity": .infinity
        case "-Infinity": -.infinity
        default: Double(text)
        }
    }
}
