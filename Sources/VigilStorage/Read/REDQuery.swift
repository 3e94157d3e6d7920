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

    public struct Point: Sendable, Equatable {
        /// Start of the step bucket, Unix seconds.
        public var time: Int64
        public var requests: Int64
        public var errors: Int64
        public var latency: LatencyHistogram
        /// p50, p90 and p99 in seconds, when the point is one hourly or six-hour row whose
        /// quantile columns are filled; `latency` is then empty.
        public var quantiles: [Double]?

        public init(time: Int64, requests: Int64, errors: Int64, latency: LatencyHistogram, quantiles: [Double]? = nil) {
            self.time = time
            self.requests = requests
            self.errors = errors
            self.latency = latency
            self.quantiles = quantiles
        }

        /// p50, p90 and p99 in seconds, or `nil` without requests.
        public var latencyQuantiles: [Double]? {
            quantiles ?? latency.quantilesNanos([0.5, 0.9, 0.99])?.map { $0 / 1e9 }
        }
    }

    public struct Series: Sendable, Equatable {
        public var service: String
        public var operation: String
        public var points: [Point]
    }

    private let pool: PostgresReadPool

    public init(pool: PostgresReadPool) {
        self.pool = pool
    }

    /// Rollup periods a range must cover before its read is split in two halves that run at once
    /// on two connections: turning thousands of histograms into text is most of such a read's
    /// time in PostgreSQL, and the halves share it between two backends.
    static let periodsPerShard: Int64 = 300

    /// One series per service and operation with requests in the range; buckets of `stepSeconds`
    /// aligned to the Unix epoch. Steps of whole six-hour periods read the six-hour rollups, whole hours the hourly ones.
    public func series(_ filter: Filter) async throws(StorageError) -> [Series] {
        let shards = Self.shards(filter)
        guard shards.count == 2 else {
            return try await pool.withConnection { connection throws(StorageError) in try Self.series(filter, connection) }
        }
        let (first, second) = (shards[0], shards[1])
        do {
            async let older = pool.withConnection { connection throws(StorageError) in try Self.seriesWithoutWorkers(first, connection) }
            let newer = try await pool.withConnection { connection throws(StorageError) in try Self.seriesWithoutWorkers(second, connection) }
            return Self.concatenated(try await older, newer)
        } catch let error as StorageError {
            throw error
        } catch {
            throw StorageError(code: .queryFailed, message: "RED read failed: \(error)")
        }
    }

    /// One half of a split read, without parallel workers: the halves already keep two backends
    /// busy, and more processes would only compete with them for the same cores.
    static func seriesWithoutWorkers(_ filter: Filter, _ connection: PostgresConnection) throws(StorageError) -> [Series] {
        _ = try connection.execute("SET max_parallel_workers_per_gather = 0")
        defer { _ = try? connection.execute("RESET max_parallel_workers_per_gather") }
        return try series(filter, connection)
    }

    /// The rollup table a step reads: the coarsest whose periods tile the step.
    static func table(stepSeconds: Int64) -> (name: String, periodSeconds: Int64) {
        stepSeconds % 21_600 == 0 ? ("red_rollups_6h", 21_600) : stepSeconds % 3600 == 0 ? ("red_rollups_hourly", 3600) : ("red_rollups", 60)
    }

    /// The filter itself, or its two halves split at a step boundary when the range covers at
    /// least twice ``periodsPerShard`` rollup periods.
    static func shards(_ filter: Filter) -> [Filter] {
        let period = table(stepSeconds: filter.stepSeconds).periodSeconds
        let seconds = (filter.range.end - filter.range.start) / 1_000_000_000
        guard seconds / period >= 2 * periodsPerShard else { return [filter] }
        let stepNanos = filter.stepSeconds * 1_000_000_000
        let middle = filter.range.start + (filter.range.end - filter.range.start) / 2
        let boundary = middle - ((middle % stepNanos) + stepNanos) % stepNanos
        guard boundary > filter.range.start, boundary < filter.range.end else { return [filter] }
        var older = filter, newer = filter
        older.range.end = boundary
        newer.range.start = boundary
        return [older, newer]
    }

    /// Series of an older and a newer half of one range, as one answer in the order of
    /// ``series(_:_:)`` (service, then operation, byte by byte); no step bucket spans the boundary.
    static func concatenated(_ older: [Series], _ newer: [Series]) -> [Series] {
        var result = older
        var positions: [String: Int] = [:]
        for (index, entry) in older.enumerated() { positions[entry.service + "\u{0}" + entry.operation] = index }
        for entry in newer {
            if let index = positions[entry.service + "\u{0}" + entry.operation] {
                result[index].points += entry.points
            } else {
                result.append(entry)
            }
        }
        return result.sorted(by: precedes)
    }

    private static func precedes(_ a: Series, _ b: Series) -> Bool {
        a.service == b.service ? a.operation.utf8.lexicographicallyPrecedes(b.operation.utf8) : a.service.utf8.lexicographicallyPrecedes(b.service.utf8)
    }

    static func series(_ filter: Filter, _ connection: PostgresConnection) throws(StorageError) -> [Series] {
        let table = table(stepSeconds: filter.stepSeconds).name
        let hasQuantiles = RollupCompactor.quantileTables.contains(table)
        // Rows are summed here rather than in SQL: adding thousands of jsonb histograms in SQL
        // means exploding them into hundreds of thousands of rows. A point made of one row with
        // its quantile columns filled takes those instead of its histogram, which saves turning
        // the histogram into text.
        var sql = SQLBuilder("")
        let step = sql.bind(String(filter.stepSeconds))
        let quantiles = hasQuantiles ? "latency_p50, latency_p90, latency_p99" : "NULL::float8, NULL::float8, NULL::float8"
        let alone = hasQuantiles ? "p50 IS NOT NULL AND count(*) OVER (PARTITION BY service_name, operation, bucket) = 1" : "false"
        sql.append("""
            SELECT service_name, operation, bucket, request_count, error_count,
                   CASE WHEN alone THEN NULL ELSE latency END, CASE WHEN alone THEN p50 END, CASE WHEN alone THEN p90 END, CASE WHEN alone THEN p99 END
            FROM (
                SELECT *, \(alone) AS alone
                FROM (
                    SELECT service_name, operation, (floor(date_part('epoch', time) / \(step)::float8) * \(step)::float8)::bigint AS bucket,
                           request_count, error_count, latency, \(quantiles)
                    FROM \(table)
                    WHERE time >= \(sql.bind(filter.range.startText))::timestamptz AND time < \(sql.bind(filter.range.endText))::timestamptz
                      AND span_kind = ANY(\(sql.bind("{" + filter.spanKinds.map(String.init).joined(separator: ",") + "}"))::smallint[])
            """)
        if let service = filter.service { sql.append(" AND service_name = \(sql.bind(service))") }
        if let operation = filter.operation { sql.append(" AND operation = \(sql.bind(operation))") }
        sql.append(#") AS stored (service_name, operation, bucket, request_count, error_count, latency, p50, p90, p99)) AS rows ORDER BY service_name COLLATE "C", operation COLLATE "C", bucket"#)
        var series: [Series] = []
        try connection.forEachRow(sql.text, sql.parameters) { row in
            guard let bucket = row.int64(2), let requests = row.int64(3), let errors = row.int64(4) else { return }
            let sameSeries = row.withUTF8(0) { service in
                row.withUTF8(1) { operation in
                    guard let service, let operation, let last = series.last else { return false }
                    return last.service.utf8.elementsEqual(service) && last.operation.utf8.elementsEqual(operation)
                }
            }
            if !sameSeries {
                guard let service = row.string(0), let operation = row.string(1) else { return }
                series.append(Series(service: service, operation: operation, points: []))
            }
            let last = series.count - 1
            if series[last].points.last?.time != bucket {
                series[last].points.append(Point(time: bucket, requests: 0, errors: 0, latency: LatencyHistogram()))
            }
            let point = series[last].points.count - 1
            series[last].points[point].requests += requests
            series[last].points[point].errors += errors
            if let p50 = row.string(6).flatMap(Double.init), let p90 = row.string(7).flatMap(Double.init), let p99 = row.string(8).flatMap(Double.init) {
                series[last].points[point].quantiles = [p50, p90, p99]
            } else {
                _ = row.withUTF8(5) { text in text.map { series[last].points[point].latency.add(jsonUTF8: $0) } }
            }
        }
        return series
    }
}
