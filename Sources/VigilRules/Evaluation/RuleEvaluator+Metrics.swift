import Foundation
import VigilAlerting

/// Metric rules and metric SLIs: the series come from the data source, the math from
/// ``MetricRule/results(of:end:)`` and the measures of ``MetricSeriesWindow``.
extension RuleEvaluator {
    /// The groups of a metric rule whose aggregated value meets the threshold; no evidence.
    func evaluate(_ rule: MetricRule, at end: Date) async throws -> [RuleSample] {
        let series = try await source.metricSeries(rule.series, window: rule.window, end: end)
        return rule.results(of: series, end: end)
            .filter { rule.threshold.isMet(by: $0.value) }
            .map { RuleSample(labels: LabelSet($0.group), value: $0.value) }
    }

    /// Two counters' increases: bad events are the errors counter's, or the total's minus the good
    /// counter's (never below 0, as the two are read at slightly different times).
    func metricCounts(_ ratio: ServiceLevelIndicator.MetricRatio, window: Duration, end: Date) async throws -> (bad: Double, total: Double) {
        let countedSeries = try await source.metricSeries(ratio.counted, window: window, end: end)
        let totalSeries = try await source.metricSeries(ratio.total, window: window, end: end)
        let counted = Self.increase(countedSeries, selector: ratio.counted, window: window, end: end)
        let total = Self.increase(totalSeries, selector: ratio.total, window: window, end: end)
        switch ratio.counts {
        case .good: return (max(0, total - counted), total)
        case .errors: return (counted, total)
        }
    }

    /// A histogram's observations during the window: the good ones are in buckets whose upper
    /// bound is at most `threshold` (a bucket the threshold falls inside is bad), the total is all
    /// of them. Each series is counted in its own bounds, so series with different bounds add up.
    func metricCounts(_ selector: SeriesSelector, threshold: Double, window: Duration, end: Date) async throws -> (bad: Double, total: Double) {
        let series = try await source.metricSeries(selector, window: window, end: end)
        let (good, total) = Self.histogramCounts(series, selector: selector, threshold: threshold, window: window, end: end)
        return (max(0, total - good), total)
    }

    /// The increase of the selected monotonic sums over the window, added across series; 0 when
    /// none grew or none was read.
    static func increase(_ series: [MetricSeriesWindow], selector: SeriesSelector, window: Duration, end: Date) -> Double {
        let windowStart = MetricSeriesWindow.windowStart(end: end, window: window)
        return series.reduce(0) { sum, item in
            guard selector.matches(item), let increase = item.increase(windowStart: windowStart) else { return sum }
            return sum + increase
        }
    }

    /// Good (in buckets up to `threshold`) and all observations of the selected histograms during
    /// the window, added across series.
    static func histogramCounts(_ series: [MetricSeriesWindow], selector: SeriesSelector, threshold: Double, window: Duration, end: Date) -> (good: Double, total: Double) {
        let windowStart = MetricSeriesWindow.windowStart(end: end, window: window)
        var good = 0.0, total = 0.0
        for item in series where selector.matches(item) {
            guard let buckets = item.bucketIncrease(windowStart: windowStart) else { continue }
            good += buckets.observations(atMost: threshold)
            total += buckets.total
        }
        return (good, total)
    }
}
