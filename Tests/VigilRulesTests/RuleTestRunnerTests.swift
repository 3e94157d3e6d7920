import Foundation
import Testing
import VigilAlerting
import VigilYAML
@testable import VigilRules

/// Runs test files whose rule files are given as text, by name.
enum RuleTestHarness {
    static func run(_ testFile: String, rules: [String: String]) async throws -> RuleTestFileResult {
        let file = try RuleTestFile.parse(testFile, file: "checkout.test.yaml")
        let runner = RuleTestRunner(loadRuleFiles: { patterns, _ throws(ConfigurationError) in
            var files: [RuleFile] = []
            for path in patterns {
                guard let text = rules[path] else { throw ConfigurationError(file: path, line: nil, key: "", reason: "cannot read the file: it does not exist") }
                files.append(try RuleFile.parse(text, file: path))
            }
            return files
        })
        return await runner.run(file)
    }

    /// The failures' texts, or an empty list when every test passed.
    static func failures(_ testFile: String, rules: [String: String]) async throws -> [String] {
        let result = try await run(testFile, rules: rules)
        if let error = result.error { return [error.description] }
        return result.failures.map(\.description)
    }
}

@Suite struct RuleTestRunnerTests {
    static let redRules = """
        groups:
          - name: checkout
            interval: 30s
            rules:
              - alert: CheckoutErrors
                red:
                  service: checkout
                  measure: error_ratio
                  window: 5m
                  min_requests: 20
                  threshold: '> 5%'
                for: 2m
                labels:
                  severity: page
                annotations:
                  summary: 'checkout fails {{ $value | humanizePercentage }} of requests'
        """

    /// 9 good requests every minute from 0 to 20m, and 1 failed request every minute from 5m on.
    ///
    /// The rule reads the per-minute rollups: at minute T its 5-minute window holds the spans
    /// that ended at minutes T-4 to T (each started 100ms before its minute). So:
    /// - 6m: minutes 2-6, 2 errors of 47: 4.3%, below 5%.
    /// - 7m: minutes 3-7, 3 errors of 48: 6.25%: pending from 7m.
    /// - 8m: 4 of 49, still pending (for: 2m).
    /// - 9m: minutes 5-9, 5 errors of 50: 10%, and 2 minutes since 7m: firing.
    static func redTest(name: String, checks: String) -> String {
        """
        rule_files: [checkout.rules.yaml]
        evaluation_interval: 1m
        tests:
          - name: \(name)
            input_spans:
              - service: checkout
                operation: POST /checkout
                count: '9x20'
              - service: checkout
                operation: POST /checkout
                status: error
                count: '_x5 1x15'
            alert_rule_test:
        \(checks.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n"))
        """
    }

    @Test func aREDRuleFiresAfterItsForAsComputedByHand() async throws {
        let test = Self.redTest(name: "checkout errors page", checks: """
            - eval_time: 6m
              alertname: CheckoutErrors
            # Pending alerts are not listed.
            - eval_time: 8m
              alertname: CheckoutErrors
            - eval_time: 9m
              alertname: CheckoutErrors
              exp_alerts:
                - exp_labels: {severity: page}
                  exp_annotations: {summary: checkout fails 10% of requests}
            # Between two evaluations, the earlier one counts; alertname may be listed.
            - eval_time: 9m30s
              alertname: CheckoutErrors
              exp_alerts:
                - exp_labels: {severity: page, alertname: CheckoutErrors}
                  exp_annotations: {summary: checkout fails 10% of requests}
            # Another alert name has no alerts.
            - eval_time: 9m
              alertname: CheckoutSlow
            """)
        #expect(try await RuleTestHarness.failures(test, rules: ["checkout.rules.yaml": Self.redRules]) == [])
    }

    @Test func evidenceIsComparedWhenTheTestListsIt() async throws {
        // At 10m the failed spans of the window (5m, 10m] ended at minutes 6 to 10; they are the
        // second entry's, one span per minute, newest first.
        let traces = (6...10).reversed().map { InMemoryRuleDataSource.traceID(entry: 2, step: $0, span: 1) }
        #expect(traces.first == "000000020000000a0000000000000001")
        let test = Self.redTest(name: "evidence", checks: """
            - eval_time: 10m
              alertname: CheckoutErrors
              exp_alerts:
                - exp_labels: {severity: page}
                  exp_annotations:
                    summary: checkout fails 10% of requests
                    trace_ids: '\(traces.joined(separator: ","))'
            """)
        #expect(try await RuleTestHarness.failures(test, rules: ["checkout.rules.yaml": Self.redRules]) == [])
    }

    @Test func failedExpectationsAreReportedAsPromtoolReportsThem() async throws {
        let test = Self.redTest(name: "wrong expectations", checks: """
            - eval_time: 8m
              alertname: CheckoutErrors
              exp_alerts:
                - exp_labels: {severity: page}
            - eval_time: 9m
              alertname: CheckoutErrors
              exp_alerts:
                - exp_labels: {severity: ticket}
                  exp_annotations: {summary: checkout fails 10% of requests}
            - eval_time: 9m
              alertname: CheckoutErrors
              exp_alerts:
                - exp_labels: {severity: page}
                  exp_annotations: {summary: checkout fails 10% of requests}
            """)
        let result = try await RuleTestHarness.run(test, rules: ["checkout.rules.yaml": Self.redRules])
        #expect(!result.passed)
        let first = """
                name: wrong expectations,
                alertname: CheckoutErrors, time: 8m, \("")
                    exp:[
                        0:
                          Labels:{alertname="CheckoutErrors", severity="page"}
                          Annotations:{}
                        ], \("")
                    got:[]
            """
        let second = """
                name: wrong expectations,
                alertname: CheckoutErrors, time: 9m, \("")
                    exp:[
                        0:
                          Labels:{alertname="CheckoutErrors", severity="ticket"}
                          Annotations:{summary="checkout fails 10% of requests"}
                        ], \("")
                    got:[
                        0:
                          Labels:{alertname="CheckoutErrors", severity="page"}
                          Annotations:{summary="checkout fails 10% of requests"}
                        ]
            """
        #expect(result.failures.map(\.description) == [first, second])
        #expect(result.report == "Unit Testing:  checkout.test.yaml\n  FAILED:\n\(first)\n\n\(second)\n\n\n")
        let alert = RuleTestAlert(labels: ["alertname": "CheckoutErrors", "severity": "page"], annotations: ["summary": "checkout fails 10% of requests"])
        #expect(result.failures.last?.reason == .alerts(
            alertName: "CheckoutErrors", evalTime: .seconds(540),
            expected: [RuleTestAlert(labels: ["alertname": "CheckoutErrors", "severity": "ticket"], annotations: alert.annotations)], got: [alert]))
    }

    @Test func aPassingFileReportsSuccess() async throws {
        let result = try await RuleTestHarness.run(Self.redTest(name: "quiet", checks: "- {eval_time: 1m, alertname: CheckoutErrors}"), rules: ["checkout.rules.yaml": Self.redRules])
        #expect(result.passed)
        #expect(result.tests.map(\.name) == ["quiet"])
        #expect(result.report == "Unit Testing:  checkout.test.yaml\n  SUCCESS\n\n")
    }

    @Test func aRuleThatCannotBeEvaluatedStopsItsTest() async throws {
        // Two operations exceed the group's limit of one alert at the first evaluation; the
        // later expectation is not checked. A test without expectations is still evaluated at 0.
        let rules = """
            groups:
              - name: limited
                limit: 1
                rules:
                  - alert: Busy
                    red: {measure: rate, by: [operation], threshold: '> 0'}
            """
        let test = """
            rule_files: [limited.yaml]
            tests:
              - name: limit
                input_spans:
                  - {service: a, operation: x, count: '1x5'}
                  - {service: a, operation: y, count: '1x5'}
                alert_rule_test:
                  - {eval_time: 2m, alertname: Busy, exp_alerts: [{exp_labels: {operation: z}}]}
              - name: no expectations
                input_spans:
                  - {service: a, operation: x, count: '1'}
                  - {service: a, operation: y, count: '1'}
            """
        #expect(try await RuleTestHarness.failures(test, rules: ["limited.yaml": rules]) == [
            "    name: limit,\n    rule: Busy, time: 0s, err: exceeded limit of 1 with 2 alerts",
            "    name: no expectations,\n    rule: Busy, time: 0s, err: exceeded limit of 1 with 2 alerts",
        ])
    }

    @Test func externalLabelsAndURLReachTemplatesButNotLabels() async throws {
        // No spans at all: the rate of a rule without `by` is 0, below 1.
        let rules = """
            groups:
              - name: traffic
                rules:
                  - alert: NoTraffic
                    red: {service: checkout, measure: rate, threshold: '< 1'}
                    annotations:
                      summary: 'no traffic in {{ $externalLabels.cluster }}, see {{ $externalURL }}'
            """
        let test = """
            rule_files: [traffic.yaml]
            external_labels: {cluster: eu-1}
            external_url: https://vigil.example.com/
            tests:
              - alert_rule_test:
                  - eval_time: 0s
                    alertname: NoTraffic
                    exp_alerts:
                      - exp_annotations: {summary: 'no traffic in eu-1, see https://vigil.example.com'}
              - external_labels: {cluster: us-1}
                alert_rule_test:
                  - eval_time: 0s
                    alertname: NoTraffic
                    exp_alerts:
                      - exp_annotations: {summary: 'no traffic in us-1, see https://vigil.example.com'}
            """
        #expect(try await RuleTestHarness.failures(test, rules: ["traffic.yaml": rules]) == [])
    }

    @Test func filesAreReadRelativeToTheTestFile() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-rules-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("rules"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.redRules.write(to: directory.appendingPathComponent("rules/checkout.rules.yaml"), atomically: true, encoding: .utf8)
        let test = Self.redTest(name: "on disk", checks: "- {eval_time: 9m, alertname: CheckoutErrors, exp_alerts: [{exp_labels: {severity: page}, exp_annotations: {summary: checkout fails 10% of requests}}]}")
        try test.replacingOccurrences(of: "[checkout.rules.yaml]", with: "['rules/*.yaml']")
            .write(to: directory.appendingPathComponent("checkout.test.yaml"), atomically: true, encoding: .utf8)
        try test.replacingOccurrences(of: "[checkout.rules.yaml]", with: "[rules/missing.yaml]")
            .write(to: directory.appendingPathComponent("missing.test.yaml"), atomically: true, encoding: .utf8)

        let runner = RuleTestRunner()
        let passing = await runner.run(path: directory.appendingPathComponent("checkout.test.yaml").path)
        #expect(passing.error == nil)
        #expect(passing.passed)
        let missing = await runner.run(path: directory.appendingPathComponent("missing.test.yaml").path)
        #expect(!missing.passed)
        #expect(missing.error?.reason == "cannot read the file: it does not exist")
        #expect(missing.report.hasPrefix("Unit Testing:  \(directory.appendingPathComponent("missing.test.yaml").path)\n  FAILED:\n"))
        let absent = await runner.run(path: directory.appendingPathComponent("absent.test.yaml").path)
        #expect(absent.error?.reason.hasPrefix("cannot read the file") == true)
    }
}
