import Testing
import VigilModel
import VigilTestSupport
@testable import VigilStorage

/// With a service, trace search scans spans newest first and stops early; without one it groups
/// every matching span. Both must give the same pages, also when the scan needs several chunks.
@Suite struct TraceSearchPlanTests {
    @Test func newestFirstScanPagesLikeGrouping() async throws {
        let database = try TestDatabase.make()
        let start = (nowNanos / 1_000_000_000 - 7_200) * 1_000_000_000
        let resource = Resource(attributes: [Attribute(key: "service.name", value: .string("cart"))])
        // 400 traces of 1 to 6 spans at interleaved times (a trace's spans are spread over the
        // hour, so its newest span is not next to its others), 3 with identical newest times.
        var spans: [Span] = []
        for trace in 0..<400 {
            for position in 0..<(1 + trace % 6) {
                let offset = Int64((trace * 7_919 + position * 104_729) % 3_600) * 1_000_000_000 + Int64(trace % 3 == 0 ? 0 : trace)
                var attributes: [Attribute] = []
                if position % 2 == 0 { attributes.append(Attribute(key: "http.route", value: .string("/pay"))) }
                spans.append(Span(
                    traceID: TraceID(high: 7, low: UInt64(trace + 1)), spanID: SpanID(UInt64(trace * 10 + position + 1)), name: "op",
                    kind: 2, startTimeUnixNano: UInt64(start + offset), endTimeUnixNano: UInt64(start + offset + 1_000_000), attributes: attributes))
            }
        }
        try await withWriter(database) { writer in
            try await writer.write(encoder.encode(spans: ExportBatch(groups: [ScopedItems(resource: resource, scope: InstrumentationScope(), items: spans)])))
        }
        let connection = try database.connect()
        for attributes in [[], [AttributeFilter(key: "http.route", value: "/pay")]] {
            var filter = TraceSearch.Filter(range: TimeRange(start: start, end: start + 3_601_000_000_000), service: "cart", attributes: attributes, limit: 37)
            var scanned: [TraceID] = [], grouped: [TraceID] = []
            for _ in 0..<20 {
                let scan = try TraceSearch.newestFirst(filter, connection)
                let group = try TraceSearch.grouped(filter, connection)
                #expect(scan.map(\.0) == group.map(\.0))
                #expect(scan.map(\.1) == group.map(\.1))
                scanned += scan.prefix(filter.limit).map(\.0)
                grouped += group.prefix(filter.limit).map(\.0)
                guard scan.count > filter.limit, let last = scan.prefix(filter.limit).last else { break }
                filter.cursor = TraceSearch.Cursor(timeMicros: last.1, traceID: last.0)
            }
            #expect(scanned.count == 400)
            #expect(Set(scanned).count == 400)
            #expect(scanned == grouped)
        }
    }
}
