import VigilAlerting
import VigilYAML

/// A group of rules evaluated together every ``interval``, as a Prometheus rule group.
public struct RuleGroup: Sendable, Hashable {
    /// Unique within its file.
    public var name: String
    /// Time between evaluations; default 30 seconds.
    public var interval: Duration
    /// Labels added to every alert of the group's rules (a rule's own labels win); templates.
    public var labels: LabelSet
    /// `limit`: the most pending and firing alerts one rule of the group may have; an evaluation
    /// that gives more fails and drops the rule's alerts, as in Prometheus. 0 (the default) means
    /// no limit.
    public var limit: Int
    /// The group's rules, evaluated in this order.
    public var rules: [Rule]
    /// The line of the group in its file, for messages.
    public var line: Int?

    /// `interval` when a group gives none.
    public static let defaultInterval: Duration = .seconds(30)

    /// A group with the defaults of the YAML keys.
    public init(name: String, interval: Duration = RuleGroup.defaultInterval, labels: LabelSet = [:], limit: Int = 0, rules: [Rule] = [], line: Int? = nil) {
        self.name = name
        self.interval = interval
        self.labels = labels
        self.limit = limit
        self.rules = rules
        self.line = line
    }

    static func parse(_ section: inout YAMLSection, context: RuleParsingContext) throws(ConfigurationError) -> RuleGroup {
        let name = try section.requiredText("name")
        let interval = try section.ruleDuration("interval", atLeast: .seconds(1)) ?? defaultInterval
        var limit = 0
        try section.integer("limit", in: 0...Int(Int32.max)) { limit = $0 }
        context.alertName = name
        var labels = LabelSet()
        for (label, value) in try section.labelTemplates("labels", context: context) {
            guard label != "alertname" else { throw section.error("labels", "alertname is set from each rule's alert") }
            if !value.isEmpty { labels.updateValue(value, forName: label) }
        }
        var rules: [Rule] = []
        try section.sections("rules") { (child: inout YAMLSection, _: Int) throws(ConfigurationError) in
            rules.append(try Rule.parse(&child, groupLabels: labels, context: context))
        }
        return RuleGroup(name: name, interval: interval, labels: labels, limit: limit, rules: rules, line: section.line)
    }
}
