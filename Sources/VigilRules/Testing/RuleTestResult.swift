import VigilAlerting
import VigilYAML

/// What running one rule test file gave: the file's problem, or each test's failures.
public struct RuleTestFileResult: Sendable {
    /// The test file, as given.
    public var file: String
    /// Why the test file or one of its rule files could not be loaded; no test ran.
    public var error: ConfigurationError?
    /// One result per test, in file order.
    public var tests: [RuleTestResult]

    /// The result of a file whose tests ran.
    public init(file: String, tests: [RuleTestResult]) {
        self.file = file
        self.error = nil
        self.tests = tests
    }

    /// The result of a file that could not be loaded.
    public init(file: String, error: ConfigurationError) {
        self.file = file
        self.error = error
        self.tests = []
    }

    /// True when the file loaded and every test passed.
    public var passed: Bool {
        error == nil && tests.allSatisfy(\.passed)
    }

    /// Every failure of every test, in order.
    public var failures: [RuleTestFailure] {
        tests.flatMap(\.failures)
    }

    /// The file's report as `promtool test rules` prints it: `Unit Testing:  <file>`, then
    /// `  SUCCESS`, or `  FAILED:` followed by each problem and a blank line; a blank line ends it.
    public var report: String {
        var text = "Unit Testing:  \(file)\n"
        let problems = (error.map { [$0.description] } ?? []) + failures.map(\.description)
        if problems.isEmpty {
            text += "  SUCCESS\n"
        } else {
            text += "  FAILED:\n"
            for problem in problems { text += problem + "\n\n" }
        }
        return text + "\n"
    }
}

/// The failures of one test (an entry of `tests:`).
public struct RuleTestResult: Sendable, Hashable {
    /// The test's `name`; empty when it has none.
    public var name: String
    /// The test's line in its file.
    public var line: Int?
    /// What did not go as expected, by evaluation time; empty when the test passed.
    public var failures: [RuleTestFailure]

    /// The result of one test.
    public init(name: String, line: Int? = nil, failures: [RuleTestFailure] = []) {
        self.name = name
        self.line = line
        self.failures = failures
    }

    /// True when nothing failed.
    public var passed: Bool { failures.isEmpty }
}

/// One alert as the test compares it: its labels and annotations.
public struct RuleTestAlert: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Every label, `alertname` included.
    public var labels: LabelSet
    /// Every annotation compared.
    public var annotations: LabelSet

    /// An alert's labels and annotations.
    public init(labels: LabelSet, annotations: LabelSet) {
        self.labels = labels
        self.annotations = annotations
    }

    /// A total order, so that expected and firing alerts line up: by labels, then annotations.
    public static func < (lhs: RuleTestAlert, rhs: RuleTestAlert) -> Bool {
        (lhs.labels.description, lhs.annotations.description) < (rhs.labels.description, rhs.annotations.description)
    }

    /// `Labels:{…}` and `Annotations:{…}` on two lines, as promtool shows alerts.
    public var description: String {
        "Labels:\(labels)\nAnnotations:\(annotations)"
    }
}

/// One failure of a test, shown as promtool shows it.
public struct RuleTestFailure: Sendable, Hashable, CustomStringConvertible {
    /// What failed.
    public enum Reason: Sendable, Hashable {
        /// The alerts of `alertName` firing at the evaluation for `evalTime` are not the expected
        /// ones. Both lists are sorted.
        case alerts(alertName: String, evalTime: Duration, expected: [RuleTestAlert], got: [RuleTestAlert])
        /// A rule could not be evaluated at `time`; the test stopped there.
        case evaluation(rule: String, time: Duration, error: String)
    }

    /// The test's `name`; empty when it has none.
    public var testName: String
    /// What failed.
    public var reason: Reason

    /// A failure of the test named `testName`.
    public init(testName: String, reason: Reason) {
        self.testName = testName
        self.reason = reason
    }

    /// promtool's text, indented as it prints it:
    ///
    /// ```
    ///     name: checkout errors page,
    ///     alertname: CheckoutErrors, time: 8m,
    ///         exp:[
    ///             0:
    ///               Labels:{alertname="CheckoutErrors", severity="page"}
    ///               Annotations:{}
    ///             ],
    ///         got:[]
    /// ```
    public var description: String {
        let name = testName.isEmpty ? "" : "    name: \(testName),\n"
        switch reason {
        case .alerts(let alertName, let evalTime, let expected, let got):
            return name + "    alertname: \(alertName), time: \(PrometheusDuration.format(evalTime)), \n"
                + "        exp:\(Self.indent(Self.list(expected), "            ")), \n"
                + "        got:\(Self.indent(Self.list(got), "            "))"
        case .evaluation(let rule, let time, let error):
            return name + "    rule: \(rule), time: \(PrometheusDuration.format(time)), err: \(error)"
        }
    }

    /// promtool's `labelsAndAnnotations.String()`: `[]`, or numbered alerts inside brackets.
    static func list(_ alerts: [RuleTestAlert]) -> String {
        guard !alerts.isEmpty else { return "[]" }
        let items = alerts.enumerated().map { "\($0.offset):" + indent("\n" + $0.element.description, "  ") }
        return "[\n" + items.joined(separator: ",\n") + "\n]"
    }

    /// promtool's `indentLines`: `prefix` in front of every line but the first.
    static func indent(_ text: String, _ prefix: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .map { $0.offset == 0 ? String($0.element) : prefix + $0.element }
            .joined(separator: "\n")
    }
}
