import Foundation
import VigilAlerting

/// One notification to send: the alerts of one aggregation group for one receiver.
public struct NotificationRequest: Sendable {
    /// The receiver's name as configured.
    public var receiver: String
    /// The group key (`{}/{team="a"}:{alertname="x"}`), sent as the webhook's `groupKey`.
    public var groupKey: String
    /// The labels the route groups by, with the group's values.
    public var groupLabels: LabelSet
    /// The group's alerts, firing and resolved, in the order they are sent.
    public var alerts: [Alert]
    /// The instant alerts are judged firing or resolved at.
    public var now: Date
    /// Vigil's external URL, for `.ExternalURL` and the webhook's `externalURL`.
    public var externalURL: String

    /// A request; `now` decides which alerts count as resolved.
    public init(receiver: String, groupKey: String, groupLabels: LabelSet, alerts: [Alert], now: Date, externalURL: String) {
        self.receiver = receiver
        self.groupKey = groupKey
        self.groupLabels = groupLabels
        self.alerts = alerts
        self.now = now
        self.externalURL = externalURL
    }
}

extension NotificationRequest {
    /// The data templates and the webhook see, as Alertmanager's `Template.Data` builds it:
    /// the receiver name with regular-expression metacharacters escaped (`regexp.QuoteMeta`);
    /// `firing` when any alert fires at ``now``, else `resolved`; `endsAt` hidden (`nil`) on
    /// alerts still firing; common labels and annotations are those every alert has with the
    /// same value.
    public func templateData() -> TemplateData {
        var templateAlerts: [TemplateAlert] = []
        templateAlerts.reserveCapacity(alerts.count)
        for alert in alerts {
            let resolved = alert.isResolved(at: now)
            templateAlerts.append(TemplateAlert(
                status: resolved ? "resolved" : "firing",
                labels: alert.labels.dictionary,
                annotations: alert.annotations.dictionary,
                startsAt: alert.startsAt,
                endsAt: resolved ? alert.endsAt : nil,
                generatorURL: alert.generatorURL,
                fingerprint: alert.fingerprint.description))
        }
        var commonLabels: [String: String] = [:]
        var commonAnnotations: [String: String] = [:]
        if let first = alerts.first {
            commonLabels = first.labels.dictionary
            commonAnnotations = first.annotations.dictionary
            for alert in alerts.dropFirst() {
                if commonLabels.isEmpty, commonAnnotations.isEmpty { break }
                // Go reads a missing label as "", so an empty value stays common.
                commonLabels = commonLabels.filter { Self.sameBytes(alert.labels[$0.key], $0.value) }
                commonAnnotations = commonAnnotations.filter { Self.sameBytes(alert.annotations[$0.key], $0.value) }
            }
        }
        return TemplateData(
            receiver: Self.quoteMeta(receiver),
            status: alerts.contains { !$0.isResolved(at: now) } ? "firing" : "resolved",
            alerts: templateAlerts,
            groupLabels: groupLabels.dictionary,
            commonLabels: commonLabels,
            commonAnnotations: commonAnnotations,
            externalURL: externalURL)
    }

    /// Go compares strings byte for byte; Swift's `==` would equate canonically equivalent spellings.
    private static func sameBytes(_ a: String, _ b: String) -> Bool {
        a.utf8.elementsEqual(b.utf8)
    }

    /// Go's `regexp.QuoteMeta`: a backslash before each of `\.+*?()|[]{}^$`.
    static func quoteMeta(_ text: String) -> String {
        var quoted = ""
        for character in text.unicodeScalars {
            if "\\.+*?()|[]{}^$".unicodeScalars.contains(character) { quoted.append("\\") }
            quoted.unicodeScalars.append(character)
        }
        return quoted
    }
}
