import VigilAlerting
import VigilYAML

/// Readers shared by the rule kinds. Each reads one key and throws a ``ConfigurationError`` that
/// names the file, line and key.
extension YAMLSection {
    /// A scalar that must be present and not blank.
    mutating func requiredText(_ key: String) throws(ConfigurationError) -> String {
        guard let text = try scalar(key) else { throw error(key, "is required") }
        guard !text.trimmingSpaces().isEmpty else { throw error(key, "must not be empty") }
        return text
    }

    /// One value or a list of values (`service: checkout` or `service: [checkout, cart]`); `nil`
    /// when absent. Blank entries are errors.
    mutating func oneOrMore(_ key: String) throws(ConfigurationError) -> [String]? {
        var values: [String]?
        do {
            values = try scalar(key).map { [$0] }
        } catch {
            // Not a single value: it must then be a list of them.
            try strings(key) { values = $0 }
        }
        guard let values else { return nil }
        guard !values.isEmpty else { throw self.error(key, "must not be an empty list") }
        guard values.allSatisfy({ !$0.trimmingSpaces().isEmpty }) else { throw self.error(key, "must not hold an empty value") }
        return values
    }

    /// A Prometheus duration (`30s`, `5m`, `1h30m`, `7d`); `nil` when absent.
    mutating func ruleDuration(_ key: String, atLeast minimum: Duration = .zero, wholeMinutes: Bool = false) throws(ConfigurationError) -> Duration? {
        guard let text = try scalar(key) else { return nil }
        guard let duration = PrometheusDuration.parse(text) else {
            throw error(key, "\"\(text)\" is not a duration such as 30s, 5m, 1h or 7d")
        }
        if wholeMinutes, PrometheusDuration.milliseconds(of: duration) % 60_000 != 0 {
            throw error(key, "\(text) is not a whole number of minutes")
        }
        guard duration >= minimum else { throw error(key, "\(text) is shorter than the minimum of \(PrometheusDuration.format(minimum))") }
        return duration
    }

    /// A number written in decimal (`0.05`, `-3`, `1e6`); `nil` when absent.
    mutating func number(_ key: String, in range: ClosedRange<Double>? = nil) throws(ConfigurationError) -> Double? {
        guard let text = try scalar(key) else { return nil }
        guard let value = Threshold.parseNumber(text) else { throw error(key, "\"\(text)\" is not a number") }
        if let range, !range.contains(value) {
            throw error(key, "\(text) is outside \(Threshold.format(range.lowerBound))...\(Threshold.format(range.upperBound))")
        }
        return value
    }

    /// A mapping of label (or annotation) names to values. Names must be valid Prometheus label
    /// names (`[a-zA-Z_][a-zA-Z0-9_]*`) and not start with `__` (reserved), as in Prometheus.
    mutating func labelPairs(_ key: String, naming what: String = "label") throws(ConfigurationError) -> [(String, String)] {
        var pairs: [(String, String)] = []
        try stringMap(key) { pairs = $0 }
        for (name, _) in pairs {
            guard LabelSet.isValidName(name) else { throw error(key, "invalid \(what) name \"\(name)\"") }
            guard !name.hasPrefix("__") else { throw error(key, "\(what) names starting with __ are reserved: \"\(name)\"") }
        }
        return pairs
    }

    /// A `matchers:` list of attribute matchers (``AttributeMatchers``).
    mutating func attributeMatchers(_ key: String) throws(ConfigurationError) -> Matchers {
        var entries: [String] = []
        try strings(key) { entries = $0 }
        var result = Matchers()
        for entry in entries {
            do {
                result.append(contentsOf: try AttributeMatchers.parse(entry))
            } catch {
                throw self.error(key, "\(error)")
            }
        }
        return result
    }

    /// A `by:` list, read into alert label names (``GroupingLabel``).
    mutating func groupingLabels(_ key: String, builtins: [String: GroupingLabel.Source]) throws(ConfigurationError) -> [GroupingLabel] {
        var names: [String] = []
        try strings(key) { names = $0 }
        var result: [GroupingLabel] = []
        for name in names {
            guard !name.isEmpty else { throw error(key, "an empty name is not an attribute") }
            let label = GroupingLabel(key: name, builtins: builtins)
            if let other = result.first(where: { $0.name == label.name }) {
                throw error(key, other.key == name ? "\"\(name)\" is listed twice" : "\"\(other.key)\" and \"\(name)\" both become the label \(label.name)")
            }
            guard label.name != "alertname" else { throw error(key, "alertname is set from the rule's alert") }
            result.append(label)
        }
        return result
    }

    /// A ``ConfigurationError`` about `child` inside the mapping at `key` (`annotations.summary`),
    /// located at the line of `key`.
    func error(_ key: String, child: String, _ reason: String) -> ConfigurationError {
        let location = error(key, reason)
        return ConfigurationError(file: location.file, line: location.line, key: "\(location.key).\(child)", reason: reason)
    }

    /// A `labels:` mapping: valid names, each value checked as a template.
    mutating func labelTemplates(_ key: String, context: RuleParsingContext) throws(ConfigurationError) -> [(String, String)] {
        let pairs = try labelPairs(key)
        for (name, text) in pairs {
            if let problem = context.templateProblem(in: text) { throw error(key, child: name, problem) }
        }
        return pairs
    }

    /// An `annotations:` mapping: valid names, each value checked as a template.
    mutating func annotations(_ key: String, context: RuleParsingContext) throws(ConfigurationError) -> LabelSet {
        let pairs = try labelPairs(key, naming: "annotation")
        for (name, text) in pairs {
            if let problem = context.templateProblem(in: text) { throw error(key, child: name, problem) }
        }
        return LabelSet(pairs: pairs)
    }

    /// A required `threshold: '> 0.05'`.
    mutating func threshold(_ key: String, units: Threshold.Units) throws(ConfigurationError) -> Threshold {
        let text = try requiredText(key)
        switch Threshold.parse(text, units: units) {
        case .success(let threshold): return threshold
        case .failure(let failure): throw error(key, failure.reason)
        }
    }
}
