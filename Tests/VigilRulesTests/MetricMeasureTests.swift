import Foundation
import Testing
import VigilRules

/// What one metric series gives for each measure over a window. Every window here is the 100
/// seconds `(900s, 1000s]`: a point at 900s or earlier is the baseline.
@Suite struct MetricMeasureTests {
    static let windowStart = seconds(900)

    static func seconds(_ value: Int64) -> Int64 { value * 1_000_000_000 }

    /// A counter or gauge point at `time` seconds whose counter started at `start` seconds.
    static func point(_ time: Int64, _ value: Double, start: Int64 = 1) -> MetricSeriesWindow.Point {
        MetricSeriesWindow.Point(time: seconds(time), startTime: seconds(start), value: value)
    }

    static func counter(_ temporality: MetricSeriesWindow.Temporality = .cumulative, _ points: [MetricSeriesWindow.Point]) -> MetricSeriesWindow {
        MetricSeriesWindow(service: "checkout", attributes: [:], kind: .sum, temporality: temporality, isMonotonic: true, points: points)
    }

    struct CounterCase: Sendable, CustomTestStringConvertible {
        var name: String
        var temporality: MetricSeriesWindow.Temporality
        var points: [MetricSeriesWindow.Point]
        var increase: Double?
        var testDescription: String { name }
    }

    static let counterCases: [CounterCase] = [
        // Differences from the baseline at 890s: 40 - 10 = 30.
        CounterCase(name: "cumulative from the baseline", temporality: .cumulative,
                    points: [point(890, 10), point(920, 15), point(960, 25), point(1000, 40)], increase: 30),
        // 110 - 100 = 10, then 5 < 110 is a reset that counts from zero: 5, then 20 - 5 = 15. Total 30.
        CounterCase(name: "a drop is a reset counted from zero", temporality: .cumulative,
                    points: [point(890, 100), point(930, 110), point(960, 5), point(990, 20)], increase: 30),
        // 14 - 10 = 4; at 950s the start time moves from 1s to 940s: the counter restarted, so its
        // 20 all count, although 20 > 14; then 26 - 20 = 6. Total 30.
        CounterCase(name: "a later start time is a restart", temporality: .cumulative,
                    points: [point(890, 10), point(930, 14), point(950, 20, start: 940), point(990, 26, start: 940)], increase: 30),
        // No baseline and the counter started at 100s, before the window: the first point is the
        // baseline. 75 - 50 = 25.
        CounterCase(name: "without a baseline the first point is one", temporality: .cumulative,
                    points: [point(910, 50, start: 100), point(950, 60, start: 100), point(990, 75, start: 100)], increase: 25),
        // No baseline and the counter started at 905s, inside the window: its first value 8 counts,
        // then 12 - 8 = 4. Total 12.
        CounterCase(name: "a counter started inside the window counts whole", temporality: .cumulative,
                    points: [point(910, 8, start: 905), point(950, 12, start: 905)], increase: 12),
        // Start time unset (0): nothing says the counter started inside the window. 12 - 8 = 4.
        CounterCase(name: "an unset start time is not a start", temporality: .cumulative,
                    points: [point(910, 8, start: 0), point(950, 12, start: 0)], increase: 4),
        // The baseline alone is not a point in the window: no increase at all.
        CounterCase(name: "a baseline alone gives nothing", temporality: .cumulative, points: [point(890, 10)], increase: nil),
        // Delta points add up inside the window, the baseline (100) left out: 3 + 4 + 5 = 12.
        CounterCase(name: "delta points are added", temporality: .delta,
                    points: [point(890, 100), point(920, 3), point(960, 4), point(1000, 5)], increase: 12),
        // Neither delta nor cumulative: no way to read it.
        CounterCase(name: "unspecified temporality is not read", temporality: .unspecified,
                    points: [point(890, 10), point(990, 20)], increase: nil),
    ]

    @Test(arguments: MetricMeasureTests.counterCases)
    func counterIncrease(_ testCase: CounterCase) {
        #expect(Self.counter(testCase.temporality, testCase.points).increase(windowStart: Self.windowStart) == testCase.increase)
    }

    @Test func increaseIgnoresSeriesThatAreNotCounters() {
        let points = [Self.point(890, 10), Self.point(990, 20)]
        let gauge = MetricSeriesWindow(service: "s", attributes: [:], kind: .gauge, points: points)
        let upDown = MetricSeriesWindow(service: "s", attributes: [:], kind: .sum, temporality: .cumulative, isMonotonic: false, points: points)
        #expect(gauge.increase(windowStart: Self.windowStart) == nil)
        #expect(upDown.increase(windowStart: Self.windowStart) == nil)
        // The same points as a counter grow by 20 - 10 = 10.
        #expect(Self.counter(.cumulative, points).increase(windowStart: Self.windowStart) == 10)
    }

    @Test func valueIsTheLatestPointInsideTheWindow() {
        let gauge = MetricSeriesWindow(service: "s", attributes: [:], kind: .gauge, points: [Self.point(890, 1), Self.point(920, 5), Self.point(980, 3), Self.point(990, .nan)])
        // 980s holds the latest number; the NaN at 990s is no value.
        #expect(gauge.latestValue(windowStart: Self.windowStart) == 3)
        let stale = MetricSeriesWindow(service: "s", attributes: [:], kind: .gauge, points: [Self.point(890, 1)])
        #expect(stale.latestValue(windowStart: Self.windowStart) == nil)
        // Sums are read as well (an up-down counter's current value).
        let upDown = MetricSeriesWindow(service: "s", attributes: [:], kind: .sum, temporality: .cumulative, points: [Self.point(950, -4)])
        #expect(upDown.latestValue(windowStart: Self.windowStart) == -4)
        let histogram = MetricSeriesWindow(service: "s", attributes: [:], kind: .histogram, temporality: .delta, points: [Self.point(950, 4)])
        #expect(histogram.latestValue(windowStart: Self.windowStart) == nil)
    }

    // MARK: Histograms

    static func histogramPoint(_ time: Int64, _ counts: [Double], bounds: [Double] = [1, 2], start: Int64 = 1) -> MetricSeriesWindow.Point {
        MetricSeriesWindow.Point(time: seconds(time), startTime: seconds(start), count: counts.reduce(0, +), bucketCounts: counts, explicitBounds: bounds)
    }

    static func histogram(_ temporality: MetricSeriesWindow.Temporality, _ points: [MetricSeriesWindow.Point]) -> MetricSeriesWindow {
        MetricSeriesWindow(service: "s", attributes: [:], kind: .histogram, temporality: temporality, points: points)
    }

    @Test func cumulativeBucketsGrowFromTheBaselineWithResets() throws {
        let series = Self.histogram(.cumulative, [
            Self.histogramPoint(890, [1, 1, 0]),
            Self.histogramPoint(920, [3, 2, 1]),
            Self.histogramPoint(950, [1, 0, 0]),  // count 1 < 6: reset
            Self.histogramPoint(990, [2, 3, 1]),
        ])
        // [3-1, 2-1, 1-0] = [2, 1, 1]; the reset adds [1, 0, 0] → [3, 1, 1]; then
        // [2-1, 3-0, 1-0] = [1, 3, 1] → [4, 4, 2].
        let buckets = try #require(series.bucketIncrease(windowStart: Self.windowStart))
        #expect(buckets.bounds == [1, 2])
        #expect(buckets.counts == [4, 4, 2])
        #expect(buckets.total == 10)
    }

    @Test func deltaBucketsAddUpInsideTheWindow() throws {
        let series = Self.histogram(.delta, [
            Self.histogramPoint(890, [50, 50, 50]),  // baseline: before the window
            Self.histogramPoint(920, [1, 2, 3]),
            Self.histogramPoint(990, [4, 0, 1]),
        ])
        // [1+4, 2+0, 3+1].
        #expect(try #require(series.bucketIncrease(windowStart: Self.windowStart)).counts == [5, 2, 4])
    }

    @Test func bucketsThatDoNotFitTheirBoundsAreSkipped() throws {
        let series = Self.histogram(.delta, [
            Self.histogramPoint(920, [1, 2, 3]),
            Self.histogramPoint(950, [7, 7], bounds: [1, 2]),  // two counts for two bounds: invalid
        ])
        #expect(try #require(series.bucketIncrease(windowStart: Self.windowStart)).counts == [1, 2, 3])
        // A counter is no histogram.
        #expect(Self.counter(.delta, [Self.point(950, 3)]).bucketIncrease(windowStart: Self.windowStart) == nil)
    }

    // MARK: Quantiles

    /// 100 observations: 10 up to 0.1, 30 in (0.1, 0.5], 50 in (0.5, 1], 10 above 1.
    static let latencies = HistogramBuckets(bounds: [0.1, 0.5, 1], counts: [10, 30, 50, 10])!

    @Test(arguments: [
        // rank 50; cumulative 10, 40, 90: the third bucket, 10 of its 50 in: 0.5 + 0.5 × 10/50.
        (0.5, 0.6),
        // rank 25: second bucket, 15 of its 30 in: 0.1 + 0.4 × 15/30.
        (0.25, 0.3),
        // rank 5: first bucket, from 0 (its bound is positive): 0.1 × 5/10.
        (0.05, 0.05),
        // rank 90 is reached exactly at the third bucket's end: 0.5 + 0.5 × 50/50.
        (0.9, 1),
        // rank 99 is past every finite bucket: the highest finite bound.
        (0.99, 1),
    ])
    func quantileInterpolatesInsideTheBucket(q: Double, expected: Double) throws {
        let value = try #require(Self.latencies.quantile(q))
        #expect(abs(value - expected) < 1e-12)
    }

    @Test func quantileOfLowBoundsAndEmptyHistograms() {
        // First bound 0: a quantile in the first bucket is that bound (rank 2 of 10 is in it).
        #expect(HistogramBuckets(bounds: [0, 10], counts: [5, 5, 0])?.quantile(0.2) == 0)
        // Negative first bound: the same (rank 2 of 8).
        #expect(HistogramBuckets(bounds: [-1, 10], counts: [4, 4, 0])?.quantile(0.25) == -1)
        #expect(HistogramBuckets(bounds: [1, 2], counts: [0, 0, 0])?.quantile(0.5) == nil)
        // Only the +Inf bucket: no bound to answer with.
        #expect(HistogramBuckets(bounds: [], counts: [5])?.quantile(0.5) == nil)
    }

    @Test func bucketsNeedAscendingBoundsAndOneMoreCount() {
        #expect(HistogramBuckets(bounds: [2, 1], counts: [1, 1, 1]) == nil)
        #expect(HistogramBuckets(bounds: [1, 1], counts: [1, 1, 1]) == nil)
        #expect(HistogramBuckets(bounds: [1, 2], counts: [1, 1]) == nil)
        var sum = HistogramBuckets(bounds: [1, 2], counts: [1, 2, 3])!
        let refused = sum.add(HistogramBuckets(bounds: [1, 3], counts: [5, 5, 5])!)
        #expect(!refused)
        #expect(sum.counts == [1, 2, 3])
        let added = sum.add(HistogramBuckets(bounds: [1, 2], counts: [1, 1, 1])!)
        #expect(added)
        #expect(sum.counts == [2, 3, 4])
    }

    @Test(arguments: [
        // Buckets up to 0.1 and 0.5: 10 + 30. A bound equal to the threshold is good.
        (0.5, 40.0),
        // 0.7 falls inside (0.5, 1]: that bucket may hold slower observations, so it is bad.
        (0.7, 40),
        // Up to 1: 10 + 30 + 50.
        (1, 90),
        (0.05, 0),
        // The +Inf bucket is never good.
        (100, 90),
    ])
    func observationsAtMostAThreshold(threshold: Double, good: Double) {
        #expect(Self.latencies.observations(atMost: threshold) == good)
    }
}
