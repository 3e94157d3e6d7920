import VigilModel

/// Rate, errors and duration per service and operation, from the RED rollups.
public struct REDQuery: Sendable {
    public struct Filter: Sendable {
        public var range: TimeRange
        public var stepSeconds: Int64
        public var service: String?
        public var operation: String?
        public var spanKinds: [Int]

        public init(range: TimeRange, stepSeconds: Int64, service: String? = nil, operation: String? = nil, spanKinds: [Int] = [2, 5]) {
            self.range = range
            self.stepSeconds = stepSeconds
            self.service = service
            self.operation = operation
            self.spanKinds = spanKinds
        }
    }

    public struct Point: Sendable {
        /// Start of the step bucket, Unix seconds.
        public var time: Int64
        public var requests: Int64
        public var errors: Int64
        public var latency: LatencyHistogram
    }

    public struct Series: Sendable {
        public var service: String
        public var operation: String
        public var points: [Point]
    }

    private let pool: PostgresReadPool

    public init(pool: PostgresReadPool) {
        self.pool = pool
    }

    /// One series per service and operation with requests in the range; buckets of `stepSeconds`
    /// aligned to the Unix epoch. Steps of whole six-hour periods read the six-hour rollups, whole hours the hourly ones.
    public func series(_ filter: Filter) async throws(StorageError) -> [Series] {
        try await pool.withConnection { connection throws(StorageError) in
            try Self.series(filter, connection)
        }
    }

    static func series(_ filter: Filter, _ connection: PostgresConnection) throws(StorageError) -> [Series] {
        // The coarsest rollup whose periods tile the step.
        let table = filter.stepSeconds % 21_600 == 0 ? "red_rollups_6h" : filter.stepSeconds % 3600 == 0 ? "red_rollups_hourly" : "red_rollups"
        // Rows are summed here rather than in SQL: adding thousands of jsonb histograms in SQL
        // means exploding them into hundreds of thousands of rows.
        var sql = SQLBuilder("")
        let step = sql.bind(String(filter.stepSeconds))
        sql.append("""
            SELECT service_name, operation, (floor(extract(epoch FROM time) / \(step)::bigint) * \(step)::bigint)::bigint,
                   request_count, error_count, latency
            FROM \(table)
            WHERE time >= \(sql.bind(filter.range.startText))::timestamptz AND time < \(sql.bind(filter.range.endText))::timestamptz
              AND span_kind = ANY(\(sql.bind("{" + filter.spanKinds.map(String.init).joined(separator: ",") + "}"))::smallint[])
            """)
        if let service = filter.service { sql.append(" AND service_name = \(sql.bind(service))") }
        if let operation = filter.operation { sql.append(" AND operation = \(sql.bind(operation))") }
        sql.append(" ORDER BY 1, 2, 3")
        var series: [Series] = []
        for row in try connection.execute(sql.text, sql.parameters).rows {
            guard let service = row[0], let operation = row[1], let bucket = row[2].flatMap({ Int64($0) }),
                let requests = row[3].flatMap({ Int64($0) }), let errors = row[4].flatMap({ Int64($0) }), let latency = row[5]
            else { continue }
            if series.last?.service != service || series.last?.operation != operation {
                series.append(Series(service: service, operation: operation, points: []))
            }
            let last = series.count - 1
            if series[last].points.last?.time != bucket {
                series[last].points.append(Point(time: bucket, requests: 0, errors: 0, latency: LatencyHistogram()))
            }
            let point = series[last].points.count - 1
            series[last].points[point].requests += requests
            series[last].points[point].errors += errors
            _ = series[last].points[point].latency.add(jsonText: latency)
        }
        return series
    }
}
