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
            var matchers = try section.legacyMatchers(equal: "\(side)_match", regex: "\(side)_match_re")
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
