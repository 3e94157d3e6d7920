import Foundation
import VigilAlerting
import VigilYAML

/// Runs rule unit test files as `promtool test rules` runs Prometheus's: for each test, the
/// rules of every group are evaluated over the test's synthetic telemetry at 0,
/// `evaluation_interval`, 2 × `evaluation_interval`, … up to the test's latest `eval_time`, with
/// the alert state kept from one evaluation to the next as the server keeps it; at each
/// `eval_time`, the firing alerts of each `alertname` are compared with the expected ones.
///
/// - Every group is evaluated at `evaluation_interval`, whatever its own `interval`, in the order
///   of `rule_files` and of the groups in each file (as promtool does).
/// - An `eval_time` between two evaluations is checked against the earlier one.
/// - Pending alerts are not compared: only firing ones, as promtool.
/// - Expected labels must be the alert's whole label set; `alertname` may be left out. Expected
///   annotations must be the whole annotations; the `trace_ids` evidence annotation only counts
///   when an expected alert of the same `alert_rule_test` entry lists it.
/// - A rule that cannot be evaluated fails its test at that time, and the test stops there.
///
/// Nothing is sent and nothing is stored: no database, no network.
public struct RuleTestRunner: Sendable {
    /// Loads the rule files named by `rule_files` (paths or globs), relative to `directory`, and
    /// checks them together; throws the first problem.
    public typealias RuleFilesLoader = @Sendable (_ patterns: [String], _ directory: String) throws(ConfigurationError) -> [RuleFile]

    /// How rule files are loaded.
    public let loadRuleFiles: RuleFilesLoader

    /// A runner; by default it reads rule files from disk as the server reads `rule_files`
    /// (``loadRuleFilesFromDisk(_:relativeTo:)``).
    public init(loadRuleFiles: @escaping RuleFilesLoader = RuleTestRunner.loadRuleFilesFromDisk) {
        self.loadRuleFiles = loadRuleFiles
    }

    /// Reads the rule files `patterns` match (shell globs allowed), relative to `directory`, with
    /// ``RuleFile/load(path:templateCheck:)``, and checks that SLO names are unique across them.
    public static func loadRuleFilesFromDisk(_ patterns: [String], relativeTo directory: String) throws(ConfigurationError) -> [RuleFile] {
        try RuleFileSet.load(patterns: patterns, relativeTo: directory).files
    }

    /// Loads the test file at `path` and its rule files, and runs every test. A file that cannot
    /// be loaded gives a result with its ``RuleTestFileResult/error`` and no tests.
    public func run(path: String) async -> RuleTestFileResult {
        let file: RuleTestFile
        do {
            file = try RuleTestFile.load(path: path)
        } catch {
            return RuleTestFileResult(file: path, error: error)
        }
        return await run(file)
    }

    /// Loads the rule files of `file` and runs every test.
    public func run(_ file: RuleTestFile) async -> RuleTestFileResult {
        let ruleFiles: [RuleFile]
        let templates: TemplateSet
        do {
            ruleFiles = try loadRuleFiles(file.ruleFiles, file.directory)
        } catch {
            return RuleTestFileResult(file: file.path, error: error)
        }
        do {
            templates = try TemplateSet(files: [])
        } catch {
            return RuleTestFileResult(file: file.path, error: ConfigurationError(file: file.path, line: nil, key: "", reason: "\(error)"))
        }
        var results: [RuleTestResult] = []
        for test in file.tests {
            results.append(await run(test, ruleFiles: ruleFiles, evaluationInterval: file.evaluationInterval, templates: templates))
        }
        return RuleTestFileResult(file: file.path, tests: results)
    }

    /// Runs one test over already loaded rule files.
    ///
    /// - Parameter templates: renders the rules' labels and annotations; Prometheus's rule
    ///   template functions need no notification templates, so `TemplateSet(files: [])` serves.
    public func run(_ test: RuleTest, ruleFiles: [RuleFile], evaluationInterval: Duration, templates: TemplateSet) async -> RuleTestResult {
        var result = RuleTestResult(name: test.name, line: test.line)
        let context = RuleServerContext(externalLabels: test.externalLabels, externalURL: test.externalURL)
        var groups = ruleFiles.flatMap { file in
            file.groups.map { RuleGroupState(file: file.path, group: $0, context: context, templates: templates) }
        }
        let evaluator = RuleEvaluator(source: InMemoryRuleDataSource(test: test))
        // By time, entries of one time in file order.
        let checks = test.alertRuleTests.enumerated().sorted { ($0.element.evalTime, $0.offset) < ($1.element.evalTime, $1.offset) }.map(\.element)
        // Without expectations the rules are still evaluated once, at 0, so that a rule that
        // cannot be evaluated fails the test (as in promtool).
        let last = checks.last?.evalTime ?? .zero
        guard evaluationInterval > .zero else { return result }
        var next = 0
        var time = Duration.zero
        while time <= last {
            let date = Self.date(time)
            var errors: [RuleTestFailure] = []
            for index in groups.indices {
                let evaluation = await groups[index].evaluate(at: date, with: evaluator)
                // An SLO's windows fail together: one failure per rule, as promtool reports rules.
                var reported = Set<Int>()
                for failure in evaluation.failures where reported.insert(failure.unit.ruleIndex).inserted {
                    errors.append(RuleTestFailure(testName: test.name, reason: .evaluation(rule: failure.unit.rule.alert, time: time, error: failure.error)))
                }
            }
            guard errors.isEmpty else {
                result.failures += errors
                return result
            }
            while next < checks.count, checks[next].evalTime < time + evaluationInterval {
                if let failure = Self.compare(checks[next], groups: groups, testName: test.name) { result.failures.append(failure) }
                next += 1
            }
            time += evaluationInterval
        }
        return result
    }

    /// The failure of one `alert_rule_test` entry against the groups' current alerts, or `nil`
    /// when the firing alerts are the expected ones.
    static func compare(_ check: RuleTest.AlertRuleTest, groups: [RuleGroupState], testName: String) -> RuleTestFailure? {
        let evidence = RuleAlertState.evidenceAnnotation
        let comparesEvidence = check.expectedAlerts.contains { $0.annotations.contains(name: evidence) }
        var got: [RuleTestAlert] = []
        for group in groups {
            for (unit, state) in zip(group.units, group.states) where unit.spec.alertName == check.alertName {
                for alert in state.active where alert.state == .firing {
                    var annotations = alert.annotationsIncludingEvidence
                    // The rule's own annotation of that name is always compared; the evidence only when asked.
                    if !comparesEvidence, !alert.annotations.contains(name: evidence) { annotations.removeValue(forName: evidence) }
                    got.append(RuleTestAlert(labels: alert.labels, annotations: annotations))
                }
            }
        }
        let expected = check.expectedAlerts.map { alert in
            var labels = alert.labels
            labels.updateValue(check.alertName, forName: "alertname")
            return RuleTestAlert(labels: labels, annotations: alert.annotations)
        }.sorted()
        got.sort()
        guard expected != got else { return nil }
        return RuleTestFailure(testName: testName, reason: .alerts(alertName: check.alertName, evalTime: check.evalTime, expected: expected, got: got))
    }

    /// The evaluation time `offset` after the Unix epoch.
    static func date(_ offset: Duration) -> Date {
        Date(timeIntervalSince1970: Double(PrometheusDuration.milliseconds(of: offset)) / 1_000)
    }
}
