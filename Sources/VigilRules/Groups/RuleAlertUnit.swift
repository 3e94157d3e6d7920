import Foundation
import VigilAlerting

/// One producer of alerts within a rule group: a RED, metric or no-data rule is one unit; an SLO
/// rule is one unit per burn-rate window of its enabled tiers. Each unit has its own
/// ``RuleAlertState``.
public struct RuleAlertUnit: Sendable {
    /// The rule the unit belongs to.
    public var rule: Rule
    /// The rule's position in its group, for a stable identity among rules of the same name.
    public var ruleIndex: Int
    /// For SLO units, the burn-rate window the unit watches.
    public var window: BurnRateWindow?
    /// The alert settings: the SLO window's labels and annotations for SLO units.
    public var spec: RuleAlertSpec

    /// The unit's identity within its group: what persisted alert state is keyed by, so that a
    /// reload keeps the state of a rule that is still there. `<index>:<alert>` for plain rules,
    /// `<index>:<alert>:<severity>:<window>` for SLO windows.
    public var key: String {
        var key = "\(ruleIndex):\(rule.alert)"
        if let window { key += ":\(window.severity.rawValue):\(window.name)" }
        return key
    }

    /// The series of the unit whose condition holds at `time`.
    public func evaluate(with evaluator: RuleEvaluator, at time: Date) async throws -> [RuleSample] {
        if let window, case .slo(let slo) = rule.kind {
            // `$labels` of an SLO alert's templates holds its generated labels.
            let labels = LabelSet(["slo": slo.name, "service": slo.service, "severity": window.severity.rawValue, "window": window.name])
            return try await evaluator.evaluate(slo, window: window, at: time).map { sample in
                var labelled = sample
                labelled.labels = labels.merging(sample.labels)
                return labelled
            }
        }
        return try await evaluator.evaluate(rule, at: time)
    }
}

/// What the server adds to every rule alert: the external labels and URL.
public struct RuleServerContext: Sendable, Hashable {
    /// Labels added to sent alerts that lack them; `$externalLabels` in templates.
    public var externalLabels: LabelSet
    /// The URL Vigil is reached at; `$externalURL`, and the base of generator URLs.
    public var externalURL: String

    /// No external labels; `externalURL` without a trailing slash.
    public init(externalLabels: LabelSet = [:], externalURL: String = "") {
        self.externalLabels = externalLabels
        var url = externalURL
        while url.hasSuffix("/") { url.removeLast() }
        self.externalURL = url
    }
}

extension RuleGroup {
    /// The group's units in rule order (an SLO's windows page first).
    public func alertUnits(context: RuleServerContext) -> [RuleAlertUnit] {
        var units: [RuleAlertUnit] = []
        for (index, rule) in rules.enumerated() {
            let base = RuleAlertSpec(
                alertName: rule.alert, labels: rule.labels, annotations: rule.annotations,
                forDuration: rule.forDuration, keepFiringFor: rule.keepFiringFor,
                generatorURL: Self.generatorURL(for: rule, context: context),
                externalLabels: context.externalLabels, externalURL: context.externalURL, limit: limit)
            guard case .slo = rule.kind else {
                units.append(RuleAlertUnit(rule: rule, ruleIndex: index, window: nil, spec: base))
                continue
            }
            for alert in rule.burnRateAlerts {
                var spec = base
                var labels = alert.labels
                labels.removeValue(forName: "alertname")
                spec.labels = labels
                spec.annotations = alert.annotations
                units.append(RuleAlertUnit(rule: rule, ruleIndex: index, window: alert.window, spec: spec))
            }
        }
        return units
    }

    /// A generator URL template into Vigil's API: the failed or slow traces of the rule's spans for
    /// RED and span SLO rules (with the alert's service when the rule groups by service), the
    /// metric's series for metric rules, the service list for no-data rules.
    static func generatorURL(for rule: Rule, context: RuleServerContext) -> String {
        let base = "{{ $externalURL }}"
        func services(_ fixed: [String], grouped: Bool) -> String {
            if grouped { return "&service={{ $labels.service | urlquery }}" }
            if fixed.count == 1 { return "&service=" + (fixed[0].addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) ?? "") }
            return ""
        }
        switch rule.kind {
        case .red(let red):
            let grouped = red.by.contains { $0.source == .service }
            let status = red.measure == .errorRatio ? "&status=error" : ""
            let slow = red.measure == .latency ? "&minDuration=\(Int64(red.threshold.value * 1_000))ms" : ""
            return base + "/api/v1/traces?limit=20" + services(red.spans.services, grouped: grouped) + status + slow
        case .slo(let slo):
            var url = base + "/api/v1/traces?limit=20" + services([slo.service], grouped: false)
            switch slo.indicator {
            case .availability(_, .statusError): url += "&status=error"
            case .latency(_, let threshold): url += "&minDuration=\(threshold.nanoseconds / 1_000_000)ms"
            default: url = base + "/api/v1/slos"
            }
            return url
        case .metric(let metric):
            return base + "/api/v1/metrics/series?name=" + (metric.series.metric.addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) ?? "")
        case .noData:
            return base + "/api/v1/services"
        }
    }
}

extension CharacterSet {
    /// Characters left as they are in a URL query value.
    static let urlQueryValueAllowed: CharacterSet = {
        var set = CharacterSet.urlQueryAllowed
        set.remove(charactersIn: "&=+#?")
        return set
    }()
}
