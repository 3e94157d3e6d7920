import Foundation
import Logging
import Metrics
import ServiceLifecycle
import VigilModel

/// Group commit: every request's rows wait in one queue; a dedicated thread takes all that is
/// waiting, writes it with COPY in a single transaction, commits, and only then answers each
/// request. Throughput therefore does not depend on how small clients' batches are.
///
/// A request is never answered before its rows are committed. When a merged transaction fails,
/// each request is retried in a transaction of its own, so one unstorable request cannot cost
/// another its data, and the writer moves on.
public final class IngestWriter: Service, @unchecked Sendable {
    // @unchecked Sendable: `state` is only touched with `condition` locked; `connection`,
    // `known*` and `partitions` only on the writer thread.

    public struct Configuration: Sendable {
        /// libpq connection string or URL.
        public var conninfo: String
        /// Rows waiting beyond which new requests are refused with ``StorageError/Code/queueFull``.
        public var maxQueuedRows: Int
        /// Most rows merged into one transaction.
        public var maxTransactionRows: Int

        public init(conninfo: String, maxQueuedRows: Int = 500_000, maxTransactionRows: Int = 50_000) {
            self.conninfo = conninfo
            self.maxQueuedRows = maxQueuedRows
            self.maxTransactionRows = maxTransactionRows
        }
    }

    private struct Pending {
        var batch: EncodedBatch
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var queue: [Pending] = []
        var queuedRows = 0
        var stopping = false
        var available = true
    }

    private let configuration: Configuration
    /// Self-metrics on `/metrics`: rows waiting, rows committed, commit latency.
    private let queuedRowsGauge = Gauge(label: "vigil_ingest_queued_rows")
    private let committedRows = Counter(label: "vigil_ingest_committed_rows_total")
    private let commitDuration = Metrics.Timer(label: "vigil_ingest_commit_duration_seconds")
    private let logger: Logger
    private let condition = NSCondition()
    private var state = State()
    var connection: PostgresConnection?
    var knownResources = Set<Int64>()
    var knownScopes = Set<Int64>()
    var knownSeries = Set<Int64>()
    var partitions = Set<PartitionKey>()
    let partitionManager = PartitionManager()

    public init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Rows waiting to be written.
    public var queuedRows: Int {
        condition.lock()
        defer { condition.unlock() }
        return state.queuedRows
    }

    /// Stores a batch; returns once it is committed.
    ///
    /// - Throws: ``StorageError`` with code `queueFull` or `unavailable` (retryable) when the
    ///   batch cannot be taken now, `shuttingDown` after shutdown began, `queryFailed` when
    ///   PostgreSQL refused the batch's rows.
    public func write(_ batch: EncodedBatch) async throws {
        guard batch.rowCount > 0 else { return }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            condition.lock()
            defer { condition.unlock() }
            if state.stopping {
                continuation.resume(throwing: StorageError(code: .shuttingDown, message: "the server is shutting down"))
            } else if !state.available {
                continuation.resume(throwing: StorageError(code: .unavailable, message: "PostgreSQL is not reachable"))
            } else if state.queuedRows > 0, state.queuedRows + batch.rowCount > configuration.maxQueuedRows {
                continuation.resume(throwing: StorageError(code: .queueFull, message: "the write queue is full (\(state.queuedRows) rows waiting)"))
            } else {
                state.queue.append(Pending(batch: batch, continuation: continuation))
                state.queuedRows += batch.rowCount
                condition.signal()
            }
        }
    }

    /// Runs the writer thread until graceful shutdown; waiting batches are written before it returns.
    public func run() async throws {
        let (finished, done) = AsyncStream<Void>.makeStream()
        let worker = Thread { [self] in
            writerLoop()
            done.finish()
        }
        worker.name = "vigil-writer"
        worker.start()
        await withGracefulShutdownHandler {
            for await _ in finished {}
        } onGracefulShutdown: { [self] in
            stop()
        }
    }

    /// Asks the writer to finish the queue and stop.
    public func stop() {
        condition.lock()
        state.stopping = true
        condition.broadcast()
        condition.unlock()
    }

    private func writerLoop() {
        while true {
            condition.lock()
            while state.queue.isEmpty, !state.stopping { condition.wait() }
            if state.queue.isEmpty, state.stopping {
                condition.unlock()
                break
            }
            var taken: [Pending] = []
            var rows = 0
            while let first = state.queue.first, taken.isEmpty || rows + first.batch.rowCount <= configuration.maxTransactionRows {
                taken.append(state.queue.removeFirst())
                rows += first.batch.rowCount
            }
            // Only waiting rows count against the limit; a transaction holds at most maxTransactionRows.
            state.queuedRows -= rows
            queuedRowsGauge.record(state.queuedRows)
            condition.unlock()
            writeGroup(taken)
        }
        connection = nil
    }

    private func writeGroup(_ group: [Pending]) {
        let rows = group.reduce(0) { $0 + $1.batch.rowCount }
        do throws(StorageError) {
            let started = ContinuousClock.now
            try writeTransaction(group.map(\.batch))
            let elapsed = (ContinuousClock.now - started).components
            commitDuration.recordNanoseconds(elapsed.seconds * 1_000_000_000 + elapsed.attoseconds / 1_000_000_000)
            committedRows.increment(by: rows)
            group.forEach { $0.continuation.resume() }
            return
        } catch where error.code == .unavailable {
            failAll(group, error)
            reconnectUntilAvailable()
            return
        } catch {
            if group.count == 1 {
                logger.error("batch could not be stored", metadata: ["error": "\(error)", "db.batch_rows": "\(rows)"])
                group[0].continuation.resume(throwing: error)
                return
            }
            logger.warning("merged transaction failed; retrying each request alone", metadata: ["error": "\(error)"])
        }
        for pending in group {
            do throws(StorageError) {
                try writeTransaction([pending.batch])
                pending.continuation.resume()
            } catch {
                logger.error("batch could not be stored", metadata: ["error": "\(error)", "db.batch_rows": "\(pending.batch.rowCount)"])
                pending.continuation.resume(throwing: error)
                if error.code == .unavailable { reconnectUntilAvailable() }
            }
        }
    }

    private func failAll(_ group: [Pending], _ error: StorageError) {
        group.forEach { $0.continuation.resume(throwing: error) }
    }

    /// Marks the store unavailable (new requests get 503) and retries the connection with
    /// backoff; requests already queued are answered `unavailable` too.
    private func reconnectUntilAvailable() {
        connection = nil
        condition.lock()
        state.available = false
        let queued = state.queue
        state.queue.removeAll()
        state.queuedRows = 0
        condition.unlock()
        let error = StorageError(code: .unavailable, message: "PostgreSQL is not reachable")
        failAll(queued, error)
        var delay = 0.1
        while true {
            condition.lock()
            let stopping = state.stopping
            condition.unlock()
            if stopping { return }
            if (try? openConnection()) != nil { break }
            Thread.sleep(forTimeInterval: delay)
            delay = min(delay * 2, 5)
        }
        condition.lock()
        state.available = true
        condition.unlock()
        logger.info("PostgreSQL is reachable again")
    }

    @discardableResult
    func openConnection() throws(StorageError) -> PostgresConnection {
        if let connection, connection.isHealthy { return connection }
        let fresh = try PostgresConnection(conninfo: configuration.conninfo)
        try fresh.execute("SET synchronous_commit = on")
        partitions = try partitionManager.existingPartitions(fresh)
        connection = fresh
        return fresh
    }
}
