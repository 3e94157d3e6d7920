import Foundation
import VigilAlerting

/// Metric series and the freshness of each signal.
extension InMemoryRuleDataSource {
    /// The series of `selector.metric` (of `selector.services`, every service when empty) with a
    /// point in `(end - window, end]`: those points, after the newest earlier one when there is
    /// one. Attribute matchers are left to the caller, as the protocol says.
    public func metricSeries(_ selector: SeriesSelector, window: Duration, end: Date) async throws -> [MetricSeriesWindow] {
        let endNanos = Self.nanoseconds(end)
        let windowStart = endNanos - window.nanoseconds
        var result: [MetricSeriesWindow] = []
        for stored in storedSeries where stored.metric == selector.metric {
            guard selector.services.isEmpty || selector.services.contains(stored.series.service) else { continue }
            // Points are in time order: the window is a slice, the baseline the point before it.
            let points = stored.series.points
            let first = Self.firstIndex(in: points, after: windowStart)
            let end = Self.firstIndex(in: points, after: endNanos)
            guard first < end else { continue }
            var series = stored.series
            series.points = Array(points[(first > 0 ? first - 1 : first)..<end])
            result.append(series)
        }
        return result
    }

    /// The time of the newest matching item in `[end - seen_within, end]` (24 hours without
    /// `by`): one entry without `by` (`nil` when there is none), else one per combination seen.
    /// Spans count by their start, once ended; points and log records by their time.
    public func lastSeen(_ rule: NoDataRule, end: Date) async throws -> [(group: [String: String], time: Date?)] {
        let endNanos = Self.nanoseconds(end)
        let since = endNanos - (rule.seenWithin ?? NoDataRule.defaultSeenWithin).nanoseconds
        var latest: [[String: String]: Int64] = [:]
        func see(service: String, time: Int64, attribute: (String) -> String?) {
            guard time >= since, time <= endNanos else { return }
            guard rule.services.isEmpty || rule.services.contains(service) else { return }
            guard rule.attributeMatchers.allSatisfy({ $0.matches(attribute($0.name) ?? "") }) else { return }
            let group = Self.groupValues(rule.by, service: service, attribute: attribute)
            latest[group] = max(latest[group] ?? time, time)
        }
        switch rule.signal {
        case .traces:
            // A span counts by its start, once it has ended.
            for batch in spanBatches where batch.end <= endNanos {
                see(service: batch.spans.service, time: batch.start, attribute: batch.attribute)
            }
        case .metrics:
            for stored in storedSeries where rule.metric == nil || stored.metric == rule.metric {
                let index = Self.firstIndex(in: stored.series.points, after: endNanos)
                guard index > 0 else { continue }
                see(service: stored.series.service, time: stored.series.points[index - 1].time) { stored.series.attributes[$0] }
            }
        case .logs:
            for batch in logBatches where batch.time <= endNanos {
                see(service: batch.logs.service, time: batch.time, attribute: batch.attribute)
            }
        }
        guard !rule.by.isEmpty else { return [([:], latest[[:]].map { Self.date(nanoseconds: $0) })] }
        return latest.sorted { Self.sortKey($0.key) < Self.sortKey($1.key) }.map { ($0.key, Self.date(nanoseconds: $0.value)) }
    }

    /// The index of the first point later than `time` (`points.count` when none is).
    static func firstIndex(in points: [MetricSeriesWindow.Point], after time: Int64) -> Int {
        var low = 0
        var high = points.count
        while low < high {
            let middle = (low + high) / 2
            if points[middle].time <= time { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Every point of an input series, as stored: gauges and sums with their number, histograms
    /// with per-bucket counts (OTLP's, not cumulative in `le`) and their count.
    static func window(of input: RuleTest.InputSeries, step: Int64) -> MetricSeriesWindow {
        var attributes = input.attributes
        if !input.service.isEmpty, attributes["service.name"] == nil { attributes["service.name"] = input.service }
        var points: [MetricSeriesWindow.Point] = []
        let kind: MetricSeriesWindow.Kind
        var temporality = MetricSeriesWindow.Temporality.cumulative
        var isMonotonic = false
        switch input.kind {
        case .gauge:
            kind = .gauge
            temporality = .unspecified
        case .counter:
            kind = .sum
            isMonotonic = true
        case .deltaCounter:
            kind = .sum
            temporality = .delta
            isMonotonic = true
        case .updown:
            kind = .sum
        case .histogram:
            kind = .histogram
        }
        if input.kind == .histogram {
            for (index, cumulative) in input.cumulativeCounts.enumerated() {
                guard let cumulative, let count = cumulative.last else { continue }
                let buckets = cumulative.indices.map { $0 == 0 ? cumulative[0] : cumulative[$0] - cumulative[$0 - 1] }
                points.append(MetricSeriesWindow.Point(time: Int64(index) * step, count: count, bucketCounts: buckets, explicitBounds: input.bounds))
            }
        } else {
            for (index, value) in input.values.enumerated() {
                guard let value else { continue }
                let time = Int64(index) * step
                // Cumulative series have no start time, as counters scraped by Prometheus: the
                // first point is the baseline and a drop is a reset. A delta covers one step.
                let start = input.kind == .deltaCounter ? time - step : 0
                points.append(MetricSeriesWindow.Point(time: time, startTime: start, value: value))
            }
        }
        return MetricSeriesWindow(service: input.service, attributes: attributes, kind: kind, temporality: temporality, isMonotonic: isMonotonic, points: points)
    }
}
