import Testing
import VigilModel
import VigilTestSupport
@testable import VigilStorage

/// Long RED reads run as two halves at once; the answer must be the one a single statement gives.
@Suite struct REDQueryShardTests {
    static let minute: Int64 = 60_000_000_000

    @Test func halvesSplitAtAStepBoundaryAndTileTheRange() {
        let range = TimeRange(start: 1_000 * Self.minute + 7, end: 2_500 * Self.minute + 3)
        let shards = REDQuery.shards(REDQuery.Filter(range: range, stepSeconds: 300))
        #expect(shards.count == 2)
        #expect(shards.first?.range.start == range.start)
        #expect(shards.last?.range.end == range.end)
        #expect(shards.first?.range.end == shards.last?.range.start)
        #expect((shards.first?.range.end ?? 1) % (300 * 1_000_000_000) == 0)
        // Under 600 rollup periods (here hourly ones) the read stays whole.
        let month = TimeRange(start: 0, end: 599 * 3600 * 1_000_000_000)
        #expect(REDQuery.shards(REDQuery.Filter(range: month, stepSeconds: 3600)).count == 1)
        #expect(REDQuery.shards(REDQuery.Filter(range: TimeRange(start: 0, end: 600 * 3600 * 1_000_000_000), stepSeconds: 3600)).count == 2)
    }

    @Test func halvesJoinSeriesByServiceAndOperation() {
        func series(_ service: String, _ operation: String, _ times: [Int64]) -> REDQuery.Series {
            REDQuery.Series(service: service, operation: operation, points: times.map { REDQuery.Point(time: $0, requests: 1, errors: 0, latency: LatencyHistogram()) })
        }
        let joined = REDQuery.concatenated(
            [series("b", "get", [1, 2]), series("a", "put", [1])],
            [series("a", "get", [3]), series("b", "get", [3, 4])])
        #expect(joined.map { "\($0.service) \($0.operation)" } == ["a get", "a put", "b get"])
        #expect(joined.last?.points.map(\.time) == [1, 2, 3, 4])
    }

    @Test func aShardedReadEqualsOneStatement() async throws {
        let database = try TestDatabase.make()
        let end = (nowNanos / Self.minute) * Self.minute
        let resource = Resource(attributes: [Attribute(key: "service.name", value: .string("cart"))])
        var spans: [Span] = []
        var expectedRequests: Int64 = 0, expectedErrors: Int64 = 0
        // Spans in 23 of the last 23 hours' minutes, two operations, every seventh one failed.
        for index in 0..<460 {
            let start = end - Int64(index % 23) * 61 * Self.minute - Int64(index) * 1_000_000
            let failed = index % 7 == 0
            spans.append(Span(
                traceID: TraceID(high: 9, low: UInt64(index + 1)), spanID: SpanID(UInt64(index + 1)), name: index % 2 == 0 ? "GET /a" : "POST /b",
                kind: 2, startTimeUnixNano: UInt64(start), endTimeUnixNano: UInt64(start + Int64(index + 1) * 1_000_000),
                status: Span.Status(code: failed ? 2 : 0, message: "")))
            expectedRequests += 1
            if failed { expectedErrors += 1 }
        }
        try await withWriter(database) { writer in
            try await writer.write(encoder.encode(spans: ExportBatch(groups: [ScopedItems(resource: resource, scope: InstrumentationScope(), items: spans)])))
        }
        let filter = REDQuery.Filter(range: TimeRange(start: end - 24 * 60 * Self.minute, end: end + Self.minute), stepSeconds: 120, service: "cart")
        #expect(REDQuery.shards(filter).count == 2)
        let pool = PostgresReadPool(conninfo: database.conninfo, size: 2)
        let sharded = try await REDQuery(pool: pool).series(filter)
        await pool.shutdown()
        let whole = try REDQuery.series(filter, database.connect())
        #expect(sharded == whole)
        #expect(sharded.map(\.operation) == ["GET /a", "POST /b"])
        #expect(sharded.flatMap(\.points).reduce(0) { $0 + $1.requests } == expectedRequests)
        #expect(sharded.flatMap(\.points).reduce(0) { $0 + $1.errors } == expectedErrors)
        #expect(sharded.flatMap(\.points).reduce(0) { $0 + $1.latency.totalCount } == expectedRequests)
        // Both halves contribute points.
        let boundary = (REDQuery.shards(filter).first?.range.end ?? 0) / 1_000_000_000
        let times = sharded.flatMap(\.points).map(\.time)
        #expect(times.contains { $0 < boundary })
        #expect(times.contains { $0 >= boundary })
    }
}
