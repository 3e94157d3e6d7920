import Foundation

/// Evaluates `inhibit_rules` against the alerts firing now (Alertmanager's `inhibit.Inhibitor`).
public struct Inhibitor: Sendable {
    struct Rule: Sendable {
        let source: Matchers
        let target: Matchers
        let equal: [String]
    }

    private let rules: [Rule]

    public init(rules: [InhibitRuleConfig]) {
        self.rules = rules.map { Rule(source: Matchers($0.sourceMatchers), target: Matchers($0.targetMatchers), equal: $0.equal) }
    }

    public var isEmpty: Bool { rules.isEmpty }

    /// The firing source alerts of every rule at `now`, computed once per flush or API call.
    public func snapshot(of alerts: some Collection<Alert>, at now: Date) -> Snapshot {
        Snapshot(rules: rules, sources: rules.map { rule in
            alerts.filter { !$0.isResolved(at: now) && rule.source.matches($0.labels) }
        })
    }

    /// The rules together with the alerts that can inhibit at one moment.
    public struct Snapshot: Sendable {
        let rules: [Rule]
        let sources: [[Alert]]

        /// The fingerprint of the first firing alert that inhibits `labels`, or `nil`.
        ///
        /// A source alert inhibits a target when it matches the rule's source matchers, is not
        /// resolved, and has the same value (a missing label being "") for every `equal` label.
        /// When the target also matches the source matchers, source alerts that match the target
        /// matchers are ignored, so an alert never inhibits itself or its peers.
        public func inhibitor(of labels: LabelSet) -> Fingerprint? {
            for (index, rule) in rules.enumerated() where rule.target.matches(labels) {
                let excludeTwoSided = rule.source.matches(labels)
                for source in sources[index] {
                    guard rule.equal.allSatisfy({ source.labels[$0] == labels[$0] }) else { continue }
                    if excludeTwoSided, rule.target.matches(source.labels) { continue }
                    return source.fingerprint
                }
            }
            return nil
        }
    }
}
