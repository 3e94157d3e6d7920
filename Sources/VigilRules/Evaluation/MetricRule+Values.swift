import Foundation
import VigilAlerting

extension MetricRule {
    /// One result of a metric rule: a combination of the `by` labels' values and the value of its
    /// series, aggregated.
    public struct Result: Sendable, Hashable {
        /// Label name → value, one per `by` entry (none without `by`).
        public var group: [String: String]
        /// The aggregated measure, in the metric's unit (per second for `rate`).
        public var value: Double

        /// A result of one group.
        public init(group: [String: String], value: Double) {
            self.group = group
            self.value = value
        }
    }

    /// The rule's results over `series`, the series read for the window ending at `end`: one per
    /// combination of the `by` values that has at least one series with a value, ordered by the
    /// values in `by` order. The threshold is not applied.
    ///
    /// Series that fail the attribute matchers, or whose type the measure does not read (`value`:
    /// gauges and sums; `rate` and `increase`: monotonic sums; `quantile`: histograms), are left
    /// out. With `quantile`, the bucket increases of a group's series are added, leaving out
    /// series whose bounds differ from the group's first series, and the quantile is read from
    /// the sum; the other measures are combined by ``aggregation``.
    public func results(of series: [MetricSeriesWindow], end: Date) -> [Result] {
        let windowStart = MetricSeriesWindow.windowStart(end: end, window: window)
        let selected = series.filter { self.series.matches($0) }
        var results: [Result] = []
        if measure == .quantile {
            var groups: [[String: String]: HistogramBuckets] = [:]
            for item in selected {
                guard let buckets = item.bucketIncrease(windowStart: windowStart) else { continue }
                let group = Self.groupValues(of: item, by: by)
                if groups[group] == nil {
                    groups[group] = buckets
                } else {
                    groups[group]?.add(buckets)
                }
            }
            for (group, buckets) in groups {
                guard let value = buckets.quantile(quantile ?? 0.99) else { continue }
                results.append(Result(group: group, value: value))
            }
        } else {
            var groups: [[String: String]: [Double]] = [:]
            for item in selected {
                let value: Double?
                switch measure {
                case .value: value = item.latestValue(windowStart: windowStart)
                case .increase: value = item.increase(windowStart: windowStart)
                case .rate: value = item.increase(windowStart: windowStart).map { $0 / window.seconds }
                case .quantile: value = nil
                }
                guard let value else { continue }
                groups[Self.groupValues(of: item, by: by), default: []].append(value)
            }
            for (group, values) in groups {
                guard let value = aggregation.combine(values) else { continue }
                results.append(Result(group: group, value: value))
            }
        }
        // Dictionaries have no stable order: sort by the label values, in `by` order.
        return results.sorted { a, b in
            by.map { a.group[$0.name] ?? "" }.lexicographicallyPrecedes(by.map { b.group[$0.name] ?? "" })
        }
    }

    /// The alert labels of a series' group: its service or attribute value per `by` entry.
    static func groupValues(of series: MetricSeriesWindow, by: [GroupingLabel]) -> [String: String] {
        var values: [String: String] = [:]
        for label in by {
            switch label.source {
            case .service: values[label.name] = series.service
            case .attribute(let key): values[label.name] = series.attributes[key] ?? ""
            // Not names metric rules accept; kept total for the type's sake.
            case .operation, .spanKind: values[label.name] = ""
            }
        }
        return values
    }
}

extension MetricRule.Aggregation {
    /// Combines the values of one group's series: their sum, mean, minimum, maximum or number;
    /// `nil` when there are none.
    public func combine(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        switch self {
        case .sum: return values.reduce(0, +)
        case .avg: return values.reduce(0, +) / Double(values.count)
        case .min: return values.min()
        case .max: return values.max()
        case .count: return Double(values.count)
        }
    }
}
