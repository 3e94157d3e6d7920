import VigilYAML

/// One `inhibit_rules` entry: while an alert matching ``sourceMatchers`` fires, alerts matching
/// ``targetMatchers`` with the same values for every ``equal`` label are muted.
public struct InhibitRuleConfig: Sendable, Equatable {
    /// `source_match`, `source_match_re` and `source_matchers`.
    public var sourceMatchers: [Matcher] = []
    /// `target_match`, `target_match_re` and `target_matchers`.
    public var targetMatchers: [Matcher] = []
    public var equal: [String] = []

    public init(sourceMatchers: [Matcher] = [], targetMatchers: [Matcher] = [], equal: [String] = []) {
        self.sourceMatchers = sourceMatchers
        self.targetMatchers = targetMatchers
        self.equal = equal
    }

    public static func parse(_ section: inout YAMLSection) throws(ConfigurationError) -> InhibitRuleConfig {
        var rule = InhibitRuleConfig()
        for side in ["source", "target"] {
            var matchers: [Matcher] = []
            for (suffix, kind) in [("match", Matcher.Kind.equal), ("match_re", .regex)] {
                let key = "\(side)_\(suffix)"
                var pairs: [(String, String)] = []
                try section.stringMap(key) { pairs = $0 }
                // Alertmanager keeps a match_re value anchored, and prints it that way.
            for (name, value) in pairs {
                    guard LabelSet.isValidName(name) else { throw section.error(key, "invalid label name \"\(name)\"") }
                    do {
                        matchers.append(try Matcher(name: name, kind: kind, value: kind == .regex ? "^(?:\(value))$" : value))
                    } catch {
                        throw section.error(key, "\(error)")
                    }
                }
            }
            try section.matchers("\(side)_matchers") { matchers += $0 }
            if side == "source" { rule.sourceMatchers = matchers } else { rule.targetMatchers = matchers }
        }
        var equal: [String] = []
        try section.strings("equal") { equal = $0 }
        for name in equal where !LabelSet.isValidName(name) {
            throw section.error("equal", "invalid label name \"\(name)\" in equal list")
        }
        rule.equal = equal
        return rule
    }
}
