import Foundation
import VigilAlerting
import VigilModel

/// Turns one rule into the series it produces at one evaluation time, reading through a
/// ``RuleDataSource``. Each series becomes (or keeps) an alert in the rule's ``RuleAlertState``.
public struct RuleEvaluator: Sendable {
    public let source: any RuleDataSource

    public init(source: any RuleDataSource) {
        self.source = source
    }

    /// The series of a RED, metric or no-data rule whose condition holds at `end`.
    ///
    /// - Throws: ``RuleEvaluationError`` for an SLO rule (see ``evaluate(_:window:at:)``), and
    ///   whatever the data source throws.
    public func evaluate(_ rule: Rule, at end: Date) async throws -> [RuleSample] {
        switch rule.kind {
        case .red(let red): return try await evaluate(red, at: end)
        case .metric(let metric): return try await evaluate(metric, at: end)
        case .noData(let noData): return try await evaluate(noData, at: end)
        case .slo: throw RuleEvaluationError("an SLO is evaluated per burn-rate window: use evaluate(_:window:at:)")
        }
    }

    func evaluate(_ rule: REDRule, at end: Date) async throws -> [RuleSample] {
        let totals = try await source.spanTotals(rule.spans, errors: .statusError, window: rule.window, end: end, by: rule.by, latency: rule.measure == .latency)
        var samples: [RuleSample] = []
        for group in totals where group.requests >= Int64(rule.minRequests) {
            let value: Double
            let evidence: EvidenceKind?
            switch rule.measure {
            case .rate:
                value = Double(group.requests) / rule.window.seconds
                evidence = nil
            case .errorRatio:
                guard group.requests > 0 else { continue }
                value = Double(group.errors) / Double(group.requests)
                evidence = .errors(.statusError)
            case .latency:
                guard let nanos = group.latency.quantileNanos(rule.quantile ?? 0.99) else { continue }
                value = nanos / 1e9
                evidence = .slowerThan(.nanoseconds(Int64(rule.threshold.value * 1e9)))
            }
            guard rule.threshold.isMet(by: value) else { continue }
            var traces: [String] = []
            if let evidence {
                traces = try await source.evidence(rule.spans, evidence, window: rule.window, end: end, group: group.group, by: rule.by, limit: RuleAlertState.maximumEvidence)
            }
            samples.append(RuleSample(labels: LabelSet(group.group), value: value, evidence: traces))
        }
        // A rate with no `by` is 0 when nothing arrived: the condition may hold on that too.
        if totals.isEmpty, rule.measure == .rate, rule.by.isEmpty, rule.minRequests == 0, rule.threshold.isMet(by: 0) {
            samples.append(RuleSample(labels: [:], value: 0))
        }
        return samples
    }

    func evaluate(_ rule: NoDataRule, at end: Date) async throws -> [RuleSample] {
        var samples: [RuleSample] = []
        for (group, time) in try await source.lastSeen(rule, end: end) {
            let age = time.map { end.timeIntervalSince($0) } ?? .infinity
            guard age > rule.absentFor.seconds else { continue }
            samples.append(RuleSample(labels: LabelSet(group), value: age))
        }
        return samples
    }

    /// One burn-rate alert of an SLO: fires when both windows burn the budget faster than the
    /// window's threshold. The value is the long window's burn rate; span SLIs carry trace IDs of
    /// bad spans from the short window as evidence, metric SLIs none.
    public func evaluate(_ slo: SLO, window: BurnRateWindow, at end: Date) async throws -> [RuleSample] {
        let threshold = window.burnRateThreshold.value
        // Most of the time the long window is calm: the short one is read only when it is not.
        let long = try await burnRate(slo, window: window.longWindow, end: end)
        guard long > threshold else { return [] }
        guard try await burnRate(slo, window: window.shortWindow, end: end) > threshold else { return [] }
        var evidence: [String] = []
        if let spans = slo.indicator.spans {
            evidence = try await source.evidence(spans, evidenceKind(slo.indicator), window: window.shortWindow, end: end, group: [:], by: [], limit: RuleAlertState.maximumEvidence)
        }
        return [RuleSample(labels: [:], value: long, evidence: evidence)]
    }

    /// Bad and total events of the SLI over `window` ending at `end`: spans for span SLIs, counter
    /// or histogram increases for metric SLIs (which need not be whole numbers).
    public func sli(_ slo: SLO, window: Duration, end: Date) async throws -> (bad: Double, total: Double) {
        switch slo.indicator {
        case .availability(let spans, let errors):
            let totals = try await source.spanTotals(spans, errors: errors, window: window, end: end, by: [], latency: false)
            return (Double(totals.reduce(0) { $0 + $1.errors }), Double(totals.reduce(0) { $0 + $1.requests }))
        case .latency(let spans, let threshold):
            let totals = try await source.spanTotals(spans, errors: .statusError, window: window, end: end, by: [], latency: true)
            return (Double(totals.reduce(0) { $0 + $1.requests(slowerThan: threshold) }), Double(totals.reduce(0) { $0 + $1.requests }))
        case .metricRatio(let ratio):
            return try await metricCounts(ratio, window: window, end: end)
        case .metricHistogram(let series, let threshold):
            return try await metricCounts(series, threshold: threshold, window: window, end: end)
        }
    }

    /// The budget spent over `window` relative to an even spend: bad/total divided by the error
    /// budget; 0 without events.
    private func burnRate(_ slo: SLO, window: Duration, end: Date) async throws -> Double {
        let (bad, total) = try await sli(slo, window: window, end: end)
        guard total > 0 else { return 0 }
        return bad / total / slo.errorBudget.value
    }

    private func evidenceKind(_ indicator: ServiceLevelIndicator) -> EvidenceKind {
        if case .latency(_, let threshold) = indicator { return .slowerThan(threshold) }
        if case .availability(_, let errors) = indicator { return .errors(errors) }
        return .errors(.statusError)
    }
}
