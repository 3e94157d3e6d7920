import VigilAlerting
import VigilYAML

/// One alerting rule of a group: a name, exactly one kind (``RuleKind``), and the alert settings
/// Prometheus rules have.
///
/// Each result of the rule becomes an alert keyed by its labels: `alertname` (``alert``), the
/// rule's ``labels``, and the labels the kind produces (the `by` labels; `slo`, `service`,
/// `severity` and `window` for SLOs). An alert is pending while the condition holds for less than
/// ``forDuration``, then firing; it keeps firing for ``keepFiringFor`` after the condition stops.
public struct Rule: Sendable, Hashable {
    /// The `alertname` label.
    public var alert: String
    /// What the rule evaluates: its `red`, `metric`, `no_data` or `slo` mapping.
    public var kind: RuleKind
    /// `for`: how long the condition must hold before the alert fires; 0 (the default) fires at
    /// the first evaluation that meets it.
    public var forDuration: Duration
    /// `keep_firing_for`: how long a firing alert keeps firing after the condition stops; 0 by default.
    public var keepFiringFor: Duration
    /// The group's labels with the rule's own on top (a rule label set to `""` removes a group
    /// label). Values are templates, as in Prometheus (`{{ $labels.service }}-team`).
    public var labels: LabelSet
    /// Annotation templates (`{{ $labels.service }}`, `{{ $value }}`), rendered per alert.
    public var annotations: LabelSet
    /// The line of the rule in its file, and its key path (`groups[0].rules[2]`), for messages.
    public var line: Int?
    public var path: String

    /// A rule with the defaults of the YAML keys.
    public init(alert: String, kind: RuleKind, forDuration: Duration = .zero, keepFiringFor: Duration = .zero, labels: LabelSet = [:], annotations: LabelSet = [:], line: Int? = nil, path: String = "") {
        self.alert = alert
        self.kind = kind
        self.forDuration = forDuration
        self.keepFiringFor = keepFiringFor
        self.labels = labels
        self.annotations = annotations
        self.line = line
        self.path = path
    }

    /// The labels of one alert of this rule before templates are rendered: `produced` (the values
    /// of the `by` labels of one result), ``labels`` and `alertname`. Parsing guarantees that
    /// ``labels`` and the `by` labels do not share names.
    public func alertLabels(adding produced: LabelSet) -> LabelSet {
        var result = labels.merging(produced)
        result.updateValue(alert, forName: "alertname")
        return result
    }

    // MARK: Parsing

    /// Keys of Prometheus rules that Vigil does not have, with what to do instead.
    private static let foreignKeys: [(key: String, reason: String)] = [
        ("expr", "PromQL expressions are not evaluated by Vigil; use one of \(RuleKind.keyList)"),
        ("record", "recording rules are not supported; use one of \(RuleKind.keyList)"),
    ]

    static func parse(_ section: inout YAMLSection, groupLabels: LabelSet, context: RuleParsingContext) throws(ConfigurationError) -> Rule {
        for (key, reason) in foreignKeys where section.keys.contains(key) { throw section.error(key, reason) }
        // In document order, so that the second kind written is the one reported.
        let present = section.keys.compactMap { key in RuleKind.parsers.first { $0.key == key } }
        guard let parser = present.first else {
            throw ConfigurationError(file: section.file, line: section.line, key: section.path, reason: "a rule needs one of \(RuleKind.keyList)")
        }
        if present.count > 1 {
            throw section.error(present[1].key, "a rule has exactly one kind, and \(parser.key) is already given")
        }

        let alert: String
        if let text = try section.scalar("alert") {
            guard !text.trimmingSpaces().isEmpty else { throw section.error("alert", "must not be empty") }
            alert = text
        } else if let name = parser.defaultAlertName {
            alert = name
        } else {
            throw section.error("alert", "is required: the alert's name")
        }
        context.alertName = alert

        var kind: RuleKind?
        try section.section(parser.key) { (child: inout YAMLSection) throws(ConfigurationError) in
            kind = try parser.parse(&child, context)
        }
        guard let kind else { throw section.error(parser.key, "must not be empty") }

        let forDuration = try section.ruleDuration("for") ?? .zero
        let keepFiringFor = try section.ruleDuration("keep_firing_for") ?? .zero

        let own = try section.labelTemplates("labels", context: context)
        var labels = groupLabels
        for (name, value) in own {
            guard name != "alertname" else { throw section.error("labels", "alertname is set from alert") }
            if let produced = kind.producedLabels.first(where: { $0.name == name }) {
                throw section.error("labels", "\(name) is set by \(produced.origin)")
            }
            if value.isEmpty { labels.removeValue(forName: name) } else { labels.updateValue(value, forName: name) }
        }
        // A group label would replace the values of a `by` label and merge its alerts into one.
        if let clash = kind.groupingLabels.first(where: { labels.contains(name: $0.name) }) {
            throw section.error(parser.key, "by: \(clash.key) gives the label \(clash.name), which the group's labels also set")
        }

        let annotations = try section.annotations("annotations", context: context)
        return Rule(
            alert: alert, kind: kind, forDuration: forDuration, keepFiringFor: keepFiringFor,
            labels: labels, annotations: annotations, line: section.line, path: section.path)
    }
}
