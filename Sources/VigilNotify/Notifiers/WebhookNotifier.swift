import Foundation
import Logging
import VigilAlerting

/// `webhook_configs`: POSTs Alertmanager's version-4 message to the configured URL.
struct WebhookNotifier: Notifier {
    let config: WebhookConfig
    let sender: HTTPSender

    var sendsResolved: Bool { config.sendResolved }

    func notify(_ request: NotificationRequest) async throws(NotifyError) {
        // As Alertmanager, truncate first: status and common labels describe the alerts sent.
        var sent = request
        var truncated = 0
        if config.maxAlerts > 0, request.alerts.count > config.maxAlerts {
            sent.alerts = Array(request.alerts.prefix(config.maxAlerts))
            truncated = request.alerts.count - config.maxAlerts
        }
        let body = Self.message(sent.templateData(), groupKey: request.groupKey, truncatedAlerts: truncated)
        let response = try await sender.postJSON(body, to: config.url.value)
        if let failure = response.failure(context: "webhook") { throw failure }
    }

    /// The JSON body, byte for byte as Alertmanager 0.25's `webhook.Message` (template data
    /// fields first, then `version`, `groupKey`, `truncatedAlerts`), newline-terminated.
    static func message(_ data: TemplateData, groupKey: String, truncatedAlerts: Int) -> String {
        GoJSON.object(templateDataMembers(data) + [
            ("version", .string("4")),
            ("groupKey", .string(groupKey)),
            ("truncatedAlerts", .integer(truncatedAlerts)),
        ]).encoded
    }

    /// Alertmanager's `template.Data` as JSON members, in its field order.
    static func templateDataMembers(_ data: TemplateData) -> [(String, GoJSON)] {
        [
            ("receiver", .string(data.receiver)),
            ("status", .string(data.status)),
            ("alerts", .array(data.alerts.map { alert in
                .object([
                    ("status", .string(alert.status)),
                    ("labels", .map(alert.labels)),
                    ("annotations", .map(alert.annotations)),
                    ("startsAt", .string(GoTime.rfc3339Nano(alert.startsAt))),
                    ("endsAt", .string(GoTime.rfc3339Nano(alert.endsAt))),
                    ("generatorURL", .string(alert.generatorURL)),
                    ("fingerprint", .string(alert.fingerprint)),
                ])
            })),
            ("groupLabels", .map(data.groupLabels)),
            ("commonLabels", .map(data.commonLabels)),
            ("commonAnnotations", .map(data.commonAnnotations)),
            ("externalURL", .string(data.externalURL)),
        ]
    }
}
