/// The data a notification template runs against: Alertmanager's `template.Data`.
///
/// Templates reach the fields as `.Receiver`, `.Status`, `.Alerts` (with `.Alerts.Firing` and
/// `.Alerts.Resolved`), `.GroupLabels`, `.CommonLabels`, `.CommonAnnotations` and `.ExternalURL`.
/// Use ``make(receiverName:groupLabels:alerts:externalURL:)`` to derive the computed fields the
/// way Alertmanager does.
public struct TemplateData: Sendable, Equatable {
    /// Alertmanager puts the receiver name through `regexp.QuoteMeta`; ``make(receiverName:groupLabels:alerts:externalURL:)`` does too.
    public var receiver: String
    /// "firing" when any alert fires, else "resolved".
    public var status: String
    /// The group's alerts in notification order; `.Alerts.Firing` and `.Alerts.Resolved` filter them.
    public var alerts: [TemplateAlert]
    /// The labels the route groups by, with their values for this group.
    public var groupLabels: [String: String]
    /// Labels every alert has with the same value.
    public var commonLabels: [String: String]
    /// Annotations every alert has with the same value.
    public var commonAnnotations: [String: String]
    /// Where the UI is reached; `__alertmanagerURL` appends `/#/alerts?receiver=…` to it.
    public var externalURL: String

    /// Data with every field given; see ``make(receiverName:groupLabels:alerts:externalURL:)`` to
    /// derive the computed ones.
    public init(
        receiver: String,
        status: String,
        alerts: [TemplateAlert],
        groupLabels: [String: String],
        commonLabels: [String: String],
        commonAnnotations: [String: String],
        externalURL: String
    ) {
        self.receiver = receiver
        self.status = status
        self.alerts = alerts
        self.groupLabels = groupLabels
        self.commonLabels = commonLabels
        self.commonAnnotations = commonAnnotations
        self.externalURL = externalURL
    }

    /// Assembles the data for one notification as Alertmanager's `Template.Data` does: the
    /// receiver name regexp-quoted (`team.ops` becomes `team\.ops`), the status firing if any alert
    /// fires, and the labels and annotations that every alert shares with the same value.
    /// Alerts keep the given order.
    public static func make(
        receiverName: String,
        groupLabels: [String: String],
        alerts: [TemplateAlert],
        externalURL: String
    ) -> TemplateData {
        var commonLabels = alerts.first?.labels ?? [:]
        var commonAnnotations = alerts.first?.annotations ?? [:]
        for alert in alerts.dropFirst() {
            // Go reads a missing key as "" and compares bytes, not canonical equivalence.
            commonLabels = commonLabels.filter { (alert.labels[$0.key] ?? "").utf8.elementsEqual($0.value.utf8) }
            commonAnnotations = commonAnnotations.filter { (alert.annotations[$0.key] ?? "").utf8.elementsEqual($0.value.utf8) }
        }
        return TemplateData(
            receiver: quoteMeta(receiverName),
            status: alerts.contains { $0.status == "firing" } ? "firing" : "resolved",
            alerts: alerts,
            groupLabels: groupLabels,
            commonLabels: commonLabels,
            commonAnnotations: commonAnnotations,
            externalURL: externalURL)
    }

    /// Go's `regexp.QuoteMeta`.
    static func quoteMeta(_ text: String) -> String {
        var quoted = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if #"\.+*?()|[]{}^$"#.unicodeScalars.contains(scalar) { quoted.append("\\") }
            quoted.append(scalar)
        }
        return String(quoted)
    }
}
