import Foundation
import VigilAlerting

extension RuleAlertState {
    /// How a restart adjusts the `for` of pending alerts, as Prometheus's `RestoreForState` does
    /// with its `ALERTS_FOR_STATE` series.
    public struct RestorePolicy: Sendable, Hashable {
        /// `--rules.alert.for-outage-tolerance`: a pending alert last evaluated longer ago than
        /// this starts its `for` again. Default 1 hour.
        public var outageTolerance: Duration
        /// `--rules.alert.for-grace-period`: a pending alert never fires sooner than this after a
        /// restart; rules whose `for` is shorter start their `for` again. Default 10 minutes.
        public var forGracePeriod: Duration

        /// Prometheus's defaults: 1 hour of outage tolerance, a 10-minute grace period.
        public init(outageTolerance: Duration = .seconds(3_600), forGracePeriod: Duration = .seconds(600)) {
            self.outageTolerance = outageTolerance
            self.forGracePeriod = forGracePeriod
        }
    }

    /// The rule's alerts as a ``snapshot`` left them, exactly: pending alerts keep `activeAt`, so
    /// a leader change or restart does not start `for` again, and firing and resolved alerts go
    /// on being sent (a resend waits for `resendDelay` after the snapshot's `lastSentAt`). The
    /// snapshot must be of the same rule; of two alerts with the same labels the later is kept.
    public init(spec: RuleAlertSpec, templates: TemplateSet, restoring snapshot: [ActiveRuleAlert]) {
        self.init(spec: spec, templates: templates)
        for alert in snapshot { alerts[alert.labels] = alert }
    }

    /// The rule's alerts as a ``snapshot`` left them, with pending alerts adjusted at `now` as
    /// Prometheus restores `for` after a restart (firing and resolved alerts are kept as they
    /// were):
    ///
    /// - a rule whose `for` is shorter than the grace period, or an alert last evaluated more than
    ///   the outage tolerance before `now`, starts `for` again: the alert is dropped and the next
    ///   evaluation makes a new one;
    /// - an alert that had less than the grace period of `for` left fires the grace period after
    ///   `now`;
    /// - any other alert does not count the time the rule was down (from its last evaluation to
    ///   `now`) towards `for`.
    public init(spec: RuleAlertSpec, templates: TemplateSet, restoring snapshot: [ActiveRuleAlert], at now: Date, policy: RestorePolicy) {
        self.init(spec: spec, templates: templates, restoring: snapshot)
        for (labels, alert) in alerts where alert.state == .pending {
            alerts[labels] = Self.restoredPending(alert, forDuration: spec.forDuration, at: now, policy: policy)
        }
    }

    private static func restoredPending(_ alert: ActiveRuleAlert, forDuration: Duration, at now: Date, policy: RestorePolicy) -> ActiveRuleAlert? {
        guard forDuration >= policy.forGracePeriod, let downAt = alert.lastEvaluatedAt,
            elapsed(from: downAt, to: now) <= policy.outageTolerance
        else { return nil }
        var restored = alert
        let remaining = forDuration - elapsed(from: alert.activeAt, to: downAt)
        if remaining <= .zero {
            // It had held for `for` when the rule stopped: it fires at the next evaluation.
        } else if remaining < policy.forGracePeriod {
            restored.activeAt = date(date(now, adding: policy.forGracePeriod), adding: .zero - forDuration)
        } else {
            restored.activeAt = date(alert.activeAt, adding: elapsed(from: downAt, to: now))
        }
        return restored
    }
}
