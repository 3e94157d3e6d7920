/// Merges the partial rows that ingest transactions append to the RED rollup tables into one
/// row per key and period, so that long-range reads stay small.
public struct RollupCompactor: Sendable {
    public init() {}

    /// Compacts every key and period with more than one row that starts within `lookbackDays`
    /// of now, then fills the quantile columns of the hourly and six-hour rows that are alone in
    /// their key and period. Returns the number of rows merged away. Safe to run from several processes: a
    /// partial row is deleted (and counted) by exactly one compaction.
    @discardableResult
    public func compact(on connection: PostgresConnection, lookbackDays: Int = 2) throws(StorageError) -> Int {
        var merged = 0
        for table in PartitionManager.rollupTables {
            let result = try connection.execute("""
                WITH keys AS (
                    SELECT service_name, operation, span_kind, time FROM \(table)
                    WHERE time >= now() - make_interval(days => $1::int)
                    GROUP BY 1, 2, 3, 4 HAVING count(*) > 1
                ), moved AS (
                    DELETE FROM \(table) r USING keys k
                    WHERE r.service_name = k.service_name AND r.operation = k.operation AND r.span_kind = k.span_kind AND r.time = k.time
                    RETURNING r.*
                ), inserted AS (
                    INSERT INTO \(table)
                    (time, service_name, operation, span_kind, request_count, error_count, duration_sum_nanos, latency)
                    SELECT time, service_name, operation, span_kind, sum(request_count), sum(error_count), sum(duration_sum_nanos), vigil_histogram_sum(latency)
                    FROM moved GROUP BY 1, 2, 3, 4
                    RETURNING 1
                )
                SELECT (SELECT count(*) FROM moved) - (SELECT count(*) FROM inserted)
                """, [String(lookbackDays)])
            merged += Int(result.scalar ?? "0") ?? 0
            if Self.quantileTables.contains(table) {
                try connection.execute("""
                    UPDATE \(table) r
                    SET latency_p50 = vigil_histogram_quantile(latency, 0.5), latency_p90 = vigil_histogram_quantile(latency, 0.9),
                        latency_p99 = vigil_histogram_quantile(latency, 0.99)
                    WHERE latency_p50 IS NULL AND time >= now() - make_interval(days => $1::int)
                      AND NOT EXISTS (
                          SELECT 1 FROM \(table) o
                          WHERE o.service_name = r.service_name AND o.operation = r.operation AND o.span_kind = r.span_kind
                            AND o.time = r.time AND o.ctid <> r.ctid)
                    """, [String(lookbackDays)])
            }
        }
        return merged
    }

    /// Rollup tables that keep p50/p90/p99 beside the histogram (migration 0006).
    static let quantileTables: Set<String> = ["red_rollups_hourly", "red_rollups_6h"]
}
