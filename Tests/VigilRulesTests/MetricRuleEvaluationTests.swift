import Foundation
import Testing
import VigilAlerting
import VigilRules
import VigilYAML

/// A data source holding whole metric histories, answering as ``RuleDataSource`` says: per series
/// of the metric and services, the points inside the window preceded by the newest earlier one;
/// series without a point inside are left out. Attribute matchers are left to the evaluator.
struct FakeMetricSource: RuleDataSource {
    var series: [String: [MetricSeriesWindow]]

    func spanTotals(_ selector: SpanSelector, errors: ServiceLevelIndicator.SpanErrors, window: Duration, end: Date, by: [GroupingLabel]) async throws -> [SpanWindowTotals] { [] }
    func evidence(_ selector: SpanSelector, _ kind: EvidenceKind, window: Duration, end: Date, group: [String: String], by: [GroupingLabel], limit: Int) async throws -> [String] { [] }
    func lastSeen(_ rule: NoDataRule, end: Date) async throws -> [(group: [String: String], time: Date?)] { [] }

    func metricSeries(_ selector: SeriesSelector, window: Duration, end: Date) async throws -> [MetricSeriesWindow] {
        let start = MetricSeriesWindow.windowStart(end: end, window: window)
        let last = start + window.nanoseconds
        return (series[selector.metric] ?? []).compactMap { item in
            guard selector.services.isEmpty || selector.services.contains(item.service) else { return nil }
            let inside = item.points.filter { $0.time > start && $0.time <= last }
            guard !inside.isEmpty else { return nil }
            var windowed = item
            windowed.points = (item.points.last { $0.time <= start }.map { [$0] } ?? []) + inside
            return windowed
        }
    }
}

/// Metric rules and metric SLIs from series to results. Rule windows are the 100 seconds
/// `(900s, 1000s]` unless a test says otherwise.
@Suite struct MetricRuleEvaluationTests {
    static let end = Date(timeIntervalSince1970: 1_000)

    static func point(_ time: Int64, _ value: Double) -> MetricSeriesWindow.Point {
        MetricSeriesWindow.Point(time: time * 1_000_000_000, startTime: 1_000_000_000, value: value)
    }

    static func gauge(_ service: String, _ attributes: [String: String], _ points: [MetricSeriesWindow.Point]) -> MetricSeriesWindow {
        MetricSeriesWindow(service: service, attributes: attributes, kind: .gauge, points: points)
    }

    static func counter(_ service: String, _ points: [MetricSeriesWindow.Point]) -> MetricSeriesWindow {
        MetricSeriesWindow(service: service, attributes: [:], kind: .sum, temporality: .cumulative, isMonotonic: true, points: points)
    }

    static func histogram(_ service: String, at time: Int64, _ counts: [Double], bounds: [Double]) -> MetricSeriesWindow {
        MetricSeriesWindow(service: service, attributes: [:], kind: .histogram, temporality: .delta, points: [
            MetricSeriesWindow.Point(time: time * 1_000_000_000, count: counts.reduce(0, +), bucketCounts: counts, explicitBounds: bounds),
        ])
    }

    /// Queue depths. Latest values inside the window: a 4, b 6, c 10. The histogram is not read by
    /// `value`; the gauge whose only point is at 850s is outside the window.
    static let depths = FakeMetricSource(series: ["queue.depth": [
        gauge("checkout", ["http.route": "/a"], [point(890, 1), point(950, 4)]),
        gauge("checkout", ["http.route": "/b", "env": "dev"], [point(990, 6)]),
        gauge("cart", ["http.route": "/a"], [point(920, 12), point(980, 10)]),
        histogram("cart", at: 950, [1, 1, 1], bounds: [1, 2]),
        gauge("cart", [:], [point(850, 99)]),
    ]])

    /// The `metric:` mapping of a rule, one key per line.
    static func rule(_ metric: String) throws -> Rule {
        let body = metric.split(separator: "\n").map { "          " + $0 }.joined(separator: "\n")
        let rules = try RuleFile.parse("groups:\n  - name: g\n    rules:\n      - alert: A\n        metric:\n" + body, file: "rules.yaml").rules
        try #require(rules.count == 1)
        return rules[0]
    }

    static func samples(_ metric: String, _ source: FakeMetricSource = depths) async throws -> [RuleSample] {
        try await RuleEvaluator(source: source).evaluate(try rule(metric), at: end)
    }

    @Test(arguments: [
        // checkout: 4 and 6; cart: 10 alone. Results come ordered by label value.
        ("sum", [10.0, 10]),
        ("avg", [10, 5]),
        ("min", [10, 4]),
        ("max", [10, 6]),
        // The series that gave a value: cart's one gauge, checkout's two.
        ("count", [1, 2]),
    ])
    func aggregatesCombineTheSeriesOfEachGroup(aggregate: String, values: [Double]) async throws {
        let samples = try await Self.samples("name: queue.depth\nmeasure: value\nwindow: 100s\naggregate: \(aggregate)\nby: [service]\nthreshold: '> 0'")
        #expect(samples.map(\.labels) == [["service": "cart"], ["service": "checkout"]])
        #expect(samples.map(\.value) == values)
        let evidence = samples.flatMap(\.evidence)
        #expect(evidence.isEmpty)
    }

    struct GroupCase: Sendable, CustomTestStringConvertible {
        var extra: String
        var labels: [LabelSet]
        var values: [Double]
        var testDescription: String { extra.isEmpty ? "no by" : extra }
    }

    static let groupCases: [GroupCase] = [
        // Without by: 4 + 6 + 10.
        GroupCase(extra: "", labels: [[:]], values: [20]),
        // By route: /a holds 4 and 10, /b holds 6.
        GroupCase(extra: "\nby: [http.route]", labels: [["http_route": "/a"], ["http_route": "/b"]], values: [14, 6]),
        // Only /a series: 4 + 10.
        GroupCase(extra: "\nmatchers: ['http.route=\"/a\"']", labels: [[:]], values: [14]),
        // env!="dev" also matches the series without env: 4 + 10, not the dev series' 6.
        GroupCase(extra: "\nmatchers: ['env!=dev']", labels: [[:]], values: [14]),
    ]

    @Test(arguments: MetricRuleEvaluationTests.groupCases)
    func groupsAndMatchersSelectTheSeries(_ testCase: GroupCase) async throws {
        let samples = try await Self.samples("name: queue.depth\nmeasure: value\nwindow: 100s\nthreshold: '> 0'" + testCase.extra)
        #expect(samples.map(\.labels) == testCase.labels)
        #expect(samples.map(\.value) == testCase.values)
    }

    /// checkout: 110 - 100 = 10, a reset to 5 counting 5, then 20 - 5 = 15: 30. cart: 20 - 10 = 10.
    static let requests = FakeMetricSource(series: ["requests": [
        counter("checkout", [point(890, 100), point(930, 110), point(960, 5), point(990, 20)]),
        counter("cart", [point(890, 10), point(990, 20)]),
        gauge("cart", [:], [point(990, 1_000)]),  // not a counter: ignored
    ]])

    @Test func increaseAndRateKeepTheGroupsOverTheThreshold() async throws {
        let increase = try await Self.samples("name: requests\nmeasure: increase\nwindow: 100s\nby: [service]\nthreshold: '> 20'", Self.requests)
        #expect(increase == [RuleSample(labels: ["service": "checkout"], value: 30)])
        // 30 and 10 over 100 seconds.
        let rate = try await Self.samples("name: requests\nmeasure: rate\nwindow: 100s\nby: [service]\nthreshold: '>= 0.1'", Self.requests)
        #expect(rate == [RuleSample(labels: ["service": "cart"], value: 0.1), RuleSample(labels: ["service": "checkout"], value: 0.3)])
    }

    @Test func quantilesAddTheBucketsOfSeriesWithTheSameBounds() async throws {
        let source = FakeMetricSource(series: ["latency": [
            Self.histogram("checkout", at: 950, [2, 2, 0], bounds: [1, 2]),
            Self.histogram("checkout", at: 960, [0, 4, 0], bounds: [1, 2]),
            Self.histogram("checkout", at: 970, [100, 0, 0], bounds: [1, 5]),  // other bounds: left out
            Self.histogram("cart", at: 950, [0, 0, 5], bounds: [1, 2]),
        ]])
        let samples = try await Self.samples("name: latency\nmeasure: quantile\nquantile: 0.5\nwindow: 100s\nby: [service]\nthreshold: '> 0'", source)
        try #require(samples.count == 2)
        // cart: all 5 observations above 2, in the +Inf bucket: the highest finite bound.
        #expect(samples[0] == RuleSample(labels: ["service": "cart"], value: 2))
        // checkout: [2, 6, 0], 8 observations, rank 4; cumulative 2, 8: the bucket (1, 2],
        // 2 of its 6 in: 1 + 1 × 2/6. With the [1, 5] series the answer would lie below 1.
        #expect(samples[1].labels == ["service": "checkout"])
        #expect(abs(samples[1].value - (1 + 2.0 / 6)) < 1e-12)
    }

    // MARK: SLIs

    static func slo(_ indicator: ServiceLevelIndicator) throws -> SLO {
        let objective = try #require(ExactDecimal(parsing: "99"))
        return try #require(SLO(name: "api", service: "checkout", objective: objective, indicator: indicator))
    }

    static func selector(_ metric: String) -> SeriesSelector { SeriesSelector(metric: metric, services: ["checkout"]) }

    /// Over (900s, 1000s]: errors grow by 3, requests by 300 (cart's 1000 are another service's),
    /// good requests by 297, and the "fast" counter by 310, more than all requests.
    static let counters = FakeMetricSource(series: [
        "http.errors": [counter("checkout", [point(890, 0), point(990, 3)])],
        "http.good": [counter("checkout", [point(890, 0), point(990, 297)])],
        "http.fast": [counter("checkout", [point(890, 0), point(990, 310)])],
        "http.requests": [counter("checkout", [point(890, 0), point(990, 300)]), counter("cart", [point(890, 0), point(990, 1_000)])],
    ])

    @Test(arguments: [
        (ServiceLevelIndicator.MetricRatio.Counts.errors, "http.errors", 3.0),
        // 300 - 297.
        (.good, "http.good", 3),
        // 300 - 310 is below 0: no bad events.
        (.good, "http.fast", 0),
    ])
    func counterRatiosCountBadEvents(counts: ServiceLevelIndicator.MetricRatio.Counts, metric: String, bad: Double) async throws {
        let slo = try Self.slo(.metricRatio(.init(counts: counts, counted: Self.selector(metric), total: Self.selector("http.requests"))))
        let result = try await RuleEvaluator(source: Self.counters).sli(slo, window: .seconds(100), end: Self.end)
        #expect(result.bad == bad)
        #expect(result.total == 300)
    }

    @Test(arguments: [
        // 100 observations: 10 up to 0.1, 30 up to 0.5, 50 up to 1, 10 above. Good up to 0.5: 40.
        (0.5, 60.0),
        // 0.7 lies inside (0.5, 1]: that bucket is bad, as with 0.5.
        (0.7, 60),
        // Good up to 1: 90.
        (1, 10),
    ])
    func histogramSLIsCountTheBucketsUpToTheThreshold(threshold: Double, bad: Double) async throws {
        let source = FakeMetricSource(series: ["http.duration": [Self.histogram("checkout", at: 950, [10, 30, 50, 10], bounds: [0.1, 0.5, 1])]])
        let slo = try Self.slo(.metricHistogram(series: Self.selector("http.duration"), threshold: threshold))
        let result = try await RuleEvaluator(source: source).sli(slo, window: .seconds(100), end: Self.end)
        #expect(result.bad == bad)
        #expect(result.total == 100)
    }

    @Test(arguments: [
        // Long window (96400s, 100000s]: from the baseline at 96340s, 200 errors of 1000 requests.
        // Short window (99700s, 100000s]: from the baseline at 98200s, 200 - 100 of 1000 - 500.
        // Both error ratios are 0.2, a burn rate of 0.2 / 0.01 = 20, above 14.4.
        ([0.0, 100, 180, 200], 20.0 as Double?),
        // 10 of 1000 over the long window: a burn rate of 1.
        ([0, 5, 9, 10], nil),
        // 200 of 1000 over the long window, but none of the short window's 500: the burn stopped.
        ([0, 200, 200, 200], nil),
    ])
    func metricSLOsAlertWhenBothWindowsBurn(errors: [Double], burnRate: Double?) async throws {
        let times: [Int64] = [96_340, 98_200, 99_760, 100_000]
        let source = FakeMetricSource(series: [
            "http.errors": [Self.counter("checkout", zip(times, errors).map { Self.point($0, $1) })],
            "http.requests": [Self.counter("checkout", zip(times, [0, 500, 900, 1_000]).map { Self.point($0, $1) })],
        ])
        let slo = try Self.slo(.metricRatio(.init(counts: .errors, counted: Self.selector("http.errors"), total: Self.selector("http.requests"))))
        let window = try #require(slo.burnRateWindows.first)
        try #require(window.longWindow == .seconds(3_600) && window.shortWindow == .seconds(300))
        let samples = try await RuleEvaluator(source: source).evaluate(slo, window: window, at: Date(timeIntervalSince1970: 100_000))
        if let burnRate {
            try #require(samples.count == 1)
            #expect(abs(samples[0].value - burnRate) < 1e-9)
            #expect(samples[0].labels == [:])
            #expect(samples[0].evidence.isEmpty)
        } else {
            #expect(samples.isEmpty)
        }
    }
}
