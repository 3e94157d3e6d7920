import Foundation
import VigilAlerting
import VigilYAML

/// A rule unit test file, shaped as promtool's (`promtool test rules`): the rule files to test,
/// and tests that feed them synthetic telemetry and say which alerts must fire when.
///
/// ```yaml
/// rule_files: [checkout.rules.yaml]
/// evaluation_interval: 1m
/// tests:
///   - name: checkout errors page
///     input_spans:
///       - {service: checkout, operation: POST /checkout, count: '9x20'}
///       - {service: checkout, operation: POST /checkout, status: error, count: '_x5 1x15'}
///     alert_rule_test:
///       - eval_time: 10m
///         alertname: CheckoutErrors
///         exp_alerts:
///           - exp_labels: {severity: page}
/// ```
///
/// The file is read as strictly as rule files: an unknown key, a value of the wrong shape or a
/// notation that does not parse is an error naming the file, the line, the key path and the
/// reason.
public struct RuleTestFile: Sendable, Hashable {
    /// The file name used in messages (the path it was loaded from).
    public var path: String
    /// `rule_files`: paths or globs of the rule files to test, relative to the test file's folder.
    public var ruleFiles: [String]
    /// `evaluation_interval`: the time between two evaluations of every group (whatever the
    /// groups' own `interval`); default one minute.
    public var evaluationInterval: Duration
    /// `tests`, in file order.
    public var tests: [RuleTest]

    /// `evaluation_interval` when the file gives none.
    public static let defaultEvaluationInterval: Duration = .seconds(60)
    /// The most evaluations one test may need (its latest `eval_time` over `evaluation_interval`).
    public static let maximumEvaluations = 1_000_000

    /// A test file made of already validated parts.
    public init(path: String, ruleFiles: [String], evaluationInterval: Duration = RuleTestFile.defaultEvaluationInterval, tests: [RuleTest]) {
        self.path = path
        self.ruleFiles = ruleFiles
        self.evaluationInterval = evaluationInterval
        self.tests = tests
    }

    /// The folder `rule_files` are relative to.
    public var directory: String {
        (path as NSString).deletingLastPathComponent
    }

    /// Reads and validates the file at `path`.
    ///
    /// - Throws: ``ConfigurationError`` naming the file, line, key and reason, such as
    ///   `checkout.test.yaml:9: tests[0].input_series[0].values: "1+1" needs x and a repeat count, as in 1+1x3`.
    public static func load(path: String) throws(ConfigurationError) -> RuleTestFile {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError(file: path, line: nil, key: "", reason: "cannot read the file: \(error.localizedDescription)")
        }
        return try parse(text, file: path)
    }

    /// Validates the text of a test file; `file` names it in messages and is the base of
    /// relative `rule_files`.
    public static func parse(_ text: String, file: String) throws(ConfigurationError) -> RuleTestFile {
        var root = try YAMLSection.document(text, file: file)
        if root.contains("group_eval_order") {
            throw root.error("group_eval_order", "Vigil has no recording rules, so no group depends on another: groups are evaluated in file order")
        }
        var ruleFiles: [String] = []
        try root.strings("rule_files") { ruleFiles = $0 }
        guard !ruleFiles.isEmpty else { throw root.error("rule_files", "is required: the rule files to test, relative to this file") }
        guard ruleFiles.allSatisfy({ !$0.trimmingSpaces().isEmpty }) else { throw root.error("rule_files", "must not hold an empty path") }
        let interval = try root.ruleDuration("evaluation_interval", atLeast: .milliseconds(1)) ?? defaultEvaluationInterval
        // Vigil also reads promtool's per-test external labels and URL at the top, for every test.
        let externalLabels = LabelSet(pairs: try root.labelPairs("external_labels"))
        let externalURL = try root.scalar("external_url") ?? ""
        let defaults = RuleTest.Defaults(interval: interval, externalLabels: externalLabels, externalURL: externalURL)
        var tests: [RuleTest] = []
        try root.sections("tests") { (section: inout YAMLSection, _: Int) throws(ConfigurationError) in
            let test = try RuleTest.parse(&section, defaults: defaults)
            for alertTest in test.alertRuleTests {
                let evaluations = PrometheusDuration.milliseconds(of: alertTest.evalTime) / PrometheusDuration.milliseconds(of: interval) + 1
                guard evaluations <= Int64(maximumEvaluations) else {
                    throw ConfigurationError(
                        file: file, line: alertTest.line, key: "\(section.path).alert_rule_test",
                        reason: "eval_time \(PrometheusDuration.format(alertTest.evalTime)) needs \(evaluations) evaluations every \(PrometheusDuration.format(interval)); the most is \(maximumEvaluations)")
                }
            }
            tests.append(test)
        }
        try root.finish()
        return RuleTestFile(path: file, ruleFiles: ruleFiles, evaluationInterval: interval, tests: tests)
    }
}
