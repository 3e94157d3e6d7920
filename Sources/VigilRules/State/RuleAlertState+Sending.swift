import Foundation
import VigilAlerting

extension RuleAlertState {
    /// The alerts to send after the evaluation at `now`, as Prometheus's `sendAlerts` picks them,
    /// marked as sent. Call it once after each ``apply(_:at:)``.
    ///
    /// - Pending alerts are never sent.
    /// - An alert resolved since its last send is sent at once.
    /// - Any other alert is sent when its last send is more than `resendDelay` ago (strictly, as in
    ///   Prometheus: with a 1-minute interval and the default 1-minute delay, a firing alert is
    ///   resent every second evaluation). A resolved alert is so resent while it is kept.
    ///
    /// Firing alerts carry `endsAt` = now + 4 × max(`interval`, `resendDelay`), which lets
    /// Alertmanager resolve them by itself if sends stop; resolved ones carry their `resolvedAt`.
    /// `startsAt` is when the alert fired. Labels get the spec's external labels the alert lacks;
    /// annotations get the evidence (``ActiveRuleAlert/annotationsIncludingEvidence``).
    ///
    /// - Parameter interval: the rule's evaluation interval.
    public mutating func alertsToSend(at now: Date, interval: Duration, resendDelay: Duration = defaultResendDelay) -> [PostableAlert] {
        let validity = max(interval, resendDelay) * 4
        var sent: [PostableAlert] = []
        for labels in alerts.keys.sorted() {
            guard var alert = alerts[labels], Self.needsSending(alert, at: now, resendDelay: resendDelay) else { continue }
            alert.lastSentAt = now
            alert.validUntil = Self.date(now, adding: validity)
            alerts[labels] = alert
            sent.append(postable(alert))
        }
        return sent
    }

    /// Prometheus's `Alert.needsSending`.
    static func needsSending(_ alert: ActiveRuleAlert, at now: Date, resendDelay: Duration) -> Bool {
        if alert.state == .pending { return false }
        guard let lastSentAt = alert.lastSentAt else { return true }
        if let resolvedAt = alert.resolvedAt, resolvedAt > lastSentAt { return true }
        return elapsed(from: lastSentAt, to: now) > resendDelay
    }

    private func postable(_ alert: ActiveRuleAlert) -> PostableAlert {
        var labels = alert.labels
        for external in spec.externalLabels where labels[external.name].isEmpty {
            labels.updateValue(external.value, forName: external.name)
        }
        return PostableAlert(
            labels: labels,
            annotations: alert.annotationsIncludingEvidence,
            startsAt: alert.firedAt ?? alert.activeAt,
            endsAt: alert.resolvedAt ?? alert.validUntil,
            generatorURL: alert.generatorURL)
    }
}
