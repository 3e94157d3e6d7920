import Foundation
import Synchronization
import Testing
import VigilAlerting
import VigilModel
import VigilRules
import VigilYAML

/// Span totals scripted per evaluation time: `failing` holds the times at which the source
/// throws; `errors[t]` the failed requests of 100 at time t (0 when absent).
final class ScriptedSpanSource: RuleDataSource {
    let errors: [TimeInterval: Int64]
    let failing: Set<TimeInterval>
    private let reads = Mutex(0)

    init(errors: [TimeInterval: Int64], failing: Set<TimeInterval> = []) {
        self.errors = errors
        self.failing = failing
    }

    var readCount: Int { reads.withLock { $0 } }

    func spanTotals(_ selector: SpanSelector, errors: ServiceLevelIndicator.SpanErrors, window: Duration, end: Date, by: [GroupingLabel]) async throws -> [SpanWindowTotals] {
        reads.withLock { $0 += 1 }
        if failing.contains(end.timeIntervalSince1970) { throw RuleEvaluationError("database unreachable") }
        let group = by.isEmpty ? [:] : ["service": "checkout"]
        return [SpanWindowTotals(group: group, requests: 100, errors: self.errors[end.timeIntervalSince1970] ?? 0, latency: LatencyHistogram())]
    }

    func evidence(_ selector: SpanSelector, _ kind: EvidenceKind, window: Duration, end: Date, group: [String: String], by: [GroupingLabel], limit: Int) async throws -> [String] {
        ["0af7651916cd43dd8448eb211c80319c"]
    }

    func lastSeen(_ rule: NoDataRule, end: Date) async throws -> [(group: [String: String], time: Date?)] { [] }
    func metricSeries(_ selector: SeriesSelector, window: Duration, end: Date) async throws -> [MetricSeriesWindow] { [] }
}

@Suite struct RuleGroupStateTests {
    static let file = """
        groups:
          - name: checkout
            interval: 30s
            rules:
              - alert: CheckoutErrors
                red: {service: checkout, measure: error_ratio, by: [service], threshold: '> 5%'}
                for: 1m
                annotations:
                  summary: '{{ $labels.service }} fails {{ $value | humanizePercentage }}'
              - slo:
                  name: checkout-availability
                  service: checkout
                  objective: 99.9
                  sli: {availability: {}}
                  alerting:
                    ticket: {enabled: false}
        """

    static func group() throws -> RuleGroupState {
        let parsed = try RuleFile.parse(file, file: "checkout.yaml")
        return RuleGroupState(file: "checkout.yaml", group: parsed.groups[0], context: RuleServerContext(externalURL: "http://vigil:8080/"), templates: try TemplateSet(files: []))
    }

    static func at(_ seconds: TimeInterval) -> Date { Date(timeIntervalSince1970: seconds) }

    @Test func unitsAreOnePerRuleAndOnePerSLOWindow() throws {
        let keys = try Self.group().units.map(\.key)
        // The SLO's ticket tier is disabled: its page tier has the 1h and 6h windows.
        #expect(keys == ["0:CheckoutErrors", "1:ErrorBudgetBurn:page:1h", "1:ErrorBudgetBurn:page:6h"])
    }

    @Test func generatorURLsPointAtTheEvidenceInTheAPI() throws {
        let units = try Self.group().units
        #expect(units[0].spec.generatorURL == "{{ $externalURL }}/api/v1/traces?limit=20&service={{ $labels.service | urlquery }}&status=error")
        #expect(units[1].spec.generatorURL == "{{ $externalURL }}/api/v1/traces?limit=20&service=checkout&status=error")
    }

    @Test func anAlertIsPendingThenFiresAfterForAndIsSentOnce() async throws {
        var group = try Self.group()
        // 10% errors from t=30 on: above 5%, and a burn rate of 0.1 / 0.001 = 100 > 14.4 and 6.
        let source = ScriptedSpanSource(errors: [30: 10, 60: 10, 90: 10])
        let evaluator = RuleEvaluator(source: source)

        let first = await group.evaluate(at: Self.at(0), with: evaluator)
        #expect(first.alertsToSend.isEmpty && first.failures.isEmpty)

        let pending = await group.evaluate(at: Self.at(30), with: evaluator)
        #expect(group.states[0].active.map(\.state) == [.pending])
        // `for` is 0 for the SLO windows: both fire at once and are sent with the evidence.
        #expect(pending.alertsToSend.map { $0.labels["window"] } == ["1h", "6h"])
        #expect(pending.alertsToSend.allSatisfy { $0.annotations["trace_ids"] == "0af7651916cd43dd8448eb211c80319c" })

        _ = await group.evaluate(at: Self.at(60), with: evaluator)
        let fired = await group.evaluate(at: Self.at(90), with: evaluator)
        // Held from 30 s to 90 s: `for: 1m` is met at 90 s.
        let sent = fired.alertsToSend.filter { $0.labels["alertname"] == "CheckoutErrors" }
        #expect(sent.count == 1)
        #expect(sent.first?.annotations["summary"] == "checkout fails 10%")
        #expect(sent.first?.generatorURL == "http://vigil:8080/api/v1/traces?limit=20&service=checkout&status=error")
        #expect(group.health.allSatisfy { $0.health == .ok && $0.lastEvaluation == Self.at(90) })
    }

    @Test func aFailingReadKeepsTheAlertsAndMarksTheUnit() async throws {
        var group = try Self.group()
        let evaluator = RuleEvaluator(source: ScriptedSpanSource(errors: [0: 10], failing: [30]))
        _ = await group.evaluate(at: Self.at(0), with: evaluator)
        let failed = await group.evaluate(at: Self.at(30), with: evaluator)
        #expect(failed.failures.count == 3)
        #expect(group.health.allSatisfy { $0.health == .err && $0.lastError == "database unreachable" })
        // The pending alert of the RED rule is still there: a failed read changes no alert.
        #expect(group.states[0].active.map(\.state) == [.pending])
    }

    @Test func restoringSnapshotsKeepsProgressTowardsFor() async throws {
        var group = try Self.group()
        let evaluator = RuleEvaluator(source: ScriptedSpanSource(errors: [0: 10, 30: 10, 60: 10]))
        _ = await group.evaluate(at: Self.at(0), with: evaluator)
        let activeAt = group.states[0].active.first?.activeAt

        var restored = try Self.group()
        restored.restore(group.savedUnits, at: Self.at(30))
        #expect(restored.states[0].active.first?.activeAt == activeAt)
        _ = await restored.evaluate(at: Self.at(30), with: evaluator)
        let fired = await restored.evaluate(at: Self.at(60), with: evaluator)
        #expect(fired.alertsToSend.contains { $0.labels["alertname"] == "CheckoutErrors" })
    }

    @Test(arguments: [
        (1.0, "1e+00"), (0.4, "4e-01"), (0.055, "5.5e-02"), (123.5, "1.235e+02"), (0, "0e+00"),
        (-2.5, "-2.5e+00"), (1e-7, "1e-07"), (1e21, "1e+21"), (Double.nan, "NaN"), (Double.infinity, "+Inf"),
    ])
    func sampleValuesAreWrittenAsPrometheusWritesThem(value: Double, text: String) {
        #expect(PrometheusFloat.format(value) == text)
    }

    @Test func ruleFilePatternsExpandInOrderAndMissingPathsFail() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-rulefiles-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory + "/rules", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for name in ["b.yaml", "a.yaml", "c.txt"] {
            _ = FileManager.default.createFile(atPath: "\(directory)/rules/\(name)", contents: Data("groups: []\n".utf8))
        }
        let paths = try RuleFileSet.expand(["rules/*.yaml", "rules/c.txt", "none/*.yaml"], relativeTo: directory)
        #expect(paths == ["\(directory)/rules/a.yaml", "\(directory)/rules/b.yaml", "\(directory)/rules/c.txt"])
        #expect(throws: ConfigurationError.self) { try RuleFileSet.expand(["rules/missing.yaml"], relativeTo: directory) }
    }
}
