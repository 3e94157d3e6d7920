import VigilAlerting

/// One series a rule evaluation produced: what Prometheus calls a sample of the alert
/// expression's result.
public struct RuleSample: Sendable, Hashable {
    /// The series' labels: the rule's `by` labels with their values (and, for SLOs, `slo`,
    /// `window`…). Without `alertname`, which ``RuleAlertState`` adds; labels with an empty value
    /// are dropped, as Prometheus has no such labels.
    public var labels: LabelSet
    /// The value `$value` shows (an error ratio, a latency, a burn rate).
    public var value: Double
    /// Trace IDs that show the condition (slow or failed requests), newest first. Only the first
    /// ``RuleAlertState/maximumEvidence`` are kept.
    public var evidence: [String]

    /// A series with its value and, where the rule found some, evidence trace IDs.
    public init(labels: LabelSet, value: Double, evidence: [String] = []) {
        self.labels = labels
        self.value = value
        self.evidence = evidence
    }
}
