import Foundation
import Testing
import VigilAlerting
import VigilModel
@testable import VigilRules

@Suite struct InMemoryRuleDataSourceTests {
    static let minute: Duration = .seconds(60)
    static let s: Int64 = 1_000_000_000

    static func at(_ seconds: Double) -> Date {
        Date(timeIntervalSince1970: seconds)
    }

    static func spans(_ service: String, operation: String = "op", kind: SpanKind = .server, status: RuleTest.InputSpans.Status = .unset, duration: Duration = .milliseconds(100), attributes: [String: String] = [:], _ counts: [Int]) -> RuleTest.InputSpans {
        RuleTest.InputSpans(service: service, operation: operation, kind: kind, status: status, duration: duration, attributes: attributes, counts: counts)
    }

    // MARK: Metric series

    @Test func seriesHaveTheirPointsInTheWindowAfterTheNewestEarlierOne() async throws {
        let source = InMemoryRuleDataSource(interval: Self.minute, series: [
            RuleTest.InputSeries(metric: "q", service: "orders", attributes: ["queue": "a"], kind: .gauge, values: [1, 2, nil, 4, 5, 6]),
            RuleTest.InputSeries(metric: "q", service: "billing", kind: .gauge, values: [9]),
            RuleTest.InputSeries(metric: "other", service: "orders", kind: .gauge, values: [1, 1, 1, 1, 1, 1]),
        ])
        // (2m, 4m]: the points at 3m and 4m, after the one at 1m (there is none at 2m). The point
        // at 5m is not there yet; billing has no point in the window; `other` is another metric.
        let series = try await source.metricSeries(SeriesSelector(metric: "q"), window: .seconds(120), end: Self.at(240))
        #expect(series == [MetricSeriesWindow(
            service: "orders", attributes: ["queue": "a", "service.name": "orders"], kind: .gauge, temporality: .unspecified,
            points: [.init(time: 60 * Self.s, value: 2), .init(time: 180 * Self.s, value: 4), .init(time: 240 * Self.s, value: 5)])])
        // A point exactly at the window's start is the baseline, not inside the window.
        let exact = try await source.metricSeries(SeriesSelector(metric: "q", services: ["orders"]), window: .seconds(60), end: Self.at(240))
        #expect(exact.first?.points.map(\.time) == [180 * Self.s, 240 * Self.s])
        let billing = try await source.metricSeries(SeriesSelector(metric: "q", services: ["billing"]), window: .seconds(300), end: Self.at(240))
        #expect(billing.map(\.service) == ["billing"])
        #expect(billing.first?.points == [.init(time: 0, value: 9)])
    }

    @Test func seriesTypesBecomeOTLPKindsAndTemporalities() async throws {
        let source = InMemoryRuleDataSource(interval: Self.minute, series: [
            RuleTest.InputSeries(metric: "counter", kind: .counter, values: [0, 10]),
            RuleTest.InputSeries(metric: "delta", kind: .deltaCounter, values: [3, 4]),
            RuleTest.InputSeries(metric: "updown", kind: .updown, values: [1, -1]),
            RuleTest.InputSeries(metric: "latency", bounds: [0.1, 0.5], cumulativeCounts: [[1, 3, 4], nil, [2, 6, 10]]),
        ])
        func read(_ metric: String) async throws -> MetricSeriesWindow? {
            try await source.metricSeries(SeriesSelector(metric: metric), window: .seconds(600), end: Self.at(120)).first
        }
        // Cumulative series carry no start time, as scraped counters: the first point is the baseline.
        #expect(try await read("counter") == MetricSeriesWindow(
            service: "", attributes: [:], kind: .sum, temporality: .cumulative, isMonotonic: true,
            points: [.init(time: 0, value: 0), .init(time: 60 * Self.s, value: 10)]))
        // Each delta covers the step before it.
        #expect(try await read("delta") == MetricSeriesWindow(
            service: "", attributes: [:], kind: .sum, temporality: .delta, isMonotonic: true,
            points: [.init(time: 0, startTime: -60 * Self.s, value: 3), .init(time: 60 * Self.s, startTime: 0, value: 4)]))
        #expect(try await read("updown") == MetricSeriesWindow(
            service: "", attributes: [:], kind: .sum, temporality: .cumulative, isMonotonic: false,
            points: [.init(time: 0, value: 1), .init(time: 60 * Self.s, value: -1)]))
        // Cumulative-in-le counts 1 3 4 are 1, 2 and 1 observations per bucket; the count is the +Inf bucket's.
        #expect(try await read("latency") == MetricSeriesWindow(
            service: "", attributes: [:], kind: .histogram, temporality: .cumulative,
            points: [
                .init(time: 0, count: 4, bucketCounts: [1, 2, 1], explicitBounds: [0.1, 0.5]),
                .init(time: 120 * Self.s, count: 10, bucketCounts: [2, 4, 4], explicitBounds: [0.1, 0.5]),
            ]))
    }

    // MARK: Span totals

    @Test func rollupRulesCountWholeMinutesAndOthersTheExactWindow() async throws {
        // Spans of no duration: those ending at step k start at k minutes.
        let source = InMemoryRuleDataSource(interval: Self.minute, spans: [Self.spans("checkout", duration: .zero, [1, 2, 4, 8, 16, 32])])
        let selector = SpanSelector(services: ["checkout"])
        // From the rollups, the window (0, 5m] is the minutes 0 to 4: 1 + 2 + 4 + 8 + 16.
        let rollup = try await source.spanTotals(selector, errors: .statusError, window: .seconds(300), end: Self.at(300), by: [])
        #expect(rollup.map(\.requests) == [31])
        // An attribute matcher reads the spans themselves: starts in (0, 5m], 2 + 4 + 8 + 16 + 32.
        var exact = selector
        exact.attributeMatchers = [try Matcher(name: "service.name", kind: .equal, value: "checkout")]
        let raw = try await source.spanTotals(exact, errors: .statusError, window: .seconds(300), end: Self.at(300), by: [])
        #expect(raw.map(\.requests) == [62])
    }

    @Test func spansCountOnceTheyHaveEndedByTheirStart() async throws {
        // One span from 30s to 2m.
        let source = InMemoryRuleDataSource(interval: Self.minute, spans: [Self.spans("checkout", duration: .seconds(90), [0, 0, 1])])
        let selector = SpanSelector(services: ["checkout"])
        #expect(try await source.spanTotals(selector, errors: .statusError, window: .seconds(300), end: Self.at(60), by: []).isEmpty)
        #expect(try await source.spanTotals(selector, errors: .statusError, window: .seconds(300), end: Self.at(120), by: []).map(\.requests) == [1])
        // At 6m, the window (1m, 6m] no longer holds its start.
        #expect(try await source.spanTotals(selector, errors: .statusError, window: .seconds(300), end: Self.at(360), by: []).isEmpty)
    }

    @Test func totalsAreGroupedAndCountErrorsAsAsked() async throws {
        let source = InMemoryRuleDataSource(interval: Self.minute, spans: [
            Self.spans("checkout", operation: "POST /checkout", attributes: ["code": "200"], [3]),
            Self.spans("checkout", operation: "POST /checkout", status: .ok, duration: .seconds(2), attributes: ["code": "503"], [1]),
            Self.spans("checkout", operation: "GET /cart", status: .error, attributes: ["code": "404"], [2]),
            // Client spans are not requests the service handles: left out by default.
            Self.spans("checkout", operation: "GET /cart", kind: .client, status: .error, [5]),
        ])
        let selector = SpanSelector(services: ["checkout"])
        let byOperation = [GroupingLabel(key: "operation", source: .operation, name: "operation")]
        var fast = LatencyHistogram()
        fast.record(nanos: 100_000_000, count: 2)
        var mixed = LatencyHistogram()
        mixed.record(nanos: 100_000_000, count: 3)
        mixed.record(nanos: 2_000_000_000)
        // Errors by attribute: the 503 is one, the 404 is not.
        let byAttribute = try await source.spanTotals(selector, errors: .attributeAtLeast(key: "code", value: 500), window: .seconds(300), end: Self.at(60), by: byOperation)
        #expect(byAttribute == [
            SpanWindowTotals(group: ["operation": "GET /cart"], requests: 2, errors: 0, latency: fast),
            SpanWindowTotals(group: ["operation": "POST /checkout"], requests: 4, errors: 1, latency: mixed),
        ])
        // Errors by status: the 404s are, the 503 (status ok) is not.
        let byStatus = try await source.spanTotals(selector, errors: .statusError, window: .seconds(300), end: Self.at(60), by: byOperation)
        #expect(byStatus.map(\.errors) == [2, 0])
        // Grouped by an attribute; a span without it would count under "".
        let byCode = try await source.spanTotals(selector, errors: .statusError, window: .seconds(300), end: Self.at(60), by: [GroupingLabel(key: "code", source: .attribute("code"), name: "code")])
        #expect(byCode.map(\.group) == [["code": "200"], ["code": "404"], ["code": "503"]])
        #expect(byCode.map(\.requests) == [3, 2, 1])
    }

    // MARK: Evidence

    @Test func traceIDsSayWhichEntryStepAndSpan() {
        #expect(InMemoryRuleDataSource.traceID(entry: 2, step: 10, span: 1) == "000000020000000a0000000000000001")
        #expect(InMemoryRuleDataSource.traceID(entry: 1, step: 0, span: 300) == "0000000100000000000000000000012c")
    }

    @Test func evidenceIsNewestFirstInInputOrderUpToTheLimit() async throws {
        let source = InMemoryRuleDataSource(interval: Self.minute, spans: [
            Self.spans("checkout", status: .error, [1, 2, 1]),
            Self.spans("checkout", status: .error, [0, 0, 1]),
            Self.spans("checkout", [5, 5, 5]),
            Self.spans("checkout", duration: .seconds(2), [0, 1]),
        ])
        let selector = SpanSelector(services: ["checkout"])
        let id = InMemoryRuleDataSource.traceID
        // Step 2 (both entries, in input order), then step 1's two spans, then step 0.
        let errors = try await source.evidence(selector, .errors(.statusError), window: .seconds(300), end: Self.at(120), group: [:], by: [], limit: 5)
        #expect(errors == [id(1, 2, 1), id(2, 2, 1), id(1, 1, 1), id(1, 1, 2), id(1, 0, 1)])
        let fewer = try await source.evidence(selector, .errors(.statusError), window: .seconds(300), end: Self.at(120), group: [:], by: [], limit: 3)
        #expect(fewer == [id(1, 2, 1), id(2, 2, 1), id(1, 1, 1)])
        let slow = try await source.evidence(selector, .slowerThan(.seconds(1)), window: .seconds(300), end: Self.at(120), group: [:], by: [], limit: 5)
        #expect(slow == [id(4, 1, 1)])
    }

    // MARK: Last seen

    /// `service@milliseconds` per group (`*` without `by`); `Date` keeps sub-second times only
    /// to a fraction of a microsecond, so they are compared in milliseconds.
    static func seen(_ result: [(group: [String: String], time: Date?)]) -> [String] {
        result.map { "\($0.group["service"] ?? "*")@\($0.time.map { String(Int64(($0.timeIntervalSince1970 * 1_000).rounded())) } ?? "never")" }
    }

    @Test func lastSeenIsTheNewestItemThatArrived() async throws {
        let source = InMemoryRuleDataSource(
            interval: Self.minute,
            series: [RuleTest.InputSeries(metric: "q", service: "orders", attributes: ["queue": "a"], kind: .gauge, values: [1, nil, 3, 4])],
            spans: [Self.spans("checkout", [1, 1, 1])],
            logs: [RuleTest.InputLogs(service: "cart", counts: Array(repeating: 1, count: 20)), RuleTest.InputLogs(service: "checkout", counts: [1, 1, 1, 1])])
        // A span counts by its start: the last one started at 1m59.9s.
        #expect(Self.seen(try await source.lastSeen(NoDataRule(signal: .traces, services: ["checkout"], absentFor: .seconds(300)), end: Self.at(600))) == ["*@119900"])
        #expect(Self.seen(try await source.lastSeen(NoDataRule(signal: .traces, services: ["payments"], absentFor: .seconds(300)), end: Self.at(600))) == ["*@never"])
        // The point at 3m has not arrived at 2m30s.
        let queue = NoDataRule(signal: .metrics, metric: "q", attributeMatchers: [try Matcher(name: "queue", kind: .equal, value: "a")], absentFor: .seconds(60))
        #expect(Self.seen(try await source.lastSeen(queue, end: Self.at(150))) == ["*@120000"])
        let otherQueue = NoDataRule(signal: .metrics, metric: "q", attributeMatchers: [try Matcher(name: "queue", kind: .equal, value: "b")], absentFor: .seconds(60))
        #expect(Self.seen(try await source.lastSeen(otherQueue, end: Self.at(150))) == ["*@never"])
        // By service: each service seen within seen_within, with its latest record.
        let byService = [GroupingLabel(key: "service", source: .service, name: "service")]
        let logs = NoDataRule(signal: .logs, absentFor: .seconds(300), seenWithin: .seconds(400), by: byService)
        #expect(Self.seen(try await source.lastSeen(logs, end: Self.at(540))) == ["cart@540000", "checkout@180000"])
        // At 10m checkout's last record (3m) is older than seen_within: it is forgotten.
        #expect(Self.seen(try await source.lastSeen(logs, end: Self.at(600))) == ["cart@600000"])
    }
}
