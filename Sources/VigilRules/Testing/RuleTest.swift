import VigilAlerting
import VigilYAML

/// One test of a rule test file (an entry of `tests:`, promtool's test group): synthetic
/// telemetry, and the alerts expected to fire at given times while the rules are evaluated over
/// it.
///
/// Time 0 is the Unix epoch. Input values are spaced by ``interval``: the `k`-th value of a series
/// is a point at `k × interval`, the `k`-th count of spans is that many spans ending at
/// `k × interval`.
public struct RuleTest: Sendable, Hashable {
    /// `name`: shown with the test's failures; empty when not given.
    public var name: String
    /// `interval`: the spacing of input values; default the file's `evaluation_interval`.
    public var interval: Duration
    /// `external_labels`: `$externalLabels` in the rules' templates. Not added to the alerts'
    /// labels (Vigil adds them when it sends alerts, as Prometheus does).
    public var externalLabels: LabelSet
    /// `external_url`: `$externalURL` in the rules' templates.
    public var externalURL: String
    /// `input_series`: metric series, histogram buckets already assembled into histograms.
    public var inputSeries: [InputSeries]
    /// `input_spans`: spans, for RED rules, span SLIs and no-data rules on traces.
    public var inputSpans: [InputSpans]
    /// `input_logs`: log records, for no-data rules on logs.
    public var inputLogs: [InputLogs]
    /// `alert_rule_test`: the expected firing alerts, in file order.
    public var alertRuleTests: [AlertRuleTest]
    /// The line of the test in its file.
    public var line: Int?

    /// A test with the given inputs and expectations.
    public init(
        name: String = "", interval: Duration = RuleTestFile.defaultEvaluationInterval, externalLabels: LabelSet = [:], externalURL: String = "",
        inputSeries: [InputSeries] = [], inputSpans: [InputSpans] = [], inputLogs: [InputLogs] = [], alertRuleTests: [AlertRuleTest] = [], line: Int? = nil
    ) {
        self.name = name
        self.interval = interval
        self.externalLabels = externalLabels
        self.externalURL = externalURL
        self.inputSeries = inputSeries
        self.inputSpans = inputSpans
        self.inputLogs = inputLogs
        self.alertRuleTests = alertRuleTests
        self.line = line
    }

    /// The latest `eval_time`, up to which the rules are evaluated; `nil` without alert tests.
    public var lastEvaluationTime: Duration? {
        alertRuleTests.map(\.evalTime).max()
    }

    /// One entry of `alert_rule_test`: the alerts of one name that fire at one time.
    public struct AlertRuleTest: Sendable, Hashable {
        /// `eval_time`: when to look, from time 0; default `0s`. Between two evaluations, the
        /// earlier one counts.
        public var evalTime: Duration
        /// `alertname`: the `alert` of the rules whose alerts are compared.
        public var alertName: String
        /// `exp_alerts`: the alerts expected to fire, in any order; none means none may fire.
        public var expectedAlerts: [ExpectedAlert]
        /// The line of the entry in its file.
        public var line: Int?

        /// An expectation of firing alerts.
        public init(evalTime: Duration, alertName: String, expectedAlerts: [ExpectedAlert] = [], line: Int? = nil) {
            self.evalTime = evalTime
            self.alertName = alertName
            self.expectedAlerts = expectedAlerts
            self.line = line
        }
    }

    /// One entry of `exp_alerts`.
    public struct ExpectedAlert: Sendable, Hashable {
        /// `exp_labels`: every label of the alert; `alertname` may be left out.
        public var labels: LabelSet
        /// `exp_annotations`: every annotation of the alert. The `trace_ids` evidence annotation
        /// is only compared when some expected alert of the same entry lists it.
        public var annotations: LabelSet

        /// An expected alert.
        public init(labels: LabelSet = [:], annotations: LabelSet = [:]) {
            self.labels = labels
            self.annotations = annotations
        }
    }

    // MARK: Parsing

    /// The file-level values a test starts from.
    struct Defaults {
        var interval: Duration
        var externalLabels: LabelSet
        var externalURL: String
    }

    /// Reads one entry of `tests:`.
    static func parse(_ section: inout YAMLSection, defaults: Defaults) throws(ConfigurationError) -> RuleTest {
        if section.contains("promql_expr_test") {
            throw section.error("promql_expr_test", "Vigil's rules do not run PromQL: test their alerts with alert_rule_test")
        }
        var test = RuleTest(interval: defaults.interval, externalLabels: defaults.externalLabels, externalURL: defaults.externalURL, line: section.line)
        test.name = try section.scalar("name") ?? ""
        test.interval = try section.ruleDuration("interval", atLeast: .milliseconds(1)) ?? defaults.interval
        // An empty mapping given here replaces the file's external labels; an absent key keeps them.
        let givesExternalLabels = section.contains("external_labels")
        let externalLabels = try section.labelPairs("external_labels")
        if givesExternalLabels { test.externalLabels = LabelSet(pairs: externalLabels) }
        test.externalURL = try section.scalar("external_url") ?? defaults.externalURL

        var rawSeries: [InputSeries.Raw] = []
        try section.sections("input_series") { (child: inout YAMLSection, _: Int) throws(ConfigurationError) in
            rawSeries.append(try InputSeries.Raw.parse(&child))
        }
        test.inputSeries = try InputSeries.assemble(rawSeries)
        try section.sections("input_spans") { (child: inout YAMLSection, _: Int) throws(ConfigurationError) in
            test.inputSpans.append(try InputSpans.parse(&child))
        }
        try section.sections("input_logs") { (child: inout YAMLSection, _: Int) throws(ConfigurationError) in
            test.inputLogs.append(try InputLogs.parse(&child))
        }
        try section.sections("alert_rule_test") { (child: inout YAMLSection, _: Int) throws(ConfigurationError) in
            test.alertRuleTests.append(try AlertRuleTest.parse(&child))
        }
        return test
    }
}

extension RuleTest.AlertRuleTest {
    static func parse(_ section: inout YAMLSection) throws(ConfigurationError) -> RuleTest.AlertRuleTest {
        let evalTime = try section.ruleDuration("eval_time") ?? .zero
        let alertName = try section.requiredText("alertname")
        var expected: [RuleTest.ExpectedAlert] = []
        try section.sections("exp_alerts") { (child: inout YAMLSection, _: Int) throws(ConfigurationError) in
            var labels = LabelSet()
            try child.stringMap("exp_labels") { labels = LabelSet(pairs: $0) }
            var annotations = LabelSet()
            try child.stringMap("exp_annotations") { annotations = LabelSet(pairs: $0) }
            expected.append(RuleTest.ExpectedAlert(labels: labels, annotations: annotations))
        }
        return RuleTest.AlertRuleTest(evalTime: evalTime, alertName: alertName, expectedAlerts: expected, line: section.line)
    }
}

extension YAMLSection {
    /// A `count:` in promtool's notation: whole numbers of items per step, `_` for none.
    mutating func itemCounts(_ key: String) throws(ConfigurationError) -> [Int] {
        guard let text = try scalar(key) else {
            throw error(key, "is required: how many items end at each step, in promtool's notation, such as 10x30")
        }
        let values: [SeriesNotation.Value]
        do {
            values = try SeriesNotation.parse(text)
        } catch {
            throw self.error(key, error.message)
        }
        var counts: [Int] = []
        counts.reserveCapacity(values.count)
        for value in values {
            switch value {
            case .missing:
                counts.append(0)
            case .stale:
                throw error(key, "stale does not apply to counts: write _ or 0 for none")
            case .number(let number):
                guard number >= 0, number == number.rounded(), number <= 1_000_000_000 else {
                    throw error(key, "\(Threshold.format(number)) is not a count: counts are whole numbers from 0 to 1000000000")
                }
                counts.append(Int(number))
            }
        }
        return counts
    }
}
