import Foundation

/// One alert as notification templates see it: Alertmanager's `template.Alert`.
///
/// Templates reach the fields as `.Status`, `.Labels`, `.Annotations`, `.StartsAt`, `.EndsAt`,
/// `.GeneratorURL` and `.Fingerprint`.
public struct TemplateAlert: Sendable, Equatable {
    /// "firing" or "resolved".
    public var status: String
    /// `.Labels`, with Alertmanager's `KV` methods (`.SortedPairs`, `.Names`, `.Values`, `.Remove`).
    public var labels: [String: String]
    /// `.Annotations`, with the same methods as ``labels``.
    public var annotations: [String: String]
    /// Printed in UTC with Go's layout, e.g. `2024-01-02 03:04:05.123 +0000 UTC`; sub-microsecond
    /// digits are dropped because `Date` cannot hold them exactly.
    public var startsAt: Date
    /// `nil` is Go's zero time, which prints as `0001-01-01 00:00:00 +0000 UTC`.
    public var endsAt: Date?
    /// The link back to the rule that fired, as the alert's source sent it.
    public var generatorURL: String
    /// The alert's label fingerprint as 16 hex digits.
    public var fingerprint: String

    /// An alert; `endsAt` defaults to unset (Go's zero time), which is what Alertmanager shows
    /// for alerts still firing.
    public init(
        status: String,
        labels: [String: String],
        annotations: [String: String] = [:],
        startsAt: Date,
        endsAt: Date? = nil,
        generatorURL: String = "",
        fingerprint: String = ""
    ) {
        self.status = status
        self.labels = labels
        self.annotations = annotations
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.generatorURL = generatorURL
        self.fingerprint = fingerprint
    }
}
