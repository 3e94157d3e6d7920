import Logging
import ServiceLifecycle
import VigilStorage

/// Keeps daily partitions created ahead of time and drops those past the retention period,
/// at start-up and then every maintenance interval.
struct StorageMaintenance: Service {
    let pool: PostgresReadPool
    let storage: VigilConfiguration.Storage
    let logger: Logger
    let now: @Sendable () -> Int64

    func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                try await runOnce()
            } catch {
                logger.error("partition maintenance failed", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown {
                try await Task.sleep(for: .seconds(storage.maintenanceIntervalSeconds))
            }
        }
    }

    /// Creates today's and the next partitions, then drops expired ones.
    func runOnce() async throws(StorageError) {
        let today = now() / 86_400_000_000_000
        let storage = self.storage
        let logger = self.logger
        try await pool.withConnection { connection throws(StorageError) in
            let manager = PartitionManager()
            let existing = try manager.existingPartitions(connection)
            for table in PartitionManager.partitionedTables {
                for day in today...(today + Int64(storage.partitionsAhead)) {
                    let key = PartitionKey(table: table, day: day)
                    if !existing.contains(key) { try manager.create(key, on: connection) }
                }
            }
            try manager.dropPartitions(of: PartitionManager.rawTables, endingBefore: today - Int64(storage.retentionDays), on: connection, logger: logger)
            try manager.dropPartitions(of: PartitionManager.rollupTables, endingBefore: today - Int64(storage.rollupRetentionDays), on: connection, logger: logger)
        }
    }
}
