import Foundation
import VigilModel
import Logging

/// Creates and drops the daily partitions of the time-partitioned tables.
public struct PartitionManager: Sendable {
    /// The time-partitioned tables of raw telemetry, kept for `storage.retention`.
    public static let rawTables = ["spans", "logs", "metric_points", "exemplars"]
    /// The time-partitioned RED rollups, kept for `storage.rollup_retention`.
    public static let rollupTables = ["red_rollups", "red_rollups_hourly", "red_rollups_6h"]
    public static let partitionedTables = rawTables + rollupTables

    public init() {}

    /// The days (since the Unix epoch) that already have a partition, per table.
    public func existingPartitions(_ connection: PostgresConnection) throws(StorageError) -> Set<PartitionKey> {
        let result = try connection.execute("""
            SELECT parent.relname, child.relname
            FROM pg_inherits
            JOIN pg_class parent ON parent.oid = pg_inherits.inhparent
            JOIN pg_class child ON child.oid = pg_inherits.inhrelid
            JOIN pg_namespace ns ON ns.oid = parent.relnamespace
            WHERE ns.nspname = current_schema() AND parent.relname = ANY($1::text[])
            """, ["{" + Self.partitionedTables.joined(separator: ",") + "}"])
        var keys = Set<PartitionKey>()
        for row in result.rows {
            guard let table = row[0], let child = row[1], let key = PartitionKey(table: table, partitionName: child) else { continue }
            keys.insert(key)
        }
        return keys
    }

    /// Creates the partition for `key` if it does not exist.
    public func create(_ key: PartitionKey, on connection: PostgresConnection) throws(StorageError) {
        let name = quoted(key.partitionName)
        try connection.execute("""
            CREATE TABLE IF NOT EXISTS \(name) PARTITION OF \(quoted(key.table))
                FOR VALUES FROM ('\(CivilTime.isoDate(ofDay: key.day)) 00:00:00+00') TO ('\(CivilTime.isoDate(ofDay: key.day + 1)) 00:00:00+00');
            COMMENT ON TABLE \(name) IS 'Partition of \(key.table) for \(CivilTime.isoDate(ofDay: key.day)) (UTC).'
            """)
    }

    /// Drops every partition of `tables` that ends before `cutoffDay`; with the raw tables, also
    /// the trace index entries that ended before it. Returns the partitions dropped.
    @discardableResult
    public func dropPartitions(
        of tables: [String] = PartitionManager.rawTables, endingBefore cutoffDay: Int64, on connection: PostgresConnection, logger: Logger
    ) throws(StorageError) -> [PartitionKey] {
        let expired = try existingPartitions(connection).filter { tables.contains($0.table) && $0.day + 1 <= cutoffDay }.sorted { $0.partitionName < $1.partitionName }
        for key in expired {
            try connection.execute("DROP TABLE IF EXISTS \(quoted(key.partitionName))")
            logger.info("dropped expired partition", metadata: ["db.partition": "\(key.partitionName)"])
        }
        guard tables.contains("spans") else { return expired }
        try connection.execute(
            "DELETE FROM traces WHERE last_time < $1::timestamptz",
            [CivilTime.isoDate(ofDay: cutoffDay) + " 00:00:00+00"]
        )
        return expired
    }

    private func quoted(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// A table and a day: one partition.
public struct PartitionKey: Hashable, Sendable {
    public var table: String
    /// Days since 1970-01-01 (UTC).
    public var day: Int64

    public init(table: String, day: Int64) {
        self.table = table
        self.day = day
    }

    /// `<table>_pYYYYMMDD`.
    public var partitionName: String { "\(table)_p\(CivilTime.compactDate(ofDay: day))" }

    init?(table: String, partitionName: String) {
        let prefix = table + "_p"
        guard partitionName.hasPrefix(prefix) else { return nil }
        let digits = partitionName.dropFirst(prefix.count)
        guard digits.count == 8, let y = Int64(digits.prefix(4)), let m = Int64(digits.dropFirst(4).prefix(2)), let d = Int64(digits.suffix(2)) else { return nil }
        self.init(table: table, day: CivilTime.days(year: y, month: m, day: d))
    }
}
