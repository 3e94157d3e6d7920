import Logging
import ServiceLifecycle
import VigilStorage

/// Every minute, merges the partial RED rollup rows that ingest appended (see ``RollupCompactor``).
struct RollupCompaction: Service {
    let pool: PostgresReadPool
    let logger: Logger
    var interval: Duration = .seconds(60)

    func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            try? await cancelWhenGracefulShutdown {
                try await Task.sleep(for: interval)
            }
            guard !Task.isShuttingDownGracefully, !Task.isCancelled else { return }
            do {
                let merged = try await pool.withConnection { connection throws(StorageError) in
                    try RollupCompactor().compact(on: connection)
                }
                logger.debug("compacted RED rollups", metadata: ["db.rows_merged": "\(merged)"])
            } catch {
                logger.error("RED rollup compaction failed", metadata: ["error": "\(error)"])
            }
        }
    }
}
