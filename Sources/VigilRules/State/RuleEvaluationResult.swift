import VigilAlerting

/// What one ``RuleAlertState/apply(_:at:)`` did: the alerts that changed state, the templates
/// that failed, and whether the evaluation was refused.
public struct RuleEvaluationResult: Sendable {
    /// One alert's change of state; `nil` stands for no alert (before it appeared, after it was
    /// dropped).
    ///
    /// `nil → pending` is a new alert, `pending → firing` one that held for `for` (`nil → firing`
    /// when `for` is 0), `firing → inactive` a resolution, `pending → nil` a pending alert whose
    /// series went away, `inactive → nil` a resolved alert forgotten after 15 minutes, and
    /// `inactive → pending` a resolved alert whose series came back.
    public struct Transition: Sendable, Hashable {
        /// The alert's labels.
        public var labels: LabelSet
        /// The state before the evaluation; nil when there was no alert.
        public var from: ActiveRuleAlert.State?
        /// The state after the evaluation; nil when the alert was dropped.
        public var to: ActiveRuleAlert.State?

        /// A change of the alert with `labels` from one state to another.
        public init(labels: LabelSet, from: ActiveRuleAlert.State?, to: ActiveRuleAlert.State?) {
            self.labels = labels
            self.from = from
            self.to = to
        }
    }

    /// A label, annotation or generator URL template that failed for one series. The alert was
    /// still made, with `<error expanding template: …>` in place of the text (an empty generator
    /// URL), as Prometheus does.
    public struct TemplateFailure: Sendable {
        /// The series' labels (without the rule's).
        public var series: LabelSet
        /// `labels.<name>`, `annotations.<name>` or `generatorURL`.
        public var field: String
        /// What failed; the alert carries its `<error expanding template: …>` text.
        public var error: TemplateError
    }

    /// Why an evaluation was refused, as Prometheus fails `AlertingRule.Eval`.
    public enum Failure: Sendable, Hashable, CustomStringConvertible {
        /// Two series had the same labels once the rule's labels were added. Nothing changed.
        case duplicateLabelSet(LabelSet)
        /// More than the rule's `limit` alerts were pending or firing; every alert was dropped.
        case limitExceeded(limit: Int, alerts: Int)

        public var description: String {
            switch self {
            case .duplicateLabelSet(let labels):
                "vector contains metrics with the same labelset after applying alert labels: \(labels)"
            case .limitExceeded(let limit, let alerts):
                "exceeded limit of \(limit) with \(alerts) alerts"
            }
        }
    }

    /// State changes, ordered by labels.
    public var transitions: [Transition] = []
    /// Templates that failed for some series, in the order rendered.
    public var templateFailures: [TemplateFailure] = []
    /// Set when the evaluation was refused; ``transitions`` then says what was dropped, if anything.
    public var failure: Failure?
    /// The rule's state after the evaluation: the highest of its alerts' (Prometheus's
    /// `AlertingRule.State`), `inactive` when it has none.
    public var state: ActiveRuleAlert.State = .inactive

    /// An empty result: no change, no failure, an inactive rule.
    public init() {}
}
