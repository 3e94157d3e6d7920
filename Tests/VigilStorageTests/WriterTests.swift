import Logging
import Testing
import VigilTestSupport
import VigilModel
@testable import VigilStorage

@Suite struct WriterTests {
    static func spans(_ count: Int, traceLow: UInt64) -> EncodedBatch {
        let spans = (0..<count).map { Span(traceID: TraceID(high: 3, low: traceLow), spanID: SpanID(UInt64($0 + 1)), name: "s\($0)", startTimeUnixNano: UInt64(nowNanos)) }
        return encoder.encode(spans: ExportBatch(groups: [ScopedItems(resource: Resource(), scope: InstrumentationScope(), items: spans)]))
    }

    @Test func concurrentRequestsAreAllCommitted() async throws {
        let database = try TestDatabase.make()
        try await withWriter(database) { writer in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for request in 0..<40 {
                    group.addTask { try await writer.write(Self.spans(25, traceLow: UInt64(request))) }
                }
                try await group.waitForAll()
            }
        }
        #expect(try database.scalar("SELECT count(*) FROM spans") == "1000")
        #expect(try database.scalar("SELECT count(*) FROM traces") == "40")
    }

    @Test func aRequestThePostgresRefusesDoesNotCostOthersTheirData() async throws {
        let database = try TestDatabase.make()
        var broken = Self.spans(1, traceLow: 99)
        broken.spans = Array("not\ta\tvalid\trow\n".utf8)
        let refused = broken
        try await withWriter(database) { writer in
            let bad = Task { try await writer.write(refused) }
            async let good1: Void = writer.write(Self.spans(10, traceLow: 1))
            async let good2: Void = writer.write(Self.spans(10, traceLow: 2))
            try await good1
            try await good2
            await #expect(throws: StorageError.self) { try await bad.value }
            // The writer is not wedged: later requests still commit.
            try await writer.write(Self.spans(5, traceLow: 3))
        }
        #expect(try database.scalar("SELECT count(*) FROM spans") == "25")
    }

    @Test func aFullQueueRefusesNewRequestsUntilItDrains() async throws {
        let database = try TestDatabase.make()
        let writer = IngestWriter(configuration: .init(conninfo: database.conninfo, maxQueuedRows: 15), logger: Logger(label: "test"))
        let first = Task { try await writer.write(Self.spans(10, traceLow: 1)) }
        while writer.queuedRows == 0 { await Task.yield() }
        do {
            try await writer.write(Self.spans(10, traceLow: 2))
            Issue.record("a write beyond the queue limit was accepted")
        } catch let error as StorageError {
            #expect(error.code == .queueFull)
            #expect(error.isRetryable)
        }
        let running = Task { try await writer.run() }
        try await first.value
        try await writer.write(Self.spans(10, traceLow: 2))
        writer.stop()
        try await running.value
        #expect(try database.scalar("SELECT count(*) FROM spans") == "20")
    }

    @Test func anUnreachableDatabaseIsReportedAsRetryable() async throws {
        let writer = IngestWriter(configuration: .init(conninfo: "postgresql://vigil@127.0.0.1:1/none?connect_timeout=2"), logger: Logger(label: "test"))
        let running = Task { try await writer.run() }
        do {
            try await writer.write(Self.spans(1, traceLow: 1))
            Issue.record("a write without a database succeeded")
        } catch let error as StorageError {
            #expect(error.code == .unavailable)
            #expect(error.isRetryable)
        }
        writer.stop()
        try await running.value
    }
}
