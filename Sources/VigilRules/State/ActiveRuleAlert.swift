import Foundation
import VigilAlerting

/// One alert of an alerting rule, keyed by its labels: Prometheus's `rules.Alert`.
///
/// It is pending while its series has appeared for less than the rule's `for`, then firing; when
/// the series is gone (and `keep_firing_for` has passed) it is inactive, with ``resolvedAt`` set,
/// and is kept 15 minutes so that the resolution reaches Alertmanager.
public struct ActiveRuleAlert: Sendable, Hashable {
    /// Prometheus's alert states, ordered `inactive < pending < firing`.
    public enum State: String, Sendable, Hashable, Comparable, CaseIterable {
        case inactive, pending, firing

        public static func < (lhs: State, rhs: State) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    /// The alert's identity: the series' labels, the rule's labels and `alertname`.
    public var labels: LabelSet
    /// Rendered at the latest evaluation that saw the series.
    public var annotations: LabelSet
    /// Pending, firing, or inactive once resolved.
    public var state: State
    /// The series' value at the latest evaluation that saw it.
    public var value: Double
    /// When the series first appeared in this run of the alert; `for` counts from here.
    public var activeAt: Date
    /// When the alert started firing; nil while pending. Sent as `startsAt`.
    public var firedAt: Date?
    /// When the alert stopped firing (or was found gone while pending); nil while active.
    public var resolvedAt: Date?
    /// When the alert was last sent to the alerting pipeline.
    public var lastSentAt: Date?
    /// The `endsAt` of the latest send of the firing alert: Alertmanager resolves it by itself
    /// then if no newer send arrives.
    public var validUntil: Date?
    /// Since when the firing alert's series has been gone while `keep_firing_for` holds it.
    public var keepFiringSince: Date?
    /// The latest evaluation at which the alert was pending or firing: how long the rule had been
    /// down, when a snapshot is restored with Prometheus's `for` grace rules.
    public var lastEvaluatedAt: Date?
    /// Trace IDs showing the condition, from the latest evaluation that had any; at most
    /// ``RuleAlertState/maximumEvidence``.
    public var evidence: [String]
    /// The rendered generator URL.
    public var generatorURL: String

    /// An alert with every field given; ``RuleAlertState`` makes them from rule evaluations.
    public init(
        labels: LabelSet,
        annotations: LabelSet = [:],
        state: State,
        value: Double,
        activeAt: Date,
        firedAt: Date? = nil,
        resolvedAt: Date? = nil,
        lastSentAt: Date? = nil,
        validUntil: Date? = nil,
        keepFiringSince: Date? = nil,
        lastEvaluatedAt: Date? = nil,
        evidence: [String] = [],
        generatorURL: String = ""
    ) {
        self.labels = labels
        self.annotations = annotations
        self.state = state
        self.value = value
        self.activeAt = activeAt
        self.firedAt = firedAt
        self.resolvedAt = resolvedAt
        self.lastSentAt = lastSentAt
        self.validUntil = validUntil
        self.keepFiringSince = keepFiringSince
        self.lastEvaluatedAt = lastEvaluatedAt
        self.evidence = evidence
        self.generatorURL = generatorURL
    }

    /// The annotations as sent: ``annotations`` plus ``RuleAlertState/evidenceAnnotation`` with
    /// the ``evidence`` trace IDs joined by commas, unless the rule sets that annotation itself.
    public var annotationsIncludingEvidence: LabelSet {
        guard !evidence.isEmpty, !annotations.contains(name: RuleAlertState.evidenceAnnotation) else { return annotations }
        var result = annotations
        result.updateValue(evidence.joined(separator: ","), forName: RuleAlertState.evidenceAnnotation)
        return result
    }
}
