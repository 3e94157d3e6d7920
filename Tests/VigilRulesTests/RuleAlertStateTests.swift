import Foundation
import Testing
import VigilAlerting
import VigilRules

/// The alert state machine of alerting rules, driven by an injected clock: Prometheus's
/// `AlertingRule.Eval` and `sendAlerts` semantics.
@Suite struct RuleAlertStateTests {
    let templates: TemplateSet
    static let start = Date(timeIntervalSince1970: 1_700_000_000)
    static let checkout = RuleSample(labels: ["service": "checkout"], value: 0.12, evidence: ["trace-a"])

    init() throws {
        templates = try TemplateSet(files: [])
    }

    static func at(_ seconds: Int) -> Date {
        start.addingTimeInterval(TimeInterval(seconds))
    }

    func makeState(
        for holdSeconds: Int = 0, keepFiringFor keepSeconds: Int = 0, labels: LabelSet = ["severity": "page"],
        annotations: LabelSet = ["summary": "{{ $labels.service }} fails {{ $value | humanizePercentage }}"], limit: Int = 0
    ) -> RuleAlertState {
        let spec = RuleAlertSpec(
            alertName: "HighErrorRate", labels: labels, annotations: annotations, forDuration: .seconds(holdSeconds),
            keepFiringFor: .seconds(keepSeconds), generatorURL: "https://vigil.example.com/services/{{ $labels.service }}",
            externalLabels: ["cluster": "eu-1", "service": "from-external"], externalURL: "https://vigil.example.com", limit: limit)
        return RuleAlertState(spec: spec, templates: templates)
    }

    /// Evaluates at each `(seconds, present)` step, the checkout series present or not, and
    /// returns the state of its alert after each (nil: no alert).
    func run(_ state: inout RuleAlertState, _ steps: [(Int, Bool)]) -> [String] {
        steps.map { seconds, present in
            _ = state.apply(present ? [Self.checkout] : [], at: Self.at(seconds))
            return state.snapshot.first?.state.rawValue ?? "none"
        }
    }

    // MARK: Pending and firing

    @Test(arguments: [
        (0, [0], ["firing"]),
        (60, [0, 30, 59, 60, 90], ["pending", "pending", "pending", "firing", "firing"]),
        (300, [0, 60, 120, 180, 240, 300], ["pending", "pending", "pending", "pending", "pending", "firing"]),
    ])
    func pendingFiresExactlyWhenForHasElapsed(holdSeconds: Int, times: [Int], expected: [String]) throws {
        var state = makeState(for: holdSeconds)
        #expect(run(&state, times.map { ($0, true) }) == expected)
        let alert = try #require(state.snapshot.first)
        #expect(alert.activeAt == Self.at(0))
        let firing = try #require(expected.firstIndex(of: "firing"))
        #expect(alert.firedAt == Self.at(times[firing]))
        #expect(alert.labels == ["alertname": "HighErrorRate", "service": "checkout", "severity": "page"])
    }

    @Test func transitionsNameEachChange() {
        var state = makeState(for: 60)
        let first = state.apply([Self.checkout], at: Self.at(0))
        let labels: LabelSet = ["alertname": "HighErrorRate", "service": "checkout", "severity": "page"]
        #expect(first.transitions == [.init(labels: labels, from: nil, to: .pending)])
        #expect(first.state == .pending)
        #expect(state.apply([Self.checkout], at: Self.at(60)).transitions == [.init(labels: labels, from: .pending, to: .firing)])
        #expect(state.apply([Self.checkout], at: Self.at(120)).transitions.isEmpty)
        let resolved = state.apply([], at: Self.at(180))
        #expect(resolved.transitions == [.init(labels: labels, from: .firing, to: .inactive)])
        #expect(resolved.state == .inactive)

        var immediate = makeState()
        #expect(immediate.apply([Self.checkout], at: Self.at(0)).transitions == [.init(labels: labels, from: nil, to: .firing)])
    }

    @Test func pendingAlertIsDroppedWhenItsSeriesGoesAndForStartsAgain() throws {
        var state = makeState(for: 120)
        #expect(run(&state, [(0, true), (60, true)]) == ["pending", "pending"])
        let gone = state.apply([], at: Self.at(90))
        #expect(gone.transitions.map(\.from) == [.pending])
        #expect(gone.transitions.map(\.to) == [nil])
        #expect(state.snapshot.isEmpty)
        #expect(run(&state, [(120, true), (180, true), (239, true), (240, true)]) == ["pending", "pending", "pending", "firing"])
        #expect(try #require(state.snapshot.first).activeAt == Self.at(120))
    }

    // MARK: keep_firing_for

    @Test(arguments: [
        // Held for 120 s from the first evaluation without the series, then resolved.
        (120, [(0, true), (60, false), (120, false), (179, false), (180, false)], ["firing", "firing", "firing", "firing", "inactive"], 180),
        // The series coming back resets the hold; it counts again from the next absence.
        (120, [(0, true), (60, false), (120, true), (180, false), (299, false), (300, false)],
         ["firing", "firing", "firing", "firing", "firing", "inactive"], 300),
        (0, [(0, true), (60, false)], ["firing", "inactive"], 60),
    ])
    func keepFiringForHoldsThenResolves(keepSeconds: Int, steps: [(Int, Bool)], expected: [String], resolvedAt: Int) throws {
        var state = makeState(keepFiringFor: keepSeconds)
        #expect(run(&state, steps) == expected)
        let alert = try #require(state.snapshot.first)
        #expect(alert.resolvedAt == Self.at(resolvedAt))
        #expect(alert.firedAt == Self.at(0))
    }

    @Test func keepFiringForDoesNotHoldPendingAlerts() {
        var state = makeState(for: 300, keepFiringFor: 600)
        #expect(run(&state, [(0, true), (60, false)]) == ["pending", "none"])
    }

    @Test func keptFiringAlertIsActiveWithItsHoldStart() throws {
        var state = makeState(keepFiringFor: 300)
        _ = run(&state, [(0, true), (60, false), (120, false)])
        let alert = try #require(state.active.first)
        #expect(alert.state == .firing)
        #expect(alert.keepFiringSince == Self.at(60))
        #expect(alert.resolvedAt == nil)
    }

    // MARK: Resolved alerts

    @Test func resolvedAlertIsKeptFifteenMinutesThenForgotten() {
        var state = makeState()
        #expect(run(&state, [(0, true), (60, false), (960, false)]) == ["firing", "inactive", "inactive"])
        #expect(state.active.isEmpty)
        #expect(state.snapshot.count == 1)
        let forgotten = state.apply([], at: Self.at(961))
        #expect(forgotten.transitions.map(\.from) == [.inactive])
        #expect(forgotten.transitions.map(\.to) == [nil])
        #expect(state.snapshot.isEmpty)
    }

    @Test func seriesReturningAfterResolutionStartsANewAlert() throws {
        var state = makeState(for: 60)
        #expect(run(&state, [(0, true), (60, true), (120, false)]) == ["pending", "firing", "inactive"])
        let back = state.apply([Self.checkout], at: Self.at(180))
        #expect(back.transitions.map(\.from) == [.inactive])
        #expect(back.transitions.map(\.to) == [.pending])
        let alert = try #require(state.snapshot.first)
        #expect(alert.activeAt == Self.at(180))
        #expect(alert.firedAt == nil)
        #expect(alert.resolvedAt == nil)
        #expect(alert.lastSentAt == nil)
    }

    // MARK: Sending

    @Test(arguments: [
        // A send waits for more than the 1-minute resend delay, so a 1-minute interval resends every second evaluation.
        (60, 600, [0, 120, 240, 360, 480, 600]),
        (15, 180, [0, 75, 150]),
        (30, 240, [0, 90, 180]),
        (120, 360, [0, 120, 240, 360]),
    ])
    func firingAlertIsResentAfterTheResendDelay(intervalSeconds: Int, untilSeconds: Int, expectedSends: [Int]) {
        var state = makeState()
        var sends: [Int] = []
        for seconds in stride(from: 0, through: untilSeconds, by: intervalSeconds) {
            _ = state.apply([Self.checkout], at: Self.at(seconds))
            if !state.alertsToSend(at: Self.at(seconds), interval: .seconds(intervalSeconds)).isEmpty { sends.append(seconds) }
        }
        #expect(sends == expectedSends)
    }

    @Test(arguments: [(60, 240), (15, 240), (300, 1200), (90, 360)])
    func firingAlertEndsAtFourTimesTheLargerOfIntervalAndResendDelay(intervalSeconds: Int, validSeconds: Int) throws {
        var state = makeState(for: 60)
        _ = state.apply([Self.checkout], at: Self.at(0))
        #expect(state.alertsToSend(at: Self.at(0), interval: .seconds(intervalSeconds)).isEmpty)
        _ = state.apply([Self.checkout], at: Self.at(60))
        let sent = try #require(state.alertsToSend(at: Self.at(60), interval: .seconds(intervalSeconds)).first)
        #expect(sent.startsAt == Self.at(60))
        #expect(sent.endsAt == Self.at(60 + validSeconds))
        #expect(state.snapshot.first?.validUntil == Self.at(60 + validSeconds))
        #expect(state.snapshot.first?.lastSentAt == Self.at(60))
    }

    @Test func resolvedAlertIsSentAtOnceThenResentWhileKept() throws {
        var state = makeState()
        var sends: [(Int, PostableAlert)] = []
        for seconds in stride(from: 0, through: 1020, by: 30) {
            _ = state.apply(seconds == 0 ? [Self.checkout] : [], at: Self.at(seconds))
            for alert in state.alertsToSend(at: Self.at(seconds), interval: .seconds(30)) { sends.append((seconds, alert)) }
        }
        // Resolved 30 s after the firing send, yet sent at once; then every 90 s (more than a
        // minute) until the evaluation more than 15 minutes after the resolution drops it.
        #expect(sends.map(\.0) == [0, 30, 120, 210, 300, 390, 480, 570, 660, 750, 840, 930])
        let resolved = try #require(sends.dropFirst().first?.1)
        #expect(resolved.startsAt == Self.at(0))
        #expect(resolved.endsAt == Self.at(30))
        #expect(sends.last?.1.endsAt == Self.at(30))
        #expect(state.snapshot.isEmpty)
    }

    @Test func sentAlertCarriesLabelsAnnotationsEvidenceAndLink() throws {
        var state = makeState()
        let sample = RuleSample(labels: ["service": "checkout", "route": "/pay"], value: 0.1234, evidence: ["t1", "t2", "t3", "t4", "t5", "t6"])
        _ = state.apply([sample], at: Self.at(0))
        let sent = try #require(state.alertsToSend(at: Self.at(0), interval: .seconds(60)).first)
        // External labels fill in what the alert lacks; the alert's own service wins.
        #expect(sent.labels == ["alertname": "HighErrorRate", "cluster": "eu-1", "route": "/pay", "service": "checkout", "severity": "page"])
        #expect(sent.annotations == ["summary": "checkout fails 12.34%", "trace_ids": "t1,t2,t3,t4,t5"])
        #expect(sent.generatorURL == "https://vigil.example.com/services/checkout")
        #expect(state.active.first?.evidence == ["t1", "t2", "t3", "t4", "t5"])
        #expect(state.active.first?.labels.contains(name: "cluster") == false)
    }

    @Test func latestValueAnnotationsAndEvidenceFollowEvaluations() throws {
        var state = makeState(for: 600)
        _ = state.apply([RuleSample(labels: ["service": "checkout"], value: 0.5, evidence: ["old"])], at: Self.at(0))
        _ = state.apply([RuleSample(labels: ["service": "checkout"], value: 0.25)], at: Self.at(60))
        let alert = try #require(state.active.first)
        #expect(alert.value == 0.25)
        #expect(alert.annotations == ["summary": "checkout fails 25%"])
        // A sample without evidence keeps the evidence already found.
        #expect(alert.evidence == ["old"])
        #expect(alert.activeAt == Self.at(0))
    }

    @Test func ruleAnnotationNamedLikeTheEvidenceWins() throws {
        var state = makeState(annotations: ["trace_ids": "none"])
        _ = state.apply([Self.checkout], at: Self.at(0))
        #expect(try #require(state.alertsToSend(at: Self.at(0), interval: .seconds(60)).first).annotations == ["trace_ids": "none"])
    }

    // MARK: Templates and failures

    @Test func failingTemplateKeepsTheAlertWithTheErrorText() throws {
        var state = makeState(labels: ["severity": "{{ humanize \"x\" }}", "team": "{{ $labels.team }}"], annotations: ["summary": "{{ .Nope }}"])
        let result = state.apply([Self.checkout], at: Self.at(0))
        let alert = try #require(state.active.first)
        #expect(alert.labels["severity"].hasPrefix("<error expanding template: error executing template __alert_HighErrorRate: "))
        #expect(alert.annotations["summary"].hasPrefix("<error expanding template: "))
        // A label rendered empty is removed, as Prometheus's label builder does.
        #expect(!alert.labels.contains(name: "team"))
        #expect(result.templateFailures.map(\.field).sorted() == ["annotations.summary", "labels.severity"])
        #expect(result.templateFailures.first?.series == ["service": "checkout"])
    }

    @Test func templateProblemsAreFoundBeforeEvaluation() {
        let spec = RuleAlertSpec(
            alertName: "A", labels: ["severity": "page"], annotations: ["ok": "{{ $value }}", "bad": "{{ query \"up\" }}"],
            generatorURL: "{{ .Labels.x.y }}")
        #expect(spec.templateProblems(using: templates).map(\.field) == ["annotations.bad", "generatorURL"])
    }

    @Test func duplicateLabelSetsRefuseTheEvaluation() {
        var state = makeState(for: 300, labels: ["env": "prod"])
        _ = state.apply([Self.checkout], at: Self.at(0))
        let before = state.snapshot
        let result = state.apply(
            [RuleSample(labels: ["service": "checkout", "env": "a"], value: 1), RuleSample(labels: ["service": "checkout", "env": "b"], value: 2)],
            at: Self.at(60))
        #expect(result.failure == .duplicateLabelSet(["alertname": "HighErrorRate", "env": "prod", "service": "checkout"]))
        #expect(state.snapshot == before)
    }

    @Test func exceedingTheLimitDropsEveryAlert() {
        var state = makeState(limit: 1)
        _ = state.apply([Self.checkout], at: Self.at(0))
        let result = state.apply([Self.checkout, RuleSample(labels: ["service": "cart"], value: 1)], at: Self.at(60))
        #expect(result.failure == .limitExceeded(limit: 1, alerts: 2))
        #expect(result.failure?.description == "exceeded limit of 1 with 2 alerts")
        #expect(state.snapshot.isEmpty)
    }

    @Test func ruleStateIsTheHighestOfItsAlerts() {
        var state = makeState(for: 60)
        #expect(state.state == .inactive)
        _ = state.apply([Self.checkout], at: Self.at(0))
        _ = state.apply([Self.checkout, RuleSample(labels: ["service": "cart"], value: 1)], at: Self.at(60))
        #expect(state.state == .firing)
        #expect(state.active.map(\.state) == [.pending, .firing])
    }

    // MARK: Restoring

    @Test func restoredSnapshotKeepsActiveAtSoForDoesNotStartAgain() throws {
        var state = makeState(for: 300)
        #expect(run(&state, [(0, true), (60, true), (120, true)]) == ["pending", "pending", "pending"])
        let data = try JSONEncoder().encode(state.snapshot)
        let snapshot = try JSONDecoder().decode([ActiveRuleAlert].self, from: data)
        #expect(snapshot == state.snapshot)

        var restored = RuleAlertState(spec: state.spec, templates: templates, restoring: snapshot)
        #expect(run(&restored, [(180, true), (240, true), (300, true)]) == ["pending", "pending", "firing"])
        #expect(restored.snapshot.first?.activeAt == Self.at(0))
        #expect(restored.snapshot.first?.firedAt == Self.at(300))
    }

    @Test func restoredFiringAlertWaitsForTheResendDelay() {
        var state = makeState()
        _ = state.apply([Self.checkout], at: Self.at(0))
        #expect(state.alertsToSend(at: Self.at(0), interval: .seconds(60)).count == 1)
        var restored = RuleAlertState(spec: state.spec, templates: templates, restoring: state.snapshot)
        _ = restored.apply([Self.checkout], at: Self.at(60))
        #expect(restored.alertsToSend(at: Self.at(60), interval: .seconds(60)).isEmpty)
        _ = restored.apply([Self.checkout], at: Self.at(120))
        #expect(restored.alertsToSend(at: Self.at(120), interval: .seconds(60)).first?.startsAt == Self.at(0))
    }

    /// Prometheus's `RestoreForState` with a 10-minute grace period and 1-hour outage tolerance:
    /// `for` 30 minutes, pending since 0, last evaluated at `down`, restored at `now`.
    @Test(arguments: [
        // 10 minutes left, not less than the grace period: the downtime does not count.
        (1800, 1200, 1500, 300 as Int?),
        // 5 minutes left: fires the grace period after the restart (1560 + 600 = 360 + 1800).
        (1800, 1500, 1560, 360),
        // `for` shorter than the grace period: `for` starts again.
        (300, 120, 180, nil),
        // Down longer than the outage tolerance: `for` starts again.
        (1800, 1200, 1200 + 3601, nil),
    ])
    func restoringWithPrometheusGraceRules(holdSeconds: Int, downSeconds: Int, nowSeconds: Int, expectedActiveAt: Int?) {
        let pending = ActiveRuleAlert(
            labels: ["alertname": "HighErrorRate", "service": "checkout"], state: .pending, value: 1, activeAt: Self.at(0),
            lastEvaluatedAt: Self.at(downSeconds))
        let firing = ActiveRuleAlert(
            labels: ["alertname": "HighErrorRate", "service": "cart"], state: .firing, value: 1, activeAt: Self.at(0), firedAt: Self.at(0),
            lastEvaluatedAt: Self.at(downSeconds))
        let spec = RuleAlertSpec(alertName: "HighErrorRate", forDuration: .seconds(holdSeconds))
        let state = RuleAlertState(
            spec: spec, templates: templates, restoring: [pending, firing], at: Self.at(nowSeconds), policy: RuleAlertState.RestorePolicy())
        #expect(state.snapshot.first { $0.labels["service"] == "checkout" }?.activeAt == expectedActiveAt.map(Self.at))
        #expect(state.snapshot.first { $0.labels["service"] == "cart" } == firing)
    }

    @Test func snapshotEncodesValuesJSONCannotHold() throws {
        let alert = ActiveRuleAlert(
            labels: ["alertname": "A"], annotations: ["summary": "s"], state: .firing, value: .nan, activeAt: Self.at(0), firedAt: Self.at(60),
            resolvedAt: Self.at(120), lastSentAt: Self.at(120), validUntil: Self.at(360), keepFiringSince: Self.at(90), lastEvaluatedAt: Self.at(120),
            evidence: ["t1"], generatorURL: "u")
        var infinite = alert
        infinite.value = -.infinity
        let decoded = try JSONDecoder().decode([ActiveRuleAlert].self, from: JSONEncoder().encode([alert, infinite]))
        #expect(decoded[0].value.isNaN)
        #expect(decoded[1] == infinite)
        var withoutValue = decoded[0]
        withoutValue.value = 0
        var expected = alert
        expected.value = 0
        #expect(withoutValue == expected)
    }
}
