import Foundation
import VigilAlerting

/// The alerts of one alerting rule, changed by evaluations as Prometheus's `AlertingRule` changes
/// them, and the alerts due for sending.
///
/// A value type without I/O or clocks: the caller evaluates the rule, passes the series with the
/// evaluation time to ``apply(_:at:)``, then sends what ``alertsToSend(at:interval:resendDelay:)``
/// returns and persists ``snapshot``.
///
/// - A new series makes a pending alert (`activeAt` = now); one that has been pending for `for`
///   fires (`firedAt` = now). With `for` 0 it fires at the evaluation that first sees it.
/// - A pending alert whose series is missing from an evaluation is dropped: `for` starts again
///   when it comes back.
/// - A firing alert whose series is missing keeps firing for `keep_firing_for` (counted from the
///   first evaluation without it), then resolves (`resolvedAt` = now).
/// - A resolved alert is kept, and resent, until an evaluation more than 15 minutes after it
///   resolved; a series that comes back meanwhile starts a new pending alert.
/// - Annotations, the value and the evidence follow the latest evaluation; a failing template
///   writes `<error expanding template: …>` instead of dropping the alert.
public struct RuleAlertState: Sendable {
    /// How long a resolved alert is kept and resent (Prometheus's `resolvedRetention`).
    public static let resolvedRetention: Duration = .seconds(15 * 60)
    /// Prometheus's default `--rules.alert.resend-delay`.
    public static let defaultResendDelay: Duration = .seconds(60)
    /// The annotation that carries an alert's evidence trace IDs (comma-separated) when it is sent.
    public static let evidenceAnnotation = "trace_ids"
    /// Most trace IDs kept as evidence per alert.
    public static let maximumEvidence = 5

    /// The rule the alerts belong to.
    public private(set) var spec: RuleAlertSpec
    /// Renders the rule's label, annotation and generator URL templates.
    public let templates: TemplateSet
    var alerts: [LabelSet: ActiveRuleAlert] = [:]

    /// A rule without alerts.
    public init(spec: RuleAlertSpec, templates: TemplateSet) {
        self.spec = spec
        self.templates = templates
    }

    /// Every alert, resolved ones included, ordered by labels: what to persist across restarts
    /// and leader changes.
    public var snapshot: [ActiveRuleAlert] {
        alerts.values.sorted { $0.labels < $1.labels }
    }

    /// The pending and firing alerts, ordered by labels: Prometheus's `ActiveAlerts`, as
    /// `GET /api/v1/alerts` lists them.
    public var active: [ActiveRuleAlert] {
        snapshot.filter { $0.resolvedAt == nil }
    }

    /// The highest state of the rule's alerts, `inactive` when it has none.
    public var state: ActiveRuleAlert.State {
        alerts.values.map(\.state).max() ?? .inactive
    }

    /// Applies one evaluation of the rule at `now`: `samples` are the series for which the
    /// condition holds. See the type's documentation for the rules.
    ///
    /// When two series end up with the same labels the evaluation is refused and nothing changes;
    /// when the rule's `limit` is exceeded every alert is dropped. Both are reported in
    /// ``RuleEvaluationResult/failure``.
    public mutating func apply(_ samples: [RuleSample], at now: Date) -> RuleEvaluationResult {
        var result = RuleEvaluationResult()
        let before = alerts.mapValues(\.state)

        var seen: [LabelSet: ActiveRuleAlert] = [:]
        for sample in samples {
            let alert = makeAlert(for: sample, at: now, failures: &result.templateFailures)
            if seen[alert.labels] != nil {
                result.failure = .duplicateLabelSet(alert.labels)
                result.state = state
                return result
            }
            seen[alert.labels] = alert
        }

        for (labels, fresh) in seen {
            if var existing = alerts[labels], existing.state != .inactive {
                existing.value = fresh.value
                existing.annotations = fresh.annotations
                existing.generatorURL = fresh.generatorURL
                if !fresh.evidence.isEmpty { existing.evidence = fresh.evidence }
                alerts[labels] = existing
            } else {
                alerts[labels] = fresh
            }
        }

        var activeCount = 0
        for labels in Array(alerts.keys) {
            guard var alert = alerts[labels] else { continue }
            if seen[labels] == nil {
                var keepFiring = false
                if alert.state == .firing, spec.keepFiringFor > .zero {
                    let since = alert.keepFiringSince ?? now
                    alert.keepFiringSince = since
                    keepFiring = Self.elapsed(from: since, to: now) < spec.keepFiringFor
                }
                let expired = alert.resolvedAt.map { Self.elapsed(from: $0, to: now) > Self.resolvedRetention } ?? false
                if alert.state == .pending || expired {
                    alerts[labels] = nil
                    continue
                }
                if !keepFiring {
                    if alert.state != .inactive {
                        alert.state = .inactive
                        alert.resolvedAt = now
                    }
                    alerts[labels] = alert
                    continue
                }
            } else {
                alert.keepFiringSince = nil
            }
            activeCount += 1
            if alert.state == .pending, Self.elapsed(from: alert.activeAt, to: now) >= spec.forDuration {
                alert.state = .firing
                alert.firedAt = now
            }
            alert.lastEvaluatedAt = now
            alerts[labels] = alert
        }

        if spec.limit > 0, activeCount > spec.limit {
            alerts = [:]
            result.failure = .limitExceeded(limit: spec.limit, alerts: activeCount)
        }
        result.transitions = Self.transitions(from: before, to: alerts.mapValues(\.state))
        result.state = state
        return result
    }

    /// The alert a series makes, as a new pending alert: labels and annotations rendered.
    private func makeAlert(for sample: RuleSample, at now: Date, failures: inout [RuleEvaluationResult.TemplateFailure]) -> ActiveRuleAlert {
        var seriesLabels = LabelSet()
        for label in sample.labels where !label.value.isEmpty { seriesLabels.updateValue(label.value, forName: label.name) }
        let data = RuleTemplateData(
            labels: seriesLabels.dictionary, externalLabels: spec.externalLabels.dictionary, externalURL: spec.externalURL, value: sample.value)
        func expand(_ text: String, field: String) -> (text: String, failed: Bool) {
            let (rendered, error) = templates.expandRuleTemplate(text, ruleName: spec.alertName, data: data)
            if let error { failures.append(.init(series: seriesLabels, field: field, error: error)) }
            return (rendered, error != nil)
        }

        var labels = seriesLabels
        labels.removeValue(forName: "__name__")
        for label in spec.labels {
            let value = expand(label.value, field: "labels.\(label.name)").text
            // Prometheus's labels.Builder removes a label set to "".
            if value.isEmpty { labels.removeValue(forName: label.name) } else { labels.updateValue(value, forName: label.name) }
        }
        labels.updateValue(spec.alertName, forName: "alertname")

        var annotations = LabelSet()
        for annotation in spec.annotations {
            annotations.updateValue(expand(annotation.value, field: "annotations.\(annotation.name)").text, forName: annotation.name)
        }
        let url = expand(spec.generatorURL, field: "generatorURL")
        return ActiveRuleAlert(
            labels: labels, annotations: annotations, state: .pending, value: sample.value, activeAt: now,
            evidence: Array(sample.evidence.prefix(Self.maximumEvidence)), generatorURL: url.failed ? "" : url.text)
    }

    private static func transitions(
        from before: [LabelSet: ActiveRuleAlert.State], to after: [LabelSet: ActiveRuleAlert.State]
    ) -> [RuleEvaluationResult.Transition] {
        let keys = Set(before.keys).union(after.keys).sorted()
        return keys.compactMap { labels in
            let old = before[labels]
            let new = after[labels]
            return old == new ? nil : RuleEvaluationResult.Transition(labels: labels, from: old, to: new)
        }
    }

    // MARK: Time

    /// `to - from`, to the microsecond: `Date` holds a `Double`, and a `for` of exactly one
    /// minute must not miss by a rounding error.
    static func elapsed(from start: Date, to end: Date) -> Duration {
        .microseconds(Int64((end.timeIntervalSince(start) * 1_000_000).rounded()))
    }

    static func date(_ date: Date, adding duration: Duration) -> Date {
        date.addingTimeInterval(duration.seconds)
    }
}
