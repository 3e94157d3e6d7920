import Testing
import VigilAlerting
import VigilYAML
@testable import VigilRules

@Suite struct RuleTestFileTests {
    static func parse(_ text: String) throws(ConfigurationError) -> RuleTestFile {
        try RuleTestFile.parse(text, file: "t.yaml")
    }

    static func failure(_ text: String) -> String? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error.description
        }
    }

    /// A file with one test whose body (indented by four spaces) is `body`; the body's first line is line 4.
    static func test(_ body: String) -> String {
        "rule_files: [rules.yaml]\ntests:\n  - name: t\n" + body.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
    }

    // MARK: Defaults

    @Test func defaultsFollowPromtool() throws {
        let file = try Self.parse(Self.test("""
            input_spans:
              - {service: checkout, count: '1x2'}
            alert_rule_test:
              - alertname: A
            """))
        #expect(file.ruleFiles == ["rules.yaml"])
        #expect(file.evaluationInterval == .seconds(60))
        let test = try #require(file.tests.first)
        #expect(test.name == "t")
        #expect(test.interval == .seconds(60))
        #expect(test.externalLabels == [:])
        #expect(test.externalURL == "")
        #expect(test.line == 3)
        #expect(test.inputSpans == [RuleTest.InputSpans(service: "checkout", operation: "operation", kind: .server, status: .unset, duration: .milliseconds(100), counts: [1, 1, 1], line: 5)])
        // eval_time defaults to 0s; no exp_alerts means nothing may fire.
        #expect(test.alertRuleTests == [RuleTest.AlertRuleTest(evalTime: .zero, alertName: "A", expectedAlerts: [], line: 7)])
    }

    @Test func theInputIntervalDefaultsToTheEvaluationInterval() throws {
        let file = try Self.parse("""
            rule_files: [a.yaml, 'b/*.yaml']
            evaluation_interval: 30s
            tests:
              - {name: inherits}
              - {name: own, interval: 2m}
            """)
        #expect(file.ruleFiles == ["a.yaml", "b/*.yaml"])
        #expect(file.evaluationInterval == .seconds(30))
        #expect(file.tests.map(\.interval) == [.seconds(30), .seconds(120)])
        #expect(file.directory == "")
        #expect(try RuleTestFile.parse("rule_files: [r.yaml]", file: "tests/unit/t.yaml").directory == "tests/unit")
    }

    @Test func externalLabelsAndURLOfTheFileApplyToTestsThatGiveNone() throws {
        let file = try Self.parse("""
            rule_files: [rules.yaml]
            external_labels: {cluster: eu-1}
            external_url: https://vigil.example.com
            tests:
              - name: inherits
              - name: own
                external_labels: {cluster: us-1, region: us}
                external_url: https://other.example.com
              - name: none
                external_labels: {}
            """)
        #expect(file.tests.map(\.externalLabels) == [["cluster": "eu-1"], ["cluster": "us-1", "region": "us"], [:]])
        #expect(file.tests.map(\.externalURL) == ["https://vigil.example.com", "https://other.example.com", "https://vigil.example.com"])
    }

    @Test func spansAndLogsReadEveryKey() throws {
        let test = try #require(try Self.parse(Self.test("""
            input_spans:
              - service: checkout
                operation: POST /checkout
                kind: CONSUMER
                status: error
                duration: 1s250ms
                attributes: {http.response.status_code: 503, http.route: /checkout}
                count: '_ 2x1 0'
            input_logs:
              - service: cart
                attributes: {log.level: error}
                count: '3 _x2 1'
            """)).tests.first)
        #expect(test.inputSpans == [RuleTest.InputSpans(
            service: "checkout", operation: "POST /checkout", kind: .consumer, status: .error, duration: .milliseconds(1_250),
            attributes: ["http.response.status_code": "503", "http.route": "/checkout"], counts: [0, 2, 2, 0], line: 5)])
        #expect(test.inputLogs == [RuleTest.InputLogs(service: "cart", attributes: ["log.level": "error"], counts: [3, 0, 0, 1], line: 13)])
    }

    @Test func expectedAlertsKeepLabelsAndAnnotationsAsWritten() throws {
        let test = try #require(try Self.parse(Self.test("""
            alert_rule_test:
              - eval_time: 9m30s
                alertname: CheckoutErrors
                exp_alerts:
                  - exp_labels: {severity: page, code: 500}
                    exp_annotations: {summary: 'checkout fails 10% of requests'}
                  - exp_labels: {severity: ticket}
            """)).tests.first)
        #expect(test.alertRuleTests == [RuleTest.AlertRuleTest(
            evalTime: .seconds(570), alertName: "CheckoutErrors",
            expectedAlerts: [
                RuleTest.ExpectedAlert(labels: ["severity": "page", "code": "500"], annotations: ["summary": "checkout fails 10% of requests"]),
                RuleTest.ExpectedAlert(labels: ["severity": "ticket"]),
            ],
            line: 5)])
        #expect(test.lastEvaluationTime == .seconds(570))
    }

    // MARK: Series

    @Test func seriesReadTheirTypeServiceAndAttributes() throws {
        let test = try #require(try Self.parse(Self.test("""
            input_series:
              - series: 'http_requests_total{service="checkout", code="500"}'
                type: counter
                values: '0+10x2 _ stale 5'
              - series: 'queue.depth{messaging.destination.name="orders"}'
                values: '7'
              - series: 'deltas{service="a"}'
                type: delta_counter
                values: '1 2'
              - series: 'inflight{service="a"}'
                type: updown
                values: '1 -1'
            """)).tests.first)
        #expect(test.inputSeries == [
            RuleTest.InputSeries(metric: "http_requests_total", service: "checkout", attributes: ["code": "500"], kind: .counter, values: [0, 10, 20, nil, nil, 5], line: 5),
            RuleTest.InputSeries(metric: "queue.depth", attributes: ["messaging.destination.name": "orders"], kind: .gauge, values: [7], line: 8),
            RuleTest.InputSeries(metric: "deltas", service: "a", kind: .deltaCounter, values: [1, 2], line: 10),
            RuleTest.InputSeries(metric: "inflight", service: "a", kind: .updown, values: [1, -1], line: 13),
        ])
    }

    @Test func histogramBucketsMakeOneHistogramPerNameAndLabels() throws {
        // Buckets given out of order, with the _bucket suffix; a second service is its own histogram.
        let test = try #require(try Self.parse(Self.test("""
            input_series:
              - {series: 'lat_bucket{service="a", le="+Inf"}', type: histogram_bucket, values: '4 _ 10'}
              - {series: 'lat_bucket{service="a", le="0.5"}', type: histogram_bucket, values: '3 _ 6'}
              - {series: 'lat_bucket{service="b", le="+Inf"}', type: histogram_bucket, values: '1'}
              - {series: 'lat_bucket{service="a", le="0.1"}', type: histogram_bucket, values: '1 _ 2'}
            """)).tests.first)
        #expect(test.inputSeries == [
            RuleTest.InputSeries(metric: "lat", service: "a", bounds: [0.1, 0.5], cumulativeCounts: [[1, 3, 4], nil, [2, 6, 10]], line: 5),
            RuleTest.InputSeries(metric: "lat", service: "b", bounds: [], cumulativeCounts: [[1]], line: 7),
        ])
    }

    // MARK: Errors

    @Test(arguments: [
        ("rule_files: []", "t.yaml:1: rule_files: is required: the rule files to test, relative to this file"),
        ("tests: []", "t.yaml:1: rule_files: is required: the rule files to test, relative to this file"),
        ("rule_files: [r.yaml]\nevaluation_interval: 0s", "t.yaml:2: evaluation_interval: 0s is shorter than the minimum of 1ms"),
        ("rule_files: [r.yaml]\ngroup_eval_order: [a]", "t.yaml:2: group_eval_order: Vigil has no recording rules, so no group depends on another: groups are evaluated in file order"),
        ("rule_files: [r.yaml]\nfuzzy_compare: true", "t.yaml:2: fuzzy_compare: unknown key"),
        ("rule_files: [r.yaml]\ntests:\n  - name: t\n    promql_expr_test: []", "t.yaml:4: tests[0].promql_expr_test: Vigil's rules do not run PromQL: test their alerts with alert_rule_test"),
        ("rule_files: [r.yaml]\ntests:\n  - name: t\n    input_serie: []", "t.yaml:4: tests[0].input_serie: unknown key"),
        ("rule_files: [r.yaml]\ntests:\n  - interval: fast", "t.yaml:3: tests[0].interval: \"fast\" is not a duration such as 30s, 5m, 1h or 7d"),
        ("rule_files: [r.yaml]\nexternal_labels: {1x: y}", "t.yaml:2: external_labels: invalid label name \"1x\""),
        ("rule_files: [r.yaml]\nevaluation_interval: 1s\ntests:\n  - alert_rule_test:\n      - {eval_time: 1y, alertname: A}",
         "t.yaml:5: tests[0].alert_rule_test: eval_time 1y needs 31536001 evaluations every 1s; the most is 1000000"),
    ])
    func fileProblemsNameTheLineAndKey(text: String, message: String) {
        #expect(Self.failure(text) == message)
    }

    @Test(arguments: [
        ("input_series:\n  - {series: 'm', values: '1+1'}", "t.yaml:5: tests[0].input_series[0].values: \"1+1\" needs x and a repeat count, as in 1+1x3"),
        ("input_series:\n  - {values: '1'}", "t.yaml:5: tests[0].input_series[0].series: is required"),
        ("input_series:\n  - {series: 'm'}", "t.yaml:5: tests[0].input_series[0].values: is required: the values in promtool's notation, such as 0+10x60"),
        ("input_series:\n  - {series: 'm{a=b}', values: '1'}", "t.yaml:5: tests[0].input_series[0].series: m{a=b}: the value of a must be quoted, as in a=\"value\""),
        ("input_series:\n  - {series: 'm', type: summary, values: '1'}", "t.yaml:5: tests[0].input_series[0].type: \"summary\" is not one of gauge, counter, delta_counter, updown, histogram_bucket"),
        ("input_series:\n  - {series: 'm{service=\"a\"}', values: '1'}\n  - {series: 'm{service=\"a\"}', type: counter, values: '2'}",
         "t.yaml:6: tests[0].input_series[1].series: the series is already given at line 5"),
        ("input_series:\n  - {series: 'h{le=\"1\"}', type: histogram_bucket, values: '1'}", "t.yaml:5: tests[0].input_series[0].series: the histogram h has no bucket le=\"+Inf\": its count"),
        ("input_series:\n  - {series: 'h', type: histogram_bucket, values: '1'}", "t.yaml:5: tests[0].input_series[0].series: a histogram_bucket series needs an le label: the bucket's upper bound"),
        ("input_series:\n  - {series: 'h{le=\"fast\"}', type: histogram_bucket, values: '1'}", "t.yaml:5: tests[0].input_series[0].series: le=\"fast\" is not a number"),
        ("input_series:\n  - {series: 'h{le=\"1\"}', type: histogram_bucket, values: '1'}\n  - {series: 'h{le=\"1.0\"}', type: histogram_bucket, values: '1'}",
         "t.yaml:6: tests[0].input_series[1].series: the bucket le=\"1\" of h is already given at line 5"),
        ("input_series:\n  - {series: 'h{le=\"1\"}', type: histogram_bucket, values: '1 1'}\n  - {series: 'h{le=\"+Inf\"}', type: histogram_bucket, values: '1 _'}",
         "t.yaml:6: tests[0].input_series[1].values: the bucket le=\"+Inf\" of h has no value at step 1, where other buckets have one"),
        ("input_series:\n  - {series: 'h{le=\"1\"}', type: histogram_bucket, values: '5'}\n  - {series: 'h{le=\"+Inf\"}', type: histogram_bucket, values: '4'}",
         "t.yaml:6: tests[0].input_series[1].values: at step 0, the cumulative count of le=\"+Inf\" (4) is below that of le=\"1\" (5)"),
        ("input_spans:\n  - {count: '1'}", "t.yaml:5: tests[0].input_spans[0].service: is required"),
        ("input_spans:\n  - {service: a}", "t.yaml:5: tests[0].input_spans[0].count: is required: how many items end at each step, in promtool's notation, such as 10x30"),
        ("input_spans:\n  - {service: a, count: '1.5'}", "t.yaml:5: tests[0].input_spans[0].count: 1.5 is not a count: counts are whole numbers from 0 to 1000000000"),
        ("input_spans:\n  - {service: a, count: '2-1x3'}", "t.yaml:5: tests[0].input_spans[0].count: -1 is not a count: counts are whole numbers from 0 to 1000000000"),
        ("input_spans:\n  - {service: a, count: 'stale'}", "t.yaml:5: tests[0].input_spans[0].count: stale does not apply to counts: write _ or 0 for none"),
        ("input_spans:\n  - {service: a, count: '1', kind: sideways}", "t.yaml:5: tests[0].input_spans[0].kind: \"sideways\" is not a span kind: server, consumer, client, producer, internal, unspecified or 0-5"),
        ("input_spans:\n  - {service: a, count: '1', status: failed}", "t.yaml:5: tests[0].input_spans[0].status: \"failed\" is not one of ok, error, unset"),
        ("input_spans:\n  - {service: a, count: '1', trace_id: abc}", "t.yaml:5: tests[0].input_spans[0].trace_id: unknown key"),
        ("alert_rule_test:\n  - {eval_time: 1m}", "t.yaml:5: tests[0].alert_rule_test[0].alertname: is required"),
        ("alert_rule_test:\n  - {alertname: A, exp_alerts: [{exp_label: {a: b}}]}", "t.yaml:5: tests[0].alert_rule_test[0].exp_alerts[0].exp_label: unknown key"),
    ])
    func testProblemsNameTheLineAndKey(body: String, message: String) {
        #expect(Self.failure(Self.test(body)) == message)
    }
}
