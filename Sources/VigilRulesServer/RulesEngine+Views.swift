import Foundation
import VigilRules

extension RulesEngine {
    /// Every group with its units' alerts and health, in file order.
    public func groupStates() -> [RuleGroupState] {
        order.compactMap { groups[$0] }
    }

    /// One SLO's figures at one time, as `GET /api/v1/slos` lists them.
    public struct SLOStatus: Sendable {
        public struct Window: Sendable {
            public var window: BurnRateWindow
            public var longBurnRate: Double?
            public var shortBurnRate: Double?
            public var state: ActiveRuleAlert.State
        }

        public var slo: SLO
        public var file: String
        public var group: String
        /// The end of every figure: the group's latest evaluation, or now before the first.
        public var end: Date
        public var bad: Double
        public var total: Double
        public var windows: [Window]

        /// `bad / total`; nil without events.
        public var errorRatio: Double? { total > 0 ? bad / total : nil }
        /// `1 - errorRatio / errorBudget`; 1 without events.
        public var budgetRemaining: Double { errorRatio.map { 1 - $0 / slo.errorBudget.value } ?? 1 }
    }

    /// The SLOs of `service` named `name` (every SLO when both are nil), with their SLI over the
    /// period and the burn rate of every window, read from storage now.
    public func sloStatuses(service: String?, name: String?) async throws -> [SLOStatus] {
        var statuses: [SLOStatus] = []
        for state in groupStates() {
            for (ruleIndex, rule) in state.group.rules.enumerated() {
                guard case .slo(let slo) = rule.kind, service == nil || slo.service == service, name == nil || slo.name == name else { continue }
                let end = state.lastEvaluation ?? now()
                // Windows of different tiers can have the same length (6h): each is read once.
                var counts: [Duration: (bad: Double, total: Double)] = [:]
                for length in [slo.period] + slo.burnRateWindows.flatMap({ [$0.longWindow, $0.shortWindow] }) where counts[length] == nil {
                    counts[length] = try await evaluator.sli(slo, window: length, end: end)
                }
                let windows = slo.burnRateWindows.map { window in
                    let unit = state.units.firstIndex { $0.ruleIndex == ruleIndex && $0.window == window }
                    return SLOStatus.Window(
                        window: window, longBurnRate: Self.burnRate(counts[window.longWindow]!, slo),
                        shortBurnRate: Self.burnRate(counts[window.shortWindow]!, slo), state: unit.map { state.states[$0].state } ?? .inactive)
                }
                let period = counts[slo.period]!
                statuses.append(SLOStatus(slo: slo, file: state.file, group: state.group.name, end: end, bad: period.bad, total: period.total, windows: windows))
            }
        }
        return statuses
    }

    private static func burnRate(_ counts: (bad: Double, total: Double), _ slo: SLO) -> Double? {
        counts.total > 0 ? counts.bad / counts.total / slo.errorBudget.value : nil
    }
}
