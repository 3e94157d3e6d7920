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
        var selected: [(SLO, RuleGroupState, [(BurnRateWindow?, ActiveRuleAlert.State)])] = []
        for state in groupStates() {
            for (index, unit) in state.units.enumerated() {
                guard case .slo(let slo) = unit.rule.kind, service == nil || slo.service == service, name == nil || slo.name == name else { continue }
                if let last = selected.last, last.0 == slo, last.1.file == state.file, last.1.group.name == state.group.name {
                    selected[selected.count - 1].2.append((unit.window, state.states[index].state))
                } else {
                    selected.append((slo, state, [(unit.window, state.states[index].state)]))
                }
            }
        }
        var statuses: [SLOStatus] = []
        for (slo, state, unitStates) in selected {
            let end = state.lastEvaluation ?? now()
            let period = try await evaluator.sli(slo, window: slo.period, end: end)
            var windows: [SLOStatus.Window] = []
            for window in slo.burnRateWindows {
                let long = try await evaluator.sli(slo, window: window.longWindow, end: end)
                let short = try await evaluator.sli(slo, window: window.shortWindow, end: end)
                let unitState = unitStates.first { $0.0 == window }?.1 ?? .inactive
                windows.append(.init(window: window, longBurnRate: Self.burnRate(long, slo), shortBurnRate: Self.burnRate(short, slo), state: unitState))
            }
            statuses.append(SLOStatus(slo: slo, file: state.file, group: state.group.name, end: end, bad: period.bad, total: period.total, windows: windows))
        }
        return statuses
    }

    private static func burnRate(_ counts: (bad: Double, total: Double), _ slo: SLO) -> Double? {
        counts.total > 0 ? counts.bad / counts.total / slo.errorBudget.value : nil
    }
}
