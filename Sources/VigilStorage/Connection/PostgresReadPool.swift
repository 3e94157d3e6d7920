import NIOPosix
import Synchronization

/// A small pool of connections for reads. Each query runs on a thread of a `NIOThreadPool`, so
/// libpq never blocks the Swift concurrency pool.
public final class PostgresReadPool: Sendable {
    private let conninfo: String
    private let threadPool: NIOThreadPool
    private let idle: Mutex<[PostgresConnection]>
    private let size: Int

    /// - Parameters:
    ///   - conninfo: libpq connection string or URL.
    ///   - size: most connections open at once; also the number of threads.
    public init(conninfo: String, size: Int) {
        self.conninfo = conninfo
        self.size = max(1, size)
        self.threadPool = NIOThreadPool(numberOfThreads: self.size)
        self.idle = Mutex([])
        threadPool.start()
    }

    /// Runs `body` with a connection on a pool thread. A connection that fails is discarded and
    /// a fresh one is opened for the next caller.
    public func withConnection<Result: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) throws(StorageError) -> Result
    ) async throws(StorageError) -> Result {
        do {
            return try await threadPool.runIfActive { [self] () throws -> Result in
                let connection = try idle.withLock { $0.popLast() } ?? PostgresConnection(conninfo: conninfo)
                do {
                    let result = try body(connection)
                    release(connection)
                    return result
                } catch {
                    if connection.isHealthy { release(connection) }
                    throw error
                }
            }
        } catch let error as StorageError {
            throw error
        } catch {
            throw StorageError(code: .shuttingDown, message: "read pool is shut down")
        }
    }

    private func release(_ connection: PostgresConnection) {
        idle.withLock { connections in
            if connections.count < size { connections.append(connection) }
        }
    }

    /// Closes idle connections and stops the threads.
    public func shutdown() async {
        idle.withLock { $0.removeAll() }
        try? await threadPool.shutdownGracefully()
    }
}
