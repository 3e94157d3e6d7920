import Foundation
import Testing
import VigilAlerting
import VigilYAML
@testable import VigilRules

@Suite struct RuleFileTests {
    /// A file with one group `g` holding one rule; the rule's first line is line 4, its next
    /// lines 5, 6, …
    static func file(rule: String) -> String {
        "groups:\n  - name: g\n    rules:\n      - " + rule.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n        ")
    }

    static func parse(_ text: String, templateCheck: RuleFile.TemplateCheck? = nil) throws(ConfigurationError) -> RuleFile {
        try RuleFile.parse(text, file: "rules.yaml", templateCheck: templateCheck)
    }

    static func onlyRule(_ text: String) throws -> Rule {
        let rules = try parse(text).rules
        try #require(rules.count == 1)
        return rules[0]
    }

    static func failure(_ text: String, templateCheck: RuleFile.TemplateCheck? = nil) -> ConfigurationError? {
        do {
            _ = try parse(text, templateCheck: templateCheck)
            return nil
        } catch {
            return error
        }
    }

    // MARK: Files and groups

    @Test func anEmptyFileHasNoGroups() throws {
        #expect(try Self.parse("").groups.isEmpty)
        #expect(try Self.parse("groups: []").groups.isEmpty)
    }

    @Test func groupsHaveAnIntervalOf30SecondsByDefaultAndTheirOwnWhenGiven() throws {
        let file = try Self.parse("""
            groups:
              - name: default
                rules: []
              - name: fast
                interval: 10s
              - name: slow
                interval: 2m
            """)
        #expect(file.groups.map(\.name) == ["default", "fast", "slow"])
        #expect(file.groups.map(\.interval) == [.seconds(30), .seconds(10), .seconds(120)])
        #expect(file.groups.map(\.line) == [2, 4, 6])
    }

    @Test func groupLabelsApplyToEveryRuleAndRuleLabelsWinOrRemoveThem() throws {
        let file = try Self.parse("""
            groups:
              - name: shop
                labels: {team: shop, tier: backend}
                rules:
                  - alert: A
                    no_data: {signal: traces, absent_for: 10m}
                  - alert: B
                    no_data: {signal: traces, absent_for: 10m}
                    labels: {team: payments, tier: "", severity: page}
            """)
        let rules = file.rules
        #expect(rules[0].labels == ["team": "shop", "tier": "backend"])
        #expect(rules[1].labels == ["team": "payments", "severity": "page"])
        #expect(rules[1].alertLabels(adding: [:]) == ["alertname": "B", "team": "payments", "severity": "page"])
    }

    @Test func duplicateAlertNamesInAGroupAreAllowedAsInPrometheus() throws {
        let file = try Self.parse("""
            groups:
              - name: g
                rules:
                  - alert: Same
                    no_data: {signal: logs, absent_for: 5m}
                  - alert: Same
                    no_data: {signal: traces, absent_for: 5m}
            """)
        #expect(file.rules.map(\.alert) == ["Same", "Same"])
        #expect(file.rules.map(\.path) == ["groups[0].rules[0]", "groups[0].rules[1]"])
        #expect(file.rules.map(\.line) == [4, 6])
    }

    @Test func forKeepFiringForAndAnnotationsAreRead() throws {
        let rule = try Self.onlyRule(Self.file(rule: """
            alert: Slow
            red: {service: checkout, measure: latency, quantile: 0.99, threshold: '> 500ms'}
            for: 5m
            keep_firing_for: 10m
            annotations:
              summary: 'p99 of {{ $labels.service }} is {{ $value | humanizeDuration }}'
            """))
        #expect(rule.forDuration == .seconds(300))
        #expect(rule.keepFiringFor == .seconds(600))
        #expect(rule.annotations == ["summary": "p99 of {{ $labels.service }} is {{ $value | humanizeDuration }}"])
    }

    // MARK: Kinds

    @Test func redRulesReadEveryKey() throws {
        let rule = try Self.onlyRule(Self.file(rule: """
            alert: CheckoutErrors
            red:
              service: [checkout, cart]
              operation: POST /checkout
              span_kind: [server, CLIENT, 5]
              matchers: ['http.route=~"/api/.*"', '{k8s.namespace.name!="dev", deployment.environment=prod}']
              measure: error_ratio
              window: 10m
              min_requests: 20
              by: [service, operation, span_kind, http.route]
              threshold: '>= 5%'
            """))
        guard case .red(let red) = rule.kind else { Issue.record("not a RED rule: \(rule.kind)"); return }
        #expect(red.spans.services == ["checkout", "cart"])
        #expect(red.spans.operations == ["POST /checkout"])
        #expect(red.spans.spanKinds == [.server, .client, .consumer])
        #expect(red.spans.attributeMatchers.map(\.description) == [#"http.route=~"/api/.*""#, #"k8s.namespace.name!="dev""#, #"deployment.environment="prod""#])
        #expect(red.spans.attributeMatchers[0].matches("/api/cart"))
        #expect(!red.spans.attributeMatchers[0].matches("/web/api/cart"))
        #expect(red.measure == .errorRatio)
        #expect(red.quantile == nil)
        #expect(red.window == .seconds(600))
        #expect(red.minRequests == 20)
        #expect(red.by.map(\.name) == ["service", "operation", "span_kind", "http_route"])
        #expect(red.by.map(\.source) == [.service, .operation, .spanKind, .attribute("http.route")])
        #expect(red.threshold == Threshold(.greaterOrEqual, 0.05, text: "5%"))
        #expect(!red.canUseRollups)
        #expect(rule.kind.key == "red")
    }

    @Test func redRulesDefaultToServerAndConsumerSpansAnd5MinuteWindows() throws {
        let rule = try Self.onlyRule(Self.file(rule: "alert: Busy\nred: {measure: rate, threshold: '> 100'}"))
        guard case .red(let red) = rule.kind else { Issue.record("not a RED rule"); return }
        #expect(red.spans == SpanSelector())
        #expect(red.spans.spanKinds == [.server, .consumer])
        #expect(red.window == .seconds(300))
        #expect(red.minRequests == 0)
        #expect(red.by.isEmpty)
        #expect(red.canUseRollups)
    }

    @Test(arguments: [
        ("rate", "'> 100'", Threshold(.greater, 100, text: "100")),
        ("rate", "'<= 0.5'", Threshold(.lessOrEqual, 0.5, text: "0.5")),
        ("error_ratio", "'> 0.05'", Threshold(.greater, 0.05, text: "0.05")),
        ("error_ratio", "'!= 12.5%'", Threshold(.notEqual, 0.125, text: "12.5%")),
        ("latency", "'> 300ms'", Threshold(.greater, 0.3, text: "300ms")),
        ("latency", "'< 1m30s'", Threshold(.less, 90, text: "1m30s")),
        ("latency", "'==1.5'", Threshold(.equal, 1.5, text: "1.5")),
        ("rate", "'> 1e3'", Threshold(.greater, 1000, text: "1e3")),
        ("rate", "'> -2'", Threshold(.greater, -2, text: "-2")),
    ])
    func thresholdsReadTheUnitsTheirMeasureAllows(measure: String, threshold: String, expected: Threshold) throws {
        let quantile = measure == "latency" ? ", quantile: 0.9" : ""
        let rule = try Self.onlyRule(Self.file(rule: "alert: A\nred: {measure: \(measure)\(quantile), threshold: \(threshold)}"))
        guard case .red(let red) = rule.kind else { Issue.record("not a RED rule"); return }
        #expect(red.threshold == expected)
    }

    @Test(arguments: [
        (">", 1.0, 0.5, true), (">", 1.0, 1.0, false), (">=", 1.0, 1.0, true), ("<", 1.0, 0.5, false),
        ("<=", 1.0, 1.0, true), ("==", 1.0, 1.0, true), ("!=", 1.0, 1.0, false), ("!=", Double.nan, 1.0, true),
        (">", Double.nan, 0.0, false), ("==", Double.nan, 0.0, false),
    ])
    func thresholdsCompareAsPromQLDoes(op: String, measured: Double, value: Double, met: Bool) {
        let threshold = Threshold(Threshold.Operator(rawValue: op)!, value)
        #expect(threshold.isMet(by: measured) == met)
    }

    @Test func metricRulesReadEveryKey() throws {
        let rule = try Self.onlyRule(Self.file(rule: """
            alert: QueueDeep
            metric:
              name: messaging.queue.depth
              service: worker
              matchers: ['messaging.destination.name=~"orders|payments"']
              measure: value
              window: 2m
              aggregate: max
              by: [service, messaging.destination.name]
              threshold: '> 1000'
            """))
        guard case .metric(let metric) = rule.kind else { Issue.record("not a metric rule: \(rule.kind)"); return }
        #expect(metric.series.metric == "messaging.queue.depth")
        #expect(metric.series.services == ["worker"])
        #expect(metric.series.attributeMatchers.map(\.description) == [#"messaging.destination.name=~"orders|payments""#])
        #expect(metric.measure == .value)
        #expect(metric.window == .seconds(120))
        #expect(metric.aggregation == .max)
        #expect(metric.by.map(\.name) == ["service", "messaging_destination_name"])
        #expect(metric.threshold == Threshold(.greater, 1000, text: "1000"))
    }

    @Test(arguments: [
        ("measure: rate", MetricRule.Measure.rate, nil as Double?, MetricRule.Aggregation.sum),
        ("measure: increase, aggregate: count", .increase, nil, .count),
        ("measure: value, aggregate: avg", .value, nil, .avg),
        ("measure: value, aggregate: min", .value, nil, .min),
        ("measure: quantile, quantile: 0.95", .quantile, 0.95, .sum),
        ("measure: quantile, quantile: 0.5, aggregate: sum", .quantile, 0.5, .sum),
    ])
    func metricRulesMeasuresAndAggregations(keys: String, measure: MetricRule.Measure, quantile: Double?, aggregation: MetricRule.Aggregation) throws {
        let rule = try Self.onlyRule(Self.file(rule: "alert: A\nmetric: {name: m, \(keys), threshold: '> 1'}"))
        guard case .metric(let metric) = rule.kind else { Issue.record("not a metric rule"); return }
        #expect(metric.measure == measure)
        #expect(metric.quantile == quantile)
        #expect(metric.aggregation == aggregation)
        #expect(metric.window == .seconds(300))
        #expect(metric.series.services.isEmpty)
    }

    @Test func noDataRulesReadEveryKey() throws {
        let rule = try Self.onlyRule(Self.file(rule: """
            alert: MetricsStopped
            no_data:
              signal: metrics
              service: [checkout, cart]
              metric: http.server.request.duration
              matchers: ['deployment.environment=prod']
              absent_for: 10m
              seen_within: 6h
              by: [service, host.name]
            """))
        guard case .noData(let noData) = rule.kind else { Issue.record("not a no_data rule: \(rule.kind)"); return }
        #expect(noData.signal == .metrics)
        #expect(noData.services == ["checkout", "cart"])
        #expect(noData.metric == "http.server.request.duration")
        #expect(noData.attributeMatchers.map(\.description) == [#"deployment.environment="prod""#])
        #expect(noData.absentFor == .seconds(600))
        #expect(noData.seenWithin == .seconds(6 * 3_600))
        #expect(noData.by.map(\.name) == ["service", "host_name"])
    }

    @Test func noDataRulesWatchThe24HoursBeforeWithByAndNothingWithout() throws {
        let file = try Self.parse("""
            groups:
              - name: g
                rules:
                  - alert: LogsStopped
                    no_data: {signal: logs, absent_for: 15m, by: [service]}
                  - alert: TracesStopped
                    no_data: {signal: traces, absent_for: 15m}
            """)
        let kinds = file.rules.map(\.kind)
        #expect(kinds == [
            .noData(NoDataRule(signal: .logs, absentFor: .seconds(900), seenWithin: .seconds(86_400), by: [GroupingLabel(key: "service", source: .service, name: "service")])),
            .noData(NoDataRule(signal: .traces, absentFor: .seconds(900))),
        ])
    }

    @Test func sloRulesAreNamedErrorBudgetBurnUnlessGivenAnAlertName() throws {
        let file = try Self.parse("""
            groups:
              - name: slos
                rules:
                  - slo: {name: a, service: checkout, objective: 99.9, sli: {availability: {}}}
                  - alert: CheckoutBudget
                    slo: {name: b, service: checkout, objective: '99.5%', period: 7d, sli: {latency: {threshold: 300ms}}}
            """)
        #expect(file.rules.map(\.alert) == ["ErrorBudgetBurn", "CheckoutBudget"])
        #expect(file.slos.map(\.name) == ["a", "b"])
        #expect(file.slos.map(\.period) == [.seconds(30 * 86_400), .seconds(7 * 86_400)])
        #expect(file.slos.map(\.errorBudget.description) == ["0.001", "0.005"])
        #expect(file.rules.map(\.kind.key) == ["slo", "slo"])
    }

    @Test func byListsNameAttributesAsPrometheusLabels() {
        #expect(GroupingLabel.labelName(forAttribute: "http.route") == "http_route")
        #expect(GroupingLabel.labelName(forAttribute: "k8s.pod-name") == "k8s_pod_name")
        #expect(GroupingLabel.labelName(forAttribute: "1st.try") == "_1st_try")
        #expect(GroupingLabel.labelName(forAttribute: "ünits") == "_nits")
    }

    struct Refused: Error, CustomStringConvertible {
        var description: String
    }

    /// Refuses templates holding `nope`, naming the rule it was called for.
    static func check(_ text: String, _ alertName: String) throws {
        if text.contains("nope") { throw Refused(description: "template: __alert_\(alertName):1:4: function \"nope\" not defined") }
    }

    @Test func annotationsAreCheckedByTheTemplateCheck() throws {
        let good = Self.file(rule: "alert: A\nno_data: {signal: logs, absent_for: 5m}\nannotations: {summary: 'ok {{ $value }}'}")
        #expect(throws: Never.self) { try Self.parse(good, templateCheck: Self.check) }
        let bad = Self.file(rule: "alert: A\nno_data: {signal: logs, absent_for: 5m}\nannotations:\n  summary: ok\n  description: '{{ nope }}'")
        let error = try #require(Self.failure(bad, templateCheck: Self.check))
        #expect(error.description == #"rules.yaml:6: groups[0].rules[0].annotations.description: template: __alert_A:1:4: function "nope" not defined"#)
        // Without a check, templates are taken as they are.
        #expect(Self.failure(bad) == nil)
    }

    @Test func templatesAreCheckedAsPrometheusRuleTemplatesByDefault() throws {
        let good = Self.file(rule: """
            alert: A
            red: {measure: error_ratio, by: [service], threshold: '> 5%'}
            labels: {owner: '{{ $labels.service }}-oncall'}
            annotations: {summary: '{{ $labels.service }} fails {{ $value | humanizePercentage }} ({{ $externalURL }})'}
            """)
        #expect(throws: Never.self) { try RuleFile.parse(good, file: "rules.yaml") }
        let bad = Self.file(rule: "alert: A\nred: {measure: rate, threshold: '> 1'}\nannotations: {summary: '{{ $value | nope }}'}")
        do {
            _ = try RuleFile.parse(bad, file: "rules.yaml")
            Issue.record("an unknown template function was accepted")
        } catch {
            #expect(error.line == 6)
            #expect(error.key == "groups[0].rules[0].annotations.summary")
            #expect(error.reason.contains("__alert_A"), "reason: \(error.reason)")
            #expect(error.reason.contains(#"function "nope" not defined"#), "reason: \(error.reason)")
        }
        let query = Self.file(rule: "alert: A\nred: {measure: rate, threshold: '> 1'}\nannotations: {summary: '{{ query \"up\" }}'}")
        #expect(throws: ConfigurationError.self) { try RuleFile.parse(query, file: "rules.yaml") }
    }

    @Test(arguments: [
        ("alert: A\nno_data: {signal: logs, absent_for: 5m}\nlabels: {team: '{{ nope }}'}", 6, "groups[0].rules[0].labels.team", "__alert_A:"),
        ("slo: {name: a, service: s, objective: 99, sli: {availability: {}}, alerting: {ticket: {annotations: {x: '{{ nope }}'}}}}", 4, "groups[0].rules[0].slo.alerting.ticket.annotations.x", "__alert_ErrorBudgetBurn:"),
        ("alert: B\nslo: {name: a, service: s, objective: 99, sli: {availability: {}}, alerting: {page: {labels: {x: '{{ nope }}'}}}}", 5, "groups[0].rules[0].slo.alerting.page.labels.x", "__alert_B:"),
    ] as [(String, Int, String, String)])
    func labelsAndTierTemplatesAreCheckedUnderTheirAlertName(rule: String, line: Int, key: String, reason: String) throws {
        let error = try #require(Self.failure(Self.file(rule: rule), templateCheck: Self.check))
        #expect(error.line == line)
        #expect(error.key == key)
        #expect(error.reason.contains(reason), "reason: \(error.reason)")
    }

    @Test func groupLabelsAreCheckedUnderTheGroupName() throws {
        let error = try #require(Self.failure("groups:\n  - name: shop\n    labels:\n      team: '{{ nope }}'", templateCheck: Self.check))
        #expect(error.description.hasPrefix("rules.yaml:3: groups[0].labels.team: template: __alert_shop:"))
    }

    @Test func groupsMayLimitTheAlertsOfEachRule() throws {
        let file = try Self.parse("groups:\n  - name: a\n    limit: 50\n  - name: b")
        #expect(file.groups.map(\.limit) == [50, 0])
    }

    @Test func sloNamesMustBeUniqueAcrossFiles() throws {
        let first = try RuleFile.parse(Self.file(rule: "slo: {name: shared, service: a, objective: 99, sli: {availability: {}}}"), file: "a.yaml")
        let second = try RuleFile.parse(
            "groups:\n  - name: other\n    rules:\n      - slo: {name: solo, service: b, objective: 99, sli: {availability: {}}}\n      - slo: {name: shared, service: b, objective: 99, sli: {availability: {}}}",
            file: "b.yaml")
        #expect(throws: Never.self) { try RuleFile.checkUniqueSLONames(in: [first]) }
        do {
            try RuleFile.checkUniqueSLONames(in: [first, second])
            Issue.record("duplicate SLO accepted")
        } catch {
            #expect(error.description == #"b.yaml:5: groups[0].rules[1].slo.name: SLO "shared" is already defined at a.yaml:4"#)
        }
    }

    @Test func loadReadsTheFileAndNamesItInErrors() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("rules.yaml").path
        try Self.file(rule: "alert: A\nno_data: {signal: logs, absent_for: 5m}").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try RuleFile.load(path: path).rules.count == 1)
        do {
            _ = try RuleFile.load(path: path + ".missing")
            Issue.record("a missing file loaded")
        } catch {
            #expect(error.file == path + ".missing")
            #expect(error.line == nil)
            #expect(error.reason.hasPrefix("cannot read the file"))
        }
    }

    // MARK: Validation errors

    /// A rule body, and the line, key and start of the reason of the error it gives. The body
    /// goes into `file(rule:)`: its first line is line 4.
    @Test(arguments: [
        // Rules
        ("alert: A\nfor: 5m", 4, "groups[0].rules[0]", "a rule needs one of red, metric, no_data, slo"),
        ("alert: A\nno_data: {signal: logs, absent_for: 5m}\nred: {measure: rate, threshold: '> 1'}", 6, "groups[0].rules[0].red", "a rule has exactly one kind, and no_data is already given"),
        ("alert: A\nexpr: up == 0", 5, "groups[0].rules[0].expr", "PromQL expressions are not evaluated by Vigil"),
        ("record: job:up:sum\nred: {measure: rate, threshold: '> 1'}", 4, "groups[0].rules[0].record", "recording rules are not supported"),
        ("red: {measure: rate, threshold: '> 1'}", 4, "groups[0].rules[0].alert", "is required"),
        ("alert: ''\nred: {measure: rate, threshold: '> 1'}", 4, "groups[0].rules[0].alert", "must not be empty"),
        ("alert: A\nred:", 5, "groups[0].rules[0].red", "must not be empty"),
        ("alert: A\nred: {measure: rate, threshold: '> 1'}\nbogus: 1", 6, "groups[0].rules[0].bogus", "unknown key"),
        ("alert: A\nred: {measure: rate, threshold: '> 1'}\nfor: 5 minutes", 6, "groups[0].rules[0].for", #""5 minutes" is not a duration"#),
        ("alert: A\nred: {measure: rate, threshold: '> 1'}\nkeep_firing_for: -1m", 6, "groups[0].rules[0].keep_firing_for", "is not a duration"),
        ("alert: A\nred: {measure: rate, threshold: '> 1'}\nlabels: {1x: y}", 6, "groups[0].rules[0].labels", #"invalid label name "1x""#),
        ("alert: A\nred: {measure: rate, threshold: '> 1'}\nlabels: {__name__: y}", 6, "groups[0].rules[0].labels", "label names starting with __ are reserved"),
        ("alert: A\nred: {measure: rate, threshold: '> 1'}\nlabels: {alertname: y}", 6, "groups[0].rules[0].labels", "alertname is set from alert"),
        ("alert: A\nred: {measure: rate, threshold: '> 1', by: [service]}\nlabels: {service: y}", 6, "groups[0].rules[0].labels", "service is set by by: service"),
        ("alert: A\nred: {measure: rate, threshold: '> 1'}\nlabels: [a, b]", 6, "groups[0].rules[0].labels", "expected a mapping"),
        ("alert: A\nred: {measure: rate, threshold: '> 1'}\nannotations: {summary.text: y}", 6, "groups[0].rules[0].annotations", #"invalid annotation name "summary.text""#),
        // RED
        ("alert: A\nred: {measure: rate}", 5, "groups[0].rules[0].red.threshold", "is required"),
        ("alert: A\nred: {threshold: '> 1'}", 5, "groups[0].rules[0].red.measure", "is required"),
        ("alert: A\nred: {measure: p99, threshold: '> 1'}", 5, "groups[0].rules[0].red.measure", #""p99" is not one of rate, error_ratio, latency"#),
        ("alert: A\nred: {measure: rate, threshold: '5'}", 5, "groups[0].rules[0].red.threshold", #""5" does not start with one of > >= < <= == !="#),
        ("alert: A\nred: {measure: rate, threshold: '> lots'}", 5, "groups[0].rules[0].red.threshold", #""lots" after > is not a number"#),
        ("alert: A\nred: {measure: rate, threshold: '> 5%'}", 5, "groups[0].rules[0].red.threshold", #""5%" after > is not a number"#),
        ("alert: A\nred: {measure: error_ratio, threshold: '> 300ms'}", 5, "groups[0].rules[0].red.threshold", "is not a number or a percentage such as 5%"),
        ("alert: A\nred: {measure: latency, quantile: 0.9, threshold: '> 5%'}", 5, "groups[0].rules[0].red.threshold", "is not a number or a duration such as 300ms"),
        ("alert: A\nred: {measure: rate, threshold: '> inf'}", 5, "groups[0].rules[0].red.threshold", "is not a number"),
        ("alert: A\nred: {measure: latency, threshold: '> 1'}", 5, "groups[0].rules[0].red.quantile", "is required with measure latency"),
        ("alert: A\nred: {measure: rate, quantile: 0.9, threshold: '> 1'}", 5, "groups[0].rules[0].red.quantile", "only applies to measure latency"),
        ("alert: A\nred: {measure: latency, quantile: 99, threshold: '> 1'}", 5, "groups[0].rules[0].red.quantile", "99 is outside 0...1"),
        ("alert: A\nred: {measure: latency, quantile: high, threshold: '> 1'}", 5, "groups[0].rules[0].red.quantile", #""high" is not a number"#),
        ("alert: A\nred: {measure: rate, window: 90s, threshold: '> 1'}", 5, "groups[0].rules[0].red.window", "90s is not a whole number of minutes"),
        ("alert: A\nred: {measure: rate, window: 0s, threshold: '> 1'}", 5, "groups[0].rules[0].red.window", "0s is shorter than the minimum of 1m"),
        ("alert: A\nred: {measure: rate, window: 5x, threshold: '> 1'}", 5, "groups[0].rules[0].red.window", #""5x" is not a duration"#),
        ("alert: A\nred: {measure: rate, min_requests: -1, threshold: '> 1'}", 5, "groups[0].rules[0].red.min_requests", "-1 is outside"),
        ("alert: A\nred: {measure: rate, span_kind: server-side, threshold: '> 1'}", 5, "groups[0].rules[0].red.span_kind", #""server-side" is not a span kind"#),
        ("alert: A\nred: {measure: rate, span_kind: [], threshold: '> 1'}", 5, "groups[0].rules[0].red.span_kind", "must not be an empty list"),
        ("alert: A\nred: {measure: rate, service: '', threshold: '> 1'}", 5, "groups[0].rules[0].red.service", "must not hold an empty value"),
        ("alert: A\nred: {measure: rate, service: {a: b}, threshold: '> 1'}", 5, "groups[0].rules[0].red.service", "expected a list"),
        ("alert: A\nred: {measure: rate, matchers: ['http.route'], threshold: '> 1'}", 5, "groups[0].rules[0].red.matchers", "bad matcher format: http.route"),
        ("alert: A\nred: {measure: rate, matchers: ['a=~\"(\"'], threshold: '> 1'}", 5, "groups[0].rules[0].red.matchers", "error parsing regexp"),
        ("alert: A\nred: {measure: rate, matchers: 'a=b', threshold: '> 1'}", 5, "groups[0].rules[0].red.matchers", "expected a list"),
        ("alert: A\nred: {measure: rate, by: [service, service], threshold: '> 1'}", 5, "groups[0].rules[0].red.by", #""service" is listed twice"#),
        ("alert: A\nred: {measure: rate, by: [http.route, http_route], threshold: '> 1'}", 5, "groups[0].rules[0].red.by", #""http.route" and "http_route" both become the label http_route"#),
        ("alert: A\nred: {measure: rate, by: [alertname], threshold: '> 1'}", 5, "groups[0].rules[0].red.by", "alertname is set from the rule's alert"),
        ("alert: A\nred: {measure: rate, threshold: '> 1', status: error}", 5, "groups[0].rules[0].red.status", "unknown key"),
        // Metric
        ("alert: A\nmetric: {measure: value, threshold: '> 1'}", 5, "groups[0].rules[0].metric.name", "is required"),
        ("alert: A\nmetric: {name: m, measure: delta, threshold: '> 1'}", 5, "groups[0].rules[0].metric.measure", #""delta" is not one of value, rate, increase, quantile"#),
        ("alert: A\nmetric: {name: m, measure: quantile, threshold: '> 1'}", 5, "groups[0].rules[0].metric.quantile", "is required with measure quantile"),
        ("alert: A\nmetric: {name: m, measure: rate, quantile: 0.5, threshold: '> 1'}", 5, "groups[0].rules[0].metric.quantile", "only applies to measure quantile"),
        ("alert: A\nmetric: {name: m, measure: rate, aggregate: median, threshold: '> 1'}", 5, "groups[0].rules[0].metric.aggregate", #""median" is not one of sum, avg, min, max, count"#),
        ("alert: A\nmetric: {name: m, measure: quantile, quantile: 0.9, aggregate: max, threshold: '> 1'}", 5, "groups[0].rules[0].metric.aggregate", "only sum applies"),
        ("alert: A\nmetric: {name: m, measure: rate, threshold: '> 5%'}", 5, "groups[0].rules[0].metric.threshold", #""5%" after > is not a number"#),
        ("alert: A\nmetric: {name: m, measure: rate, window: 500ms, threshold: '> 1'}", 5, "groups[0].rules[0].metric.window", "500ms is shorter than the minimum of 1s"),
        // No data
        ("alert: A\nno_data: {absent_for: 5m}", 5, "groups[0].rules[0].no_data.signal", "is required"),
        ("alert: A\nno_data: {signal: events, absent_for: 5m}", 5, "groups[0].rules[0].no_data.signal", #""events" is not one of traces, metrics, logs"#),
        ("alert: A\nno_data: {signal: logs}", 5, "groups[0].rules[0].no_data.absent_for", "is required"),
        ("alert: A\nno_data: {signal: logs, absent_for: 30s}", 5, "groups[0].rules[0].no_data.absent_for", "30s is shorter than the minimum of 1m"),
        ("alert: A\nno_data: {signal: logs, metric: m, absent_for: 5m}", 5, "groups[0].rules[0].no_data.metric", "only applies to signal metrics"),
        ("alert: A\nno_data: {signal: logs, absent_for: 5m, seen_within: 1d}", 5, "groups[0].rules[0].no_data.seen_within", "only applies with by"),
        ("alert: A\nno_data: {signal: logs, absent_for: 1h, seen_within: 1h, by: [service]}", 5, "groups[0].rules[0].no_data.seen_within", "1h must be longer than absent_for (1h)"),
        ("alert: A\nno_data: {signal: logs, absent_for: 2d, by: [service]}", 5, "groups[0].rules[0].no_data.seen_within", "1d must be longer than absent_for (2d)"),
        // SLO
        ("slo: {service: s, objective: 99, sli: {availability: {}}}", 4, "groups[0].rules[0].slo.name", "is required"),
        ("slo: {name: 'my slo', service: s, objective: 99, sli: {availability: {}}}", 4, "groups[0].rules[0].slo.name", "must start with a letter or digit"),
        ("slo: {name: a, objective: 99, sli: {availability: {}}}", 4, "groups[0].rules[0].slo.service", "is required"),
        ("slo: {name: a, service: s, sli: {availability: {}}}", 4, "groups[0].rules[0].slo.objective", "is required"),
        ("slo: {name: a, service: s, objective: high, sli: {availability: {}}}", 4, "groups[0].rules[0].slo.objective", #""high" is not a percentage such as 99.9"#),
        ("slo: {name: a, service: s, objective: 100, sli: {availability: {}}}", 4, "groups[0].rules[0].slo.objective", "100 must be above 0 and below 100"),
        ("slo: {name: a, service: s, objective: 0, sli: {availability: {}}}", 4, "groups[0].rules[0].slo.objective", "0 must be above 0 and below 100"),
        ("slo: {name: a, service: s, objective: 0.999, sli: {availability: {}}}", 4, "groups[0].rules[0].slo.objective", "0.999 is a percentage: write 99.9 for 99.9%, not 0.999"),
        ("slo: {name: a, service: s, objective: 99.9999999, sli: {availability: {}}}", 4, "groups[0].rules[0].slo.objective", "has more than 6 decimals"),
        ("slo: {name: a, service: s, objective: 1e2, sli: {availability: {}}}", 4, "groups[0].rules[0].slo.objective", "is not a percentage"),
        ("slo: {name: a, service: s, objective: 99, period: 30m, sli: {availability: {}}}", 4, "groups[0].rules[0].slo.period", "30m is shorter than the minimum of 1h"),
        ("slo: {name: a, service: s, objective: 99, period: 1d, sli: {availability: {}}}", 4, "groups[0].rules[0].slo.period", "1d is shorter than the ticket tier's 3d window"),
        ("slo: {name: a, service: s, objective: 99, period: 3h, sli: {availability: {}}, alerting: {ticket: {enabled: false}}}", 4, "groups[0].rules[0].slo.period", "3h is shorter than the page tier's 6h window"),
        ("slo: {name: a, service: s, objective: 99}", 4, "groups[0].rules[0].slo.sli", "is required"),
        ("slo: {name: a, service: s, objective: 99, sli: {}}", 4, "groups[0].rules[0].slo.sli", "needs one of availability, latency, metric"),
        ("slo: {name: a, service: s, objective: 99, sli: {availability: {}, latency: {threshold: 1s}}}", 4, "groups[0].rules[0].slo.sli.latency", "an SLI has exactly one of availability, latency, metric"),
        ("slo: {name: a, service: s, objective: 99, sli: {availability: {service: t}}}", 4, "groups[0].rules[0].slo.sli.availability.service", "unknown key"),
        ("slo: {name: a, service: s, objective: 99, sli: {availability: {errors: {attribute: code}}}}", 4, "groups[0].rules[0].slo.sli.availability.errors.at_least", "is required"),
        ("slo: {name: a, service: s, objective: 99, sli: {availability: {errors: {at_least: 500}}}}", 4, "groups[0].rules[0].slo.sli.availability.errors.attribute", "is required"),
        ("slo: {name: a, service: s, objective: 99, sli: {latency: {}}}", 4, "groups[0].rules[0].slo.sli.latency.threshold", "is required"),
        ("slo: {name: a, service: s, objective: 99, sli: {latency: {threshold: 0s}}}", 4, "groups[0].rules[0].slo.sli.latency.threshold", "must be longer than 0"),
        ("slo: {name: a, service: s, objective: 99, sli: {metric: {total: {name: t}}}}", 4, "groups[0].rules[0].slo.sli.metric", "needs good and total, errors and total, or histogram and threshold"),
        ("slo: {name: a, service: s, objective: 99, sli: {metric: {good: {name: g}}}}", 4, "groups[0].rules[0].slo.sli.metric.total", "is required with good"),
        ("slo: {name: a, service: s, objective: 99, sli: {metric: {good: {name: g}, errors: {name: e}, total: {name: t}}}}", 4, "groups[0].rules[0].slo.sli.metric.errors", "cannot be given with good"),
        ("slo: {name: a, service: s, objective: 99, sli: {metric: {good: {name: g}, total: {name: t}, threshold: 1}}}", 4, "groups[0].rules[0].slo.sli.metric.threshold", "only applies to histogram"),
        ("slo: {name: a, service: s, objective: 99, sli: {metric: {histogram: {name: h}}}}", 4, "groups[0].rules[0].slo.sli.metric.threshold", "is required with histogram"),
        ("slo: {name: a, service: s, objective: 99, sli: {metric: {histogram: {name: h}, total: {name: t}, threshold: 1}}}", 4, "groups[0].rules[0].slo.sli.metric.total", "does not apply to histogram"),
        ("slo: {name: a, service: s, objective: 99, sli: {metric: {errors: {service: s}, total: {name: t}}}}", 4, "groups[0].rules[0].slo.sli.metric.errors.name", "is required"),
        ("slo: {name: a, service: s, objective: 99, sli: {availability: {}}, alerting: {page: {enabled: maybe}}}", 4, "groups[0].rules[0].slo.alerting.page.enabled", #""maybe" is not true or false"#),
        ("slo: {name: a, service: s, objective: 99, sli: {availability: {}}, alerting: {warning: {}}}", 4, "groups[0].rules[0].slo.alerting.warning", "unknown key"),
        ("slo: {name: a, service: s, objective: 99, sli: {availability: {}}, alerting: {page: {labels: {slo: x}}}}", 4, "groups[0].rules[0].slo.alerting.page.labels", "slo is set by the SLO"),
        ("slo: {name: a, service: s, objective: 99, sli: {availability: {}}, alerting: {page: {windows: []}}}", 4, "groups[0].rules[0].slo.alerting.page.windows", "must list at least one window"),
        ("slo: {name: a, service: s, objective: 99, sli: {availability: {}}, alerting: {page: {windows: [{budget: 2%}]}}}", 4, "groups[0].rules[0].slo.alerting.page.windows[0].long", "is required"),
        ("slo: {name: a, service: s, objective: 99, sli: {availability: {}}, alerting: {page: {windows: [{long: 1h}]}}}", 4, "groups[0].rules[0].slo.alerting.page.windows[0].budget", "is required"),
        ("slo: {name: a, service: s, objective: 99, sli: {availability: {}}, alerting: {page: {windows: [{long: 1h, budget: 2}]}}}", 4, "groups[0].rules[0].slo.alerting.page.windows[0].budget", #""2" is not a percentage of the error budget"#),
        ("slo: {name: a, service: s, objective: 99, sli: {availability: {}}, alerting: {page: {windows: [{long: 1h, budget: 0%}]}}}", 4, "groups[0].rules[0].slo.alerting.page.windows[0].budget", "is not a percentage above 0%"),
        ("slo: {name: a, service: s, objective: 99, sli: {availability: {}}, alerting: {page: {windows: [{long: 1h, budget: 150%}]}}}", 4, "groups[0].rules[0].slo.alerting.page.windows[0].budget", "at most 100%"),
        ("slo: {name: a, service: s, objective: 99, sli: {availability: {}}, alerting: {page: {windows: [{long: 61m, budget: 2%}]}}}", 4, "groups[0].rules[0].slo.alerting.page.windows[0].long", "1/12 of 1h1m is not a whole number of minutes; give short"),
        ("slo: {name: a, service: s, objective: 99, sli: {availability: {}}, alerting: {page: {windows: [{long: 1h, short: 1h, budget: 2%}]}}}", 4, "groups[0].rules[0].slo.alerting.page.windows[0].short", "must be shorter than long (1h)"),
        ("slo: {name: a, service: s, objective: 99, period: 7d, sli: {availability: {}}, alerting: {ticket: {windows: [{long: 8d, budget: 10%}]}}}", 4, "groups[0].rules[0].slo.alerting.ticket.windows[0].long", "8d is longer than the SLO's period (1w)"),
        ("slo: {name: a, service: s, objective: 99, sli: {availability: {}}, alerting: {page: {windows: [{long: 1h, budget: 2%}, {long: 1h, budget: 5%}]}}}", 4, "groups[0].rules[0].slo.alerting.page.windows[1].long", "the window 1h is listed twice in this tier"),
        ("slo: {name: a, service: s, objective: 99, sli: {availability: {}}}\nlabels: {severity: critical}", 5, "groups[0].rules[0].labels", "severity is set by the SLO"),
        ("slo: {name: a, service: s, objective: 99, sli: {availability: {}}}\nlabels: {window: x}", 5, "groups[0].rules[0].labels", "window is set by the SLO"),
    ] as [(String, Int, String, String)])
    func invalidRulesNameFileLineKeyAndReason(rule: String, line: Int, key: String, reason: String) throws {
        let error = try #require(Self.failure(Self.file(rule: rule)))
        #expect(error.file == "rules.yaml")
        #expect(error.line == line)
        #expect(error.key == key)
        #expect(error.reason.contains(reason), "reason: \(error.reason)")
    }

    /// Whole files, for errors outside a single rule.
    @Test(arguments: [
        ("groups:\n  - rules: []", 2, "groups[0].name", "is required"),
        ("groups:\n  - name: a\n  - name: b\n  - name: a", 4, "groups[2].name", #"group "a" is already defined in this file (line 2)"#),
        ("groups:\n  - name: a\n    interval: 0s", 3, "groups[0].interval", "0s is shorter than the minimum of 1s"),
        ("groups:\n  - name: a\n    interval: soon", 3, "groups[0].interval", #""soon" is not a duration"#),
        ("groups:\n  - name: a\n    limit: -1", 3, "groups[0].limit", "-1 is outside 0...2147483647"),
        ("groups:\n  - name: a\n    query_offset: 1m", 3, "groups[0].query_offset", "unknown key"),
        (
            "groups:\n  - name: a\n    labels: {service: x}\n    rules:\n      - alert: A\n        red: {measure: rate, by: [service], threshold: '> 1'}",
            6, "groups[0].rules[0].red", "by: service gives the label service, which the group's labels also set"
        ),
        ("groups:\n  - name: a\n    labels: {alertname: x}", 3, "groups[0].labels", "alertname is set from each rule's alert"),
        ("groups:\n  - name: a\n    rules: {alert: x}", 3, "groups[0].rules", "expected a list"),
        ("groups:\n  - name: a\n    rules:\n      - just a string", 4, "groups[0].rules[0]", "expected a mapping"),
        ("groups:\n  name: a", 1, "groups", "expected a list"),
        ("rule_files: [a.yaml]", 1, "rule_files", "unknown key"),
        (
            "groups:\n  - name: a\n    rules:\n      - slo: {name: x, service: s, objective: 99, sli: {availability: {}}}\n  - name: b\n    rules:\n      - slo: {name: x, service: t, objective: 99, sli: {availability: {}}}",
            7, "groups[1].rules[0].slo.name", #"SLO "x" is already defined at rules.yaml:4"#
        ),
    ] as [(String, Int, String, String)])
    func invalidFilesNameFileLineKeyAndReason(text: String, line: Int, key: String, reason: String) throws {
        let error = try #require(Self.failure(text))
        #expect(error.file == "rules.yaml")
        #expect(error.line == line)
        #expect(error.key == key)
        #expect(error.reason.contains(reason), "reason: \(error.reason)")
    }

    @Test func invalidYAMLIsReportedWithTheFile() throws {
        // An unquoted `>` starts a folded block in YAML, so thresholds must be quoted.
        let error = try #require(Self.failure(Self.file(rule: "alert: A\nred: {measure: rate}\nthreshold: > 5")))
        #expect(error.file == "rules.yaml")
        #expect(error.reason.hasPrefix("not valid YAML"))
    }
}
