/// Merges the partial rows that ingest transactions append to the RED rollup tables into one
/// row per key and period, so that long-range reads stay small.
public struct RollupCompactor: Sendable {
    public init() {}

    /// Compacts every key and period with more than one row that starts within `lookbackDays`
    /// of now. Returns the number of rows merged away. Safe to run from several processes: a
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
                    SELECT time, service_name, operation, span_kind, sum(request_count), sum(error_count), sum(duration_sum_nanos), vigil_histogram_sum(latency)
                    FROM moved GROUP BY 1, 2, 3, 4
                    RETURNING 1
                )
                SELECT (SELECT count(*) FROM moved) - (SELECT count(*) FROM inserted)
                """, [String(lookbackDays)])
            merged += Int(result.scalar ?? "0") ?? 0
        }
        return merged
    }
}
