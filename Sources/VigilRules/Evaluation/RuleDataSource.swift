import Foundation
import VigilModel

/// Span counts of one group of results over a window: requests, errors (as the rule or SLI
/// defines them) and the latency histogram.
public struct SpanWindowTotals: Sendable, Equatable {
    /// Label name → value, one per `by` entry.
    public var group: [String: String]
    public var requests: Int64
    public var errors: Int64
    public var latency: LatencyHistogram

    public init(group: [String: String], requests: Int64, errors: Int64, latency: LatencyHistogram) {
        self.group = group
        self.requests = requests
        self.errors = errors
        self.latency = latency
    }

    /// Requests slower than `threshold` (by the histogram's buckets, within 2%).
    public func requests(slowerThan threshold: Duration) -> Int64 {
        let limit = LatencyHistogram.bucket(forNanos: threshold.nanoseconds)
        return latency.count(aboveBucket: limit)
    }
}

/// Which spans show the problem an alert is about.
public enum EvidenceKind: Sendable, Equatable {
    /// Spans with status ERROR (or that count as errors under the SLI's attribute rule).
    case errors(ServiceLevelIndicator.SpanErrors)
    /// Spans slower than the duration.
    case slowerThan(Duration)
}

/// What rule evaluation reads from storage. Windows are `(end - window, end]`.
public protocol RuleDataSource: Sendable {
    /// Totals of the selected spans, one per distinct combination of the `by` values (one in all without `by`).
    func spanTotals(_ selector: SpanSelector, errors: ServiceLevelIndicator.SpanErrors, window: Duration, end: Date, by: [GroupingLabel]) async throws -> [SpanWindowTotals]
    /// As ``spanTotals(_:errors:window:end:by:)``; with `latency` false the totals' latency
    /// histograms may be left empty, which saves reading them.
    func spanTotals(_ selector: SpanSelector, errors: ServiceLevelIndicator.SpanErrors, window: Duration, end: Date, by: [GroupingLabel], latency: Bool) async throws -> [SpanWindowTotals]
    /// Up to `limit` trace IDs (hex) of selected spans of one group that show the problem.
    func evidence(_ selector: SpanSelector, _ kind: EvidenceKind, window: Duration, end: Date, group: [String: String], by: [GroupingLabel], limit: Int) async throws -> [String]
    /// When each selected service (or the whole selection without `by`) last sent the signal; `nil` when never within `seenWithin`.
    func lastSeen(_ rule: NoDataRule, end: Date) async throws -> [(group: [String: String], time: Date?)]
    /// The series of `selector.metric` of `selector.services` (every service when empty) that
    /// have a point in `(end - window, end]`, each with those points and the newest earlier one.
    /// Attribute matchers are applied by the caller.
    func metricSeries(_ selector: SeriesSelector, window: Duration, end: Date) async throws -> [MetricSeriesWindow]
}

extension RuleDataSource {
    /// Reads the latency histograms too: sources that cannot skip them need nothing else.
    public func spanTotals(_ selector: SpanSelector, errors: ServiceLevelIndicator.SpanErrors, window: Duration, end: Date, by: [GroupingLabel], latency: Bool) async throws -> [SpanWindowTotals] {
        try await spanTotals(selector, errors: errors, window: window, end: end, by: by)
    }
}

extension Duration {
    /// The duration in whole nanoseconds.
    public var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
