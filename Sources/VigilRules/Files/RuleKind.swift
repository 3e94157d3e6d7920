import VigilYAML

/// What a rule evaluates. Each kind has its own key in the rule (`red:`, `metric:`, `no_data:`,
/// `slo:`) and its own type; they share the alert semantics of ``Rule``.
///
/// The set of kinds is open: a new kind is a new case, its type, and one entry in
/// ``RuleKind/parsers`` that names its key. Code that switches over the kinds should expect
/// cases to be added.
public enum RuleKind: Sendable, Hashable {
    case red(REDRule)
    case metric(MetricRule)
    case noData(NoDataRule)
    case slo(SLO)

    /// The YAML key of the kind: `red`, `metric`, `no_data` or `slo`.
    public var key: String {
        switch self {
        case .red: "red"
        case .metric: "metric"
        case .noData: "no_data"
        case .slo: "slo"
        }
    }

    /// The `by:` list of the kinds that have one; empty otherwise.
    public var groupingLabels: [GroupingLabel] {
        switch self {
        case .red(let rule): rule.by
        case .metric(let rule): rule.by
        case .noData(let rule): rule.by
        case .slo: []
        }
    }

    /// The labels that the kind sets on its alerts, with what sets them; a rule's own `labels`
    /// may not set them too.
    var producedLabels: [(name: String, origin: String)] {
        switch self {
        case .slo: SLO.generatedLabelNames.map { ($0, "the SLO (per tier, set labels under slo.alerting)") }
        default: groupingLabels.map { ($0.name, "by: \($0.key)") }
        }
    }

    // MARK: Parsing

    /// How one kind is read: its key, the alert name used when a rule gives none (`nil`: `alert`
    /// is required), and the reader of the mapping under the key.
    struct Parser: Sendable {
        var key: String
        var defaultAlertName: String?
        var parse: @Sendable (inout YAMLSection, RuleParsingContext) throws(ConfigurationError) -> RuleKind
    }

    /// The kinds in the order their keys are listed in messages.
    static let parsers: [Parser] = [
        Parser(key: "red", defaultAlertName: nil, parse: REDRule.parse),
        Parser(key: "metric", defaultAlertName: nil, parse: MetricRule.parse),
        Parser(key: "no_data", defaultAlertName: nil, parse: NoDataRule.parse),
        Parser(key: "slo", defaultAlertName: SLO.defaultAlertName, parse: SLO.parse),
    ]

    /// `red, metric, no_data, slo`.
    static var keyList: String { parsers.map(\.key).joined(separator: ", ") }
}
