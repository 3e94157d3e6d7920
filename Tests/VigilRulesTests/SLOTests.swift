import Testing
import VigilAlerting
import VigilYAML
@testable import VigilRules

@Suite struct SLOTests {
    static let day: Int64 = 86_400

    /// One SLO rule in a file; `slo` is the YAML under `slo:`, indented by two spaces per level.
    static func rule(_ slo: String, rest: String = "") throws -> Rule {
        let text = """
            groups:
              - name: slos
                labels: {team: shop}
                rules:
                  - slo:
            \(slo.split(separator: "\n").map { "          " + $0 }.joined(separator: "\n"))
            \(rest.split(separator: "\n").map { "        " + $0 }.joined(separator: "\n"))
            """
        let rules = try RuleFile.parse(text, file: "slos.yaml").rules
        try #require(rules.count == 1)
        return rules[0]
    }

    static func slo(_ yaml: String) throws -> SLO {
        guard case .slo(let slo) = try rule(yaml).kind else { throw SLOMissing() }
        return slo
    }

    struct SLOMissing: Error {}

    // MARK: Error budgets

    @Test(arguments: [
        ("99.9", "0.001", 0.001, "0.1"),
        ("99.95", "0.0005", 0.0005, "0.05"),
        ("99", "0.01", 0.01, "1"),
        ("95.5", "0.045", 0.045, "4.5"),
        ("99.99", "0.0001", 0.0001, "0.01"),
        ("99.999999", "0.00000001", 0.00000001, "0.000001"),
        ("90.00", "0.1", 0.1, "10"),
        ("50", "0.5", 0.5, "50"),
    ])
    func errorBudgetsAreExact(objective: String, fraction: String, value: Double, percent: String) throws {
        let decimal = try #require(ExactDecimal(parsing: objective))
        let budget = try #require(ErrorBudget(objectivePercent: decimal))
        #expect(budget.description == fraction)
        #expect(budget.fraction.description == fraction)
        #expect(budget.percent.description == percent)
        // The double nearest to the decimal, not the result of a subtraction in binary.
        #expect(budget.value == value)
    }

    @Test func theBudgetOf99Point9IsNotTheBinarySubtraction() throws {
        let budget = try Self.slo("{name: a, service: s, objective: 99.9, sli: {availability: {}}}").errorBudget
        #expect(budget.value == 0.001)
        #expect(1 - 0.999 != 0.001)
    }

    @Test(arguments: ["0", "100", "100.5"])
    func objectivesOutsideTheOpenRangeHaveNoBudget(objective: String) throws {
        let decimal = try #require(ExactDecimal(parsing: objective))
        #expect(ErrorBudget(objectivePercent: decimal) == nil)
    }

    @Test(arguments: [
        ("99.9", "99.9"), ("99.90", "99.9"), ("007", "7"), ("0.0005", "0.0005"), ("100", "100"), ("0", "0"), ("0.000", "0"),
        ("123456789012345678", "123456789012345678"), ("0.000000000000000001", "0.000000000000000001"),
    ])
    func decimalsKeepTheirTextInLowestTerms(text: String, expected: String) throws {
        #expect(try #require(ExactDecimal(parsing: text)).description == expected)
    }

    @Test(arguments: ["", ".5", "5.", "-1", "+1", "1e3", "99,9", "1_000", " 1", "1.2.3", "0x10", "nan", "1234567890123456789"])
    func decimalsRefuseAnythingButPlainDigits(text: String) {
        #expect(ExactDecimal(parsing: text) == nil)
    }

    @Test func decimalsCompareAndSubtractExactly() throws {
        let a = try #require(ExactDecimal(parsing: "99.95"))
        let b = try #require(ExactDecimal(parsing: "99.9"))
        #expect(b < a)
        #expect(a.subtracting(b)?.description == "0.05")
        #expect(b.subtracting(a) == nil)
        #expect(ExactDecimal(units: 1500, scale: 3) == ExactDecimal(parsing: "1.5"))
    }

    // MARK: Burn-rate windows

    /// severity, long window label, short window (s), budget fraction, threshold text, threshold value.
    typealias Row = (BurnRateWindow.Severity, String, Int64, String, String, Double)

    @Test(arguments: [
        (30, [
            (.page, "1h", 300, "0.02", "14.4", 14.4),
            (.page, "6h", 1_800, "0.05", "6", 6),
            (.ticket, "1d", 7_200, "0.1", "3", 3),
            (.ticket, "3d", 21_600, "0.1", "1", 1),
        ] as [Row]),
        (28, [
            (.page, "1h", 300, "0.02", "13.44", 13.44),
            (.page, "6h", 1_800, "0.05", "5.6", 5.6),
            (.ticket, "1d", 7_200, "0.1", "2.8", 2.8),
            (.ticket, "3d", 21_600, "0.1", "0.933333", 14.0 / 15.0),
        ] as [Row]),
        (7, [
            (.page, "1h", 300, "0.02", "3.36", 3.36),
            (.page, "6h", 1_800, "0.05", "1.4", 1.4),
            (.ticket, "1d", 7_200, "0.1", "0.7", 0.7),
            (.ticket, "3d", 21_600, "0.1", "0.233333", 7.0 / 30.0),
        ] as [Row]),
    ] as [(Int64, [Row])])
    func theWorkbookSetScalesWithThePeriod(days: Int64, rows: [Row]) throws {
        let windows = BurnRateWindow.workbookSet(period: .seconds(days * Self.day))
        try #require(windows.count == rows.count)
        for (window, row) in zip(windows, rows) {
            #expect(window.severity == row.0)
            #expect(window.name == row.1)
            #expect(window.shortWindow == .seconds(row.2))
            #expect(window.shortWindow * 12 == window.longWindow)
            #expect(window.budgetFraction.description == row.3)
            #expect(window.burnRateThreshold.description == row.4)
            #expect(window.burnRateThreshold.value == row.5)
        }
        // An SLO with that period gets the same windows.
        let slo = try Self.slo("{name: a, service: s, objective: 99.9, period: \(days)d, sli: {availability: {}}}")
        #expect(slo.burnRateWindows == windows)
    }

    @Test func burnRatesAreExactFractions() throws {
        let twoPercent = try #require(ExactDecimal(parsing: "0.02"))
        let fourteenPointFour = try #require(BurnRate(spending: twoPercent, of: .seconds(30 * Self.day), in: .seconds(3_600)))
        #expect(fourteenPointFour.numerator == 72)
        #expect(fourteenPointFour.denominator == 5)
        #expect(fourteenPointFour.isFiniteDecimal)
        #expect(fourteenPointFour.exactDecimal?.description == "14.4")
        let third = try #require(BurnRate(numerator: 2, denominator: 6))
        #expect(third.numerator == 1)
        #expect(third.denominator == 3)
        #expect(!third.isFiniteDecimal)
        #expect(third.exactDecimal == nil)
        #expect(third.description == "0.333333")
        #expect(third < fourteenPointFour)
        #expect(BurnRate(numerator: 1, denominator: 0) == nil)
    }

    @Test func customWindowsGetThresholdsForThePeriod() throws {
        let slo = try Self.slo("""
            name: a
            service: s
            objective: 99.5
            period: 30d
            sli: {availability: {}}
            alerting:
              page:
                windows:
                  - {long: 2h, budget: 4%}
                  - {long: 30m, short: 2m, budget: 1.5%}
              ticket:
                windows:
                  - {long: 7d, budget: 25%}
            """)
        #expect(slo.burnRateWindows.map(\.severity) == [.page, .page, .ticket])
        #expect(slo.burnRateWindows.map(\.name) == ["2h", "30m", "1w"])
        #expect(slo.burnRateWindows.map(\.shortWindow) == [.seconds(600), .seconds(120), .seconds(50_400)])
        #expect(slo.burnRateWindows.map(\.budgetFraction.description) == ["0.04", "0.015", "0.25"])
        // 0.04 × 720h / 2h, 0.015 × 720h / 0.5h, 0.25 × 30d / 7d.
        #expect(slo.burnRateWindows.map(\.burnRateThreshold.description) == ["14.4", "21.6", "1.071429"])
        #expect(slo.burnRateWindows.map(\.burnRateThreshold.value) == [14.4, 21.6, 7.5 / 7.0])
    }

    // MARK: Tiers

    @Test(arguments: [
        ("", [BurnRateWindow.Severity.page, .page, .ticket, .ticket], ["1h", "6h", "1d", "3d"]),
        ("alerting: {page: {enabled: false}}", [.ticket, .ticket], ["1d", "3d"]),
        ("alerting: {ticket: {enabled: false}}", [.page, .page], ["1h", "6h"]),
        ("alerting: {page: {enabled: false}, ticket: {enabled: no}}", [], []),
        ("alerting: {page: {enabled: true}, ticket: {enabled: false, windows: [{long: 60d, budget: 10%}]}}", [.page, .page], ["1h", "6h"]),
    ] as [(String, [BurnRateWindow.Severity], [String])])
    func tiersCanBeDisabled(alerting: String, severities: [BurnRateWindow.Severity], names: [String]) throws {
        let rule = try Self.rule("{name: a, service: s, objective: 99.9, sli: {availability: {}}\(alerting.isEmpty ? "" : ", " + alerting)}")
        guard case .slo(let slo) = rule.kind else { Issue.record("not an SLO"); return }
        #expect(slo.burnRateWindows.map(\.severity) == severities)
        #expect(slo.burnRateWindows.map(\.name) == names)
        #expect(rule.burnRateAlerts.map(\.window) == slo.burnRateWindows)
    }

    @Test func aDisabledTierLetsAShortPeriodKeepTheOtherTier() throws {
        let slo = try Self.slo("{name: a, service: s, objective: 99, period: 1d, sli: {availability: {}}, alerting: {ticket: {enabled: false}}}")
        #expect(slo.burnRateWindows.map(\.name) == ["1h", "6h"])
        #expect(slo.burnRateWindows.map(\.burnRateThreshold.description) == ["0.48", "0.2"])
    }

    @Test func burnRateAlertsCarryTheSLOLabelsAndTheTiersOnTop() throws {
        let rule = try Self.rule("""
            name: checkout-availability
            service: checkout
            objective: 99.9
            sli: {availability: {}}
            alerting:
              page:
                labels: {severity: critical, receiver: pager}
                annotations: {runbook: 'https://runbooks/slo-page'}
              ticket:
                windows: [{long: 1d, budget: 10%}]
            """, rest: """
            alert: SLOBurn
            labels: {env: prod}
            annotations: {summary: '{{ $labels.slo }} burns {{ $value }}x', runbook: 'https://runbooks/slo'}
            """)
        let alerts = rule.burnRateAlerts
        #expect(alerts.map(\.labels) == [
            ["alertname": "SLOBurn", "team": "shop", "env": "prod", "slo": "checkout-availability", "service": "checkout", "severity": "critical", "window": "1h", "receiver": "pager"],
            ["alertname": "SLOBurn", "team": "shop", "env": "prod", "slo": "checkout-availability", "service": "checkout", "severity": "critical", "window": "6h", "receiver": "pager"],
            ["alertname": "SLOBurn", "team": "shop", "env": "prod", "slo": "checkout-availability", "service": "checkout", "severity": "ticket", "window": "1d"],
        ] as [LabelSet])
        #expect(alerts[0].annotations == ["summary": "{{ $labels.slo }} burns {{ $value }}x", "runbook": "https://runbooks/slo-page"])
        #expect(alerts[2].annotations == ["summary": "{{ $labels.slo }} burns {{ $value }}x", "runbook": "https://runbooks/slo"])
        #expect(Set(alerts.map { $0.labels.fingerprint() }).count == 3)
    }

    @Test func otherRuleKindsHaveNoBurnRateAlerts() {
        let rule = Rule(alert: "A", kind: .noData(NoDataRule(signal: .logs, absentFor: .seconds(300))))
        #expect(rule.burnRateAlerts.isEmpty)
    }

    // MARK: Indicators

    @Test func availabilityCountsErrorsByStatusOrByAnAttribute() throws {
        let byStatus = try Self.slo("{name: a, service: checkout, objective: 99.9, sli: {availability: {operation: [GET /cart, POST /cart]}}}")
        #expect(byStatus.indicator == .availability(spans: SpanSelector(services: ["checkout"], operations: ["GET /cart", "POST /cart"]), errors: .statusError))
        #expect(byStatus.indicator.canUseRollups)
        #expect(byStatus.indicator.key == "availability")

        let byCode = try Self.slo("""
            name: a
            service: checkout
            objective: 99.9
            sli:
              availability:
                span_kind: server
                errors: {attribute: http.response.status_code, at_least: 500}
            """)
        #expect(byCode.indicator == .availability(spans: SpanSelector(services: ["checkout"], spanKinds: [.server]), errors: .attributeAtLeast(key: "http.response.status_code", value: 500)))
        #expect(!byCode.indicator.canUseRollups)
    }

    @Test func latencyCountsSpansUpToTheThresholdAsGood() throws {
        let slo = try Self.slo("{name: a, service: checkout, objective: 99, sli: {latency: {threshold: 300ms, matchers: ['http.route=/cart']}}}")
        guard case .latency(let spans, let threshold) = slo.indicator else { Issue.record("not a latency SLI"); return }
        #expect(threshold == .milliseconds(300))
        #expect(spans.services == ["checkout"])
        #expect(spans.attributeMatchers.map(\.description) == [#"http.route="/cart""#])
        #expect(!slo.indicator.canUseRollups)
        #expect(slo.indicator.spans == spans)
    }

    @Test func metricIndicatorsReadCountersOrAHistogramOfTheSLOsServiceByDefault() throws {
        let good = try Self.slo("""
            name: a
            service: checkout
            objective: 99.9
            sli:
              metric:
                good: {name: requests.ok}
                total: {name: requests, service: edge-proxy, matchers: ['route=/checkout']}
            """)
        let route = try Matcher(name: "route", kind: .equal, value: "/checkout")
        #expect(good.indicator == .metricRatio(.init(
            counts: .good,
            counted: SeriesSelector(metric: "requests.ok", services: ["checkout"]),
            total: SeriesSelector(metric: "requests", services: ["edge-proxy"], attributeMatchers: [route]))))

        let errors = try Self.slo("{name: b, service: checkout, objective: 99.9, sli: {metric: {errors: {name: requests.failed}, total: {name: requests}}}}")
        guard case .metricRatio(let ratio) = errors.indicator else { Issue.record("not a ratio"); return }
        #expect(ratio.counts == .errors)

        let histogram = try Self.slo("{name: c, service: checkout, objective: 99, sli: {metric: {histogram: {name: http.server.request.duration}, threshold: 0.25}}}")
        #expect(histogram.indicator == .metricHistogram(series: SeriesSelector(metric: "http.server.request.duration", services: ["checkout"]), threshold: 0.25))
        #expect(histogram.indicator.spans == nil)
        #expect(!histogram.indicator.canUseRollups)
        #expect(histogram.indicator.key == "metric")
    }

    // MARK: Durations

    @Test(arguments: [
        (0, "0s"), (500, "500ms"), (30_000, "30s"), (300_000, "5m"), (5_400_000, "1h30m"), (86_400_000, "1d"),
        (259_200_000, "3d"), (604_800_000, "1w"), (2_592_000_000, "30d"), (2_419_200_000, "4w"), (31_536_000_000, "1y"),
        (90_061_001, "1d1h1m1s1ms"),
    ] as [(Int64, String)])
    func durationsAreWrittenAsPrometheusWritesThem(milliseconds: Int64, text: String) {
        #expect(PrometheusDuration.format(.milliseconds(milliseconds)) == text)
        #expect(PrometheusDuration.parse(text) == .milliseconds(milliseconds))
    }
}
