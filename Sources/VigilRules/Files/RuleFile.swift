import Foundation
import VigilAlerting
import VigilYAML

/// One rule file: groups of alerting rules and SLOs, validated when read.
///
/// A value of this type is usable as is: every rule has exactly one known kind, every duration,
/// threshold, matcher and label name is valid, every template passed the template check, group
/// names are unique in the file, SLO names are unique in the file, and every SLO's burn-rate
/// windows fit its period. Use ``checkUniqueSLONames(in:)`` across all the files loaded together.
public struct RuleFile: Sendable, Hashable {
    /// Checks one label or annotation template of the rule named `alertName` (for SLO rules, of
    /// its alerts); throws when the text cannot be rendered, and the error's description becomes
    /// the reason. The default is ``checkRuleTemplate(_:alertName:)``.
    public typealias TemplateCheck = (_ template: String, _ alertName: String) throws -> Void

    /// The file name used in messages (the path it was loaded from).
    public var path: String
    /// The groups, in file order.
    public var groups: [RuleGroup]

    /// A file made of already validated groups.
    public init(path: String, groups: [RuleGroup]) {
        self.path = path
        self.groups = groups
    }

    /// Every rule of every group, in file order.
    public var rules: [Rule] { groups.flatMap(\.rules) }

    /// The SLOs of the file, in file order.
    public var slos: [SLO] {
        rules.compactMap { if case .slo(let slo) = $0.kind { slo } else { nil } }
    }

    /// Reads and validates the file at `path`.
    ///
    /// - Parameter templateCheck: validates each label and annotation template; by default as
    ///   Prometheus does (``checkRuleTemplate(_:alertName:)``); `nil` skips the check.
    /// - Throws: ``ConfigurationError`` naming the file, line, key and reason, such as
    ///   `rules.yaml:12: groups[0].rules[1].red.threshold: "5" does not start with one of > >= < <= == !=`.
    public static func load(path: String, templateCheck: TemplateCheck? = checkRuleTemplate(_:alertName:)) throws(ConfigurationError) -> RuleFile {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError(file: path, line: nil, key: "", reason: "cannot read the file: \(error.localizedDescription)")
        }
        return try parse(text, file: path, templateCheck: templateCheck)
    }

    /// Validates the text of a rule file; `file` names it in messages. An empty file has no groups.
    /// `templateCheck` is as for ``load(path:templateCheck:)``.
    public static func parse(_ text: String, file: String, templateCheck: TemplateCheck? = checkRuleTemplate(_:alertName:)) throws(ConfigurationError) -> RuleFile {
        var root = try YAMLSection.document(text, file: file)
        let context = RuleParsingContext(templateCheck: templateCheck)
        var groups: [RuleGroup] = []
        try root.sections("groups") { (section: inout YAMLSection, _: Int) throws(ConfigurationError) in
            let group = try RuleGroup.parse(&section, context: context)
            if let other = groups.first(where: { $0.name == group.name }) {
                let first = other.line.map { " (line \($0))" } ?? ""
                throw section.error("name", "group \"\(group.name)\" is already defined in this file\(first)")
            }
            groups.append(group)
        }
        try root.finish()
        return RuleFile(path: file, groups: groups)
    }

    /// Checks a label or annotation template as Prometheus loads rule templates
    /// (``TemplateSet/validateRuleTemplate(_:ruleName:)``): `$labels`, `$value`,
    /// `$externalLabels`, `$externalURL` and Prometheus's template functions.
    ///
    /// - Throws: ``TemplateError`` naming the template `__alert_<alertName>` and the position.
    public static func checkRuleTemplate(_ text: String, alertName: String) throws(TemplateError) {
        // Rule templates do not see the notification templates, so one empty set serves all files.
        guard let templates = ruleTemplates else { return }
        try templates.validateRuleTemplate(text, ruleName: alertName)
    }

    private static let ruleTemplates = try? TemplateSet(files: [])

    /// Fails when two of `files` define an SLO of the same name (SLO names identify SLOs in alerts
    /// and in the API). Within one file, ``parse(_:file:templateCheck:)`` already checks.
    public static func checkUniqueSLONames(in files: [RuleFile]) throws(ConfigurationError) {
        var seen: [String: String] = [:]
        for file in files {
            for rule in file.rules {
                guard case .slo(let slo) = rule.kind else { continue }
                let location = rule.line.map { "\(file.path):\($0)" } ?? file.path
                if let first = seen[slo.name] {
                    throw ConfigurationError(file: file.path, line: rule.line, key: "\(rule.path).slo.name", reason: "SLO \"\(slo.name)\" is already defined at \(first)")
                }
                seen[slo.name] = location
            }
        }
    }
}
