import Foundation
import Logging
import VigilAlerting

/// `alertmanager_configs`: re-posts the group's alerts to another Alertmanager's
/// `POST /api/v2/alerts`, as Prometheus sends them.
struct AlertmanagerForwarder: Notifier {
    let config: AlertmanagerForwardConfig
    let sender: HTTPSender

    var sendsResolved: Bool { config.sendResolved }

    func notify(_ request: NotificationRequest) async throws(NotifyError) {
        let response = try await sender.postJSON(Self.body(request.alerts, now: request.now), to: config.alertsEndpoint)
        if let failure = response.failure(context: "alertmanager") { throw failure }
    }

    /// `[{labels, annotations, startsAt, endsAt, generatorURL}]`. `endsAt` is left out when it came
    /// from `resolve_timeout` rather than from the alert's sender, so the other Alertmanager
    /// applies its own; an alert resolved at `now` always carries it.
    static func body(_ alerts: [Alert], now: Date) -> String {
        GoJSON.array(alerts.map { alert in
            var members: [(String, GoJSON)] = [
                ("labels", .map(alert.labels.dictionary)),
                ("annotations", .map(alert.annotations.dictionary)),
                ("startsAt", .string(GoTime.rfc3339Nano(alert.startsAt))),
            ]
            if !alert.timeout || alert.isResolved(at: now) {
                members.append(("endsAt", .string(GoTime.rfc3339Nano(alert.endsAt))))
            }
            if !alert.generatorURL.isEmpty {
                members.append(("generatorURL", .string(alert.generatorURL)))
            }
            return .object(members)
        }).encoded
    }
}
