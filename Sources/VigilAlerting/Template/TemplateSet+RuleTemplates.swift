import Foundation

extension TemplateSet {
    /// What Prometheus writes before every label and annotation template of an alerting rule, so
    /// that `$labels`, `$externalLabels`, `$externalURL` and `$value` are defined. Error positions
    /// on the first line count these characters, as Prometheus's do.
    public static let ruleTemplatePrelude =
        "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}"

    /// Checks an alerting rule's label value or annotation template without running it, as a rule
    /// file is loaded.
    ///
    /// The text is parsed as Prometheus parses it: after ``ruleTemplatePrelude``, with Prometheus's
    /// functions (`humanize`, `humanizePercentage`, `reReplaceAll`, …) and not Alertmanager's, and
    /// without the notification templates of this set (a rule template only sees the `define`s it
    /// contains).
    ///
    /// - Parameter ruleName: the alert's name; errors name the template `__alert_<ruleName>`.
    /// - Throws: ``TemplateError`` for syntax errors, unknown functions, the query functions
    ///   (`query`, `first`, `label`, `value`, `sortByLabel`, …, code `unsupported`: Vigil's rules do
    ///   not run PromQL), calls of templates the text does not define, and constructs that fail
    ///   every time they run, such as `{{ $labels.job.name }}`.
    public func validateRuleTemplate(_ text: String, ruleName: String = "") throws(TemplateError) {
        let parsed = try parsedRuleTemplate(text, ruleName: ruleName)
        var visited = Set<String>()
        var pending = [parsed.root]
        while let definition = pending.popLast() {
            for include in Self.includes(in: definition.body) where !visited.contains(include.name) {
                guard let target = parsed.local[include.name] ?? (include.name == parsed.root.name ? parsed.root : nil) else {
                    let location = TemplateSource.location(source: definition.source, include.position)
                    throw TemplateError(code: .undefinedTemplate, message: "\(location): no such template \"\(include.name)\"")
                }
                visited.insert(include.name)
                pending.append(target)
            }
        }
        try TemplateTypeChecker.check(parsed.root, dot: .ruleData, dialect: .prometheus)
    }

    /// Renders an alerting rule's label value or annotation for one series, as Prometheus's
    /// `AlertingRule.Eval` expands it.
    ///
    /// Numbers print as Go prints them: `{{ $value }}` of 0.05 is `0.05`, of 1e21 `1e+21`, and
    /// `{{ $labels }}` is `map[job:api]`.
    ///
    /// - Throws: ``TemplateError`` when the text cannot be parsed or fails while running (a
    ///   function's error, such as `humanize "abc"`).
    public func renderRuleTemplate(
        _ text: String, ruleName: String = "", labels: LabelSet, value: Double, externalLabels: LabelSet = [:], externalURL: String = ""
    ) throws(TemplateError) -> String {
        let data = RuleTemplateData(labels: labels.dictionary, externalLabels: externalLabels.dictionary, externalURL: externalURL, value: value)
        return try renderRuleTemplate(text, ruleName: ruleName, data: data)
    }

    /// Renders a rule template against `data`; see ``renderRuleTemplate(_:ruleName:labels:value:externalLabels:externalURL:)``.
    public func renderRuleTemplate(_ text: String, ruleName: String = "", data: RuleTemplateData) throws(TemplateError) -> String {
        // Text without actions renders as itself; most rule labels are such literals.
        if !text.contains("{{") { return text }
        let parsed = try parsedRuleTemplate(text, ruleName: ruleName)
        return try execute(parsed, data: data)
    }

    /// Renders a rule template the way Prometheus fills in an alert: a template that fails does
    /// not drop the alert, the label or annotation reads `<error expanding template: …>` instead.
    /// The error is returned too, for logging.
    public func expandRuleTemplate(_ text: String, ruleName: String = "", data: RuleTemplateData) -> (text: String, error: TemplateError?) {
        if !text.contains("{{") { return (text, nil) }
        let name = Self.ruleTemplateName(ruleName)
        let parsed: ParsedText
        do {
            parsed = try parsedRuleTemplate(text, ruleName: ruleName)
        } catch {
            return ("<error expanding template: error parsing template \(name): template: \(error.message)>", error)
        }
        do {
            return (try execute(parsed, data: data), nil)
        } catch {
            return ("<error expanding template: error executing template \(name): template: \(error.message)>", error)
        }
    }

    /// Prometheus names each rule template after its alert.
    static func ruleTemplateName(_ ruleName: String) -> String {
        "__alert_" + ruleName
    }

    private func execute(_ parsed: ParsedText, data: RuleTemplateData) throws(TemplateError) -> String {
        let root = parsed.root
        return try TemplateExecutor.render(root, data: .ruleData(data), now: now(), dialect: .prometheus, externalURL: data.externalURL) { name in
            parsed.local[name] ?? (name == root.name ? root : nil)
        }
    }

    private func parsedRuleTemplate(_ text: String, ruleName: String) throws(TemplateError) -> ParsedText {
        let name = Self.ruleTemplateName(ruleName)
        let key = name + "\u{0}" + text
        if let cached = ruleCache.value(for: key) { return cached }
        let source = TemplateSource(name: name, text: Self.ruleTemplatePrelude + text)
        let result = try TemplateParser.parse(source, rootName: name, dialect: .prometheus)
        var local: [String: TemplateAST.Definition] = [:]
        for definition in result.definitions { local[definition.name] = definition }
        let parsed = ParsedText(root: result.root, local: local)
        ruleCache.store(parsed, for: key)
        return parsed
    }
}
