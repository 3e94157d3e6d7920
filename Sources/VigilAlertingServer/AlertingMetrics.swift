import Metrics

/// The alerting pipeline's self-metrics, named after Alertmanager's own (`vigil_` instead of
/// `alertmanager_`): alerts received by status, notifications and notification requests per
/// integration kind, and the failed ones.
struct AlertingMetrics: Sendable {
    private let firingReceived = Counter(label: "vigil_alerting_alerts_received_total", dimensions: [("status", "firing")])
    private let resolvedReceived = Counter(label: "vigil_alerting_alerts_received_total", dimensions: [("status", "resolved")])
    private let invalidReceived = Counter(label: "vigil_alerting_alerts_invalid_total")

    func received(resolved: Bool) {
        (resolved ? resolvedReceived : firingReceived).increment()
    }

    func invalid(_ count: Int) {
        invalidReceived.increment(by: count)
    }

    /// One notification (a group sent to one integration), successful or not, with its attempts.
    func notification(integration: String, attempts: Int, success: Bool) {
        Counter(label: "vigil_alerting_notifications_total", dimensions: [("integration", integration)]).increment()
        Counter(label: "vigil_alerting_notification_requests_total", dimensions: [("integration", integration)]).increment(by: attempts)
        guard !success else {
            if attempts > 1 {
                Counter(label: "vigil_alerting_notification_requests_failed_total", dimensions: [("integration", integration)]).increment(by: attempts - 1)
            }
            return
        }
        Counter(label: "vigil_alerting_notifications_failed_total", dimensions: [("integration", integration)]).increment()
        Counter(label: "vigil_alerting_notification_requests_failed_total", dimensions: [("integration", integration)]).increment(by: attempts)
    }
}
