import NIOPosix
import Synchronization
import VigilStorage

/// Leadership among the `vigil serve` processes of one database: the process that holds a
/// session-level PostgreSQL advisory lock evaluates rules. The lock lives as long as its
/// connection, so a leader that dies (or loses its connection) frees it for the others.
///
/// The connection has its own thread: libpq never blocks the concurrency pool.
final class RuleLeadership: Sendable {
    /// The advisory lock key: the bytes of "vigilrul" read as a big-endian 64-bit integer.
    static let lockKey: Int64 = 0x7669_6769_6C72_756C

    private let conninfo: String
    private let thread: NIOThreadPool
    /// Only touched on `thread`, one call at a time.
    private let connection = Mutex<PostgresConnection?>(nil)

    init(conninfo: String) {
        self.conninfo = conninfo
        self.thread = NIOThreadPool(numberOfThreads: 1)
        thread.start()
    }

    /// Takes the lock if no other process holds it; true when this process holds it.
    func tryAcquire() async -> Bool {
        await run { connection throws(StorageError) in
            try connection.execute("SELECT pg_try_advisory_lock($1)", [String(Self.lockKey)]).rows.first?[0] == "t"
        } ?? false
    }

    /// True while the lock's connection is alive (and so the lock held).
    func isHeld() async -> Bool {
        await run { connection throws(StorageError) in
            try connection.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted").rows.first?[0] != "0"
        } ?? false
    }

    /// Frees the lock (closing the connection) and stops the thread.
    func shutdown() async {
        _ = await run { connection throws(StorageError) in
            _ = try connection.execute("SELECT pg_advisory_unlock_all()")
            return true
        }
        connection.withLock { $0 = nil }
        try? await thread.shutdownGracefully()
    }

    /// Runs `body` with the lock connection on the lock's thread, opening it when needed; a
    /// failure drops the connection (and with it the lock) and answers nil.
    private func run(_ body: @escaping @Sendable (PostgresConnection) throws(StorageError) -> Bool) async -> Bool? {
        try? await thread.runIfActive { [self] () -> Bool? in
            do {
                let open = try connection.withLock { current throws(StorageError) in
                    if let current, current.isHealthy { return current }
                    let made = try PostgresConnection(conninfo: conninfo)
                    current = made
                    return made
                }
                return try body(open)
            } catch {
                connection.withLock { $0 = nil }
                return nil
            }
        }
    }
}
