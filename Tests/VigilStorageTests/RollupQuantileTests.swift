import Testing
import VigilModel
import VigilTestSupport
@testable import VigilStorage

/// Hourly and six-hour rollups keep p50/p90/p99 beside the histogram once a period has one row;
/// RED reads use them, and they must equal the quantiles of the histogram.
@Suite struct RollupQuantileTests {
    @Test func theSQLQuantileEqualsTheHistogramQuantile() throws {
        let database = try TestDatabase.make()
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<25 {
            var histogram = LatencyHistogram()
            for _ in 0..<Int.random(in: 1...40, using: &generator) {
                histogram.record(nanos: Int64.random(in: 0...5_000_000_000, using: &generator), count: Int64.random(in: 1...50, using: &generator))
            }
            for q in [0.5, 0.9, 0.99, 0.0, 1.0] {
                let sql = try database.scalar("SELECT vigil_histogram_quantile($1::jsonb, $2::float8)", [histogram.jsonObject(), String(q)])
                #expect(sql.flatMap(Double.init) == histogram.quantileNanos(q).map { $0 / 1e9 }, "\(histogram.jsonObject()) q\(q)")
            }
        }
        #expect(try database.scalar("SELECT vigil_histogram_quantile('{}'::jsonb, 0.5)") == nil)
    }

    @Test func compactionFillsQuantilesThatREDReadsUse() async throws {
        let database = try TestDatabase.make()
        let hour: Int64 = 3_600_000_000_000
        let end = nowNanos / hour * hour
        let resource = Resource(attributes: [Attribute(key: "service.name", value: .string("cart"))])
        // Two requests (two transactions) per hour over 6 hours, so every hour first has two partial rows.
        try await withWriter(database) { writer in
            for request in 0..<2 {
                var spans: [Span] = []
                for index in 0..<60 {
                    let start = end - Int64(index % 6) * hour - 1_000_000 * Int64(index + 1)
                    spans.append(Span(
                        traceID: TraceID(high: 5, low: UInt64(request * 100 + index + 1)), spanID: SpanID(UInt64(index + 1)), name: "GET /",
                        kind: 2, startTimeUnixNano: UInt64(start), endTimeUnixNano: UInt64(start + Int64(index * index + request + 1) * 1_000_000)))
                }
                try await writer.write(encoder.encode(spans: ExportBatch(groups: [ScopedItems(resource: resource, scope: InstrumentationScope(), items: spans)])))
            }
        }
        let connection = try database.connect()
        let filter = REDQuery.Filter(range: TimeRange(start: end - 7 * hour, end: end + hour), stepSeconds: 3600, service: "cart")
        let beforeCompaction = try REDQuery.series(filter, connection)
        #expect(beforeCompaction.flatMap(\.points).allSatisfy { $0.quantiles == nil })
        try RollupCompactor().compact(on: connection)
        #expect(try database.scalar("SELECT count(*) FROM red_rollups_hourly WHERE latency_p50 IS NULL") == "0")
        #expect(try database.scalar("SELECT count(*) FROM red_rollups_hourly") == "6")
        let afterCompaction = try REDQuery.series(filter, connection)
        let points = afterCompaction.flatMap(\.points)
        #expect(points.count == 6)
        #expect(points.allSatisfy { $0.quantiles != nil && $0.latency.isEmpty })
        #expect(points.map(\.latencyQuantiles) == beforeCompaction.flatMap(\.points).map(\.latencyQuantiles))
        #expect(points.map(\.requests) == beforeCompaction.flatMap(\.points).map(\.requests))
        // Two hours per step: a point of two hourly rows falls back to their histograms.
        let twoHours = try REDQuery.series(REDQuery.Filter(range: filter.range, stepSeconds: 7200, service: "cart"), connection)
        for point in twoHours.flatMap(\.points) {
            let rows = points.filter { $0.time / 7200 * 7200 == point.time }
            #expect(point.quantiles == nil ? rows.count == 2 && point.latency.totalCount == point.requests : rows.count == 1)
        }
        #expect(twoHours.flatMap(\.points).reduce(0) { $0 + $1.requests } == 120)
    }
}
