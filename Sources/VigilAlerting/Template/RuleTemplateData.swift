/// The data an alerting rule's label and annotation templates run against: Prometheus's
/// `AlertTemplateData`.
///
/// Templates reach the fields as `.Labels`, `.ExternalLabels` (plain `map[string]string`s, which
/// print as `map[job:api]`), `.ExternalURL` and `.Value` (a `float64`), or through the variables
/// `$labels`, `$externalLabels`, `$externalURL` and `$value` that every rule template declares.
public struct RuleTemplateData: Sendable, Equatable {
    /// The labels of the series the rule produced, before the rule's own labels are added.
    public var labels: [String: String]
    /// The server's external labels.
    public var externalLabels: [String: String]
    /// The URL the server is reached at, as configured.
    public var externalURL: String
    /// The series' value at this evaluation.
    public var value: Double

    /// The data for one series of a rule.
    public init(labels: [String: String], externalLabels: [String: String] = [:], externalURL: String = "", value: Double) {
        self.labels = labels
        self.externalLabels = externalLabels
        self.externalURL = externalURL
        self.value = value
    }

    /// What Go's `%T` prints for Prometheus's anonymous data struct.
    static let goTypeName = "struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; Value interface {} }"
}
