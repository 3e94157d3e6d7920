import VigilAlerting
import VigilRules

/// A one-line description of what a rule evaluates: the `query` of `GET /api/v1/rules`, written
/// in PromQL's spirit (`red error_ratio{service="checkout"}[5m] by (operation) > 5%`).
enum RuleSummary {
    static func query(for unit: RuleAlertUnit) -> String {
        switch unit.rule.kind {
        case .red(let red):
            var selector = LabelSet()
            if !red.spans.services.isEmpty { selector.updateValue(red.spans.services.joined(separator: "|"), forName: "service") }
            if !red.spans.operations.isEmpty { selector.updateValue(red.spans.operations.joined(separator: "|"), forName: "operation") }
            let quantile = red.quantile.map { " q\(Threshold.format($0))" } ?? ""
            return "red \(red.measure.rawValue)\(quantile)\(braces(selector, red.spans.attributeMatchers))[\(PrometheusDuration.format(red.window))]\(by(red.by)) \(red.threshold)"
        case .metric(let metric):
            let quantile = metric.quantile.map { " q\(Threshold.format($0))" } ?? ""
            var selector = LabelSet()
            if !metric.series.services.isEmpty { selector.updateValue(metric.series.services.joined(separator: "|"), forName: "service") }
            return "metric \(metric.aggregation.rawValue)(\(metric.measure.rawValue)\(quantile) \(metric.series.metric)\(braces(selector, metric.series.attributeMatchers))[\(PrometheusDuration.format(metric.window))])\(by(metric.by)) \(metric.threshold)"
        case .noData(let rule):
            var selector = LabelSet()
            if !rule.services.isEmpty { selector.updateValue(rule.services.joined(separator: "|"), forName: "service") }
            if let name = rule.metric { selector.updateValue(name, forName: "metric") }
            return "no_data \(rule.signal.rawValue)\(braces(selector, rule.attributeMatchers))\(by(rule.by)) for \(PrometheusDuration.format(rule.absentFor))"
        case .slo(let slo):
            guard let window = unit.window else { return "slo \(slo.name)" }
            return "slo \(slo.name) \(slo.indicator.key) burn rate over \(window.name) and \(PrometheusDuration.format(window.shortWindow)) > \(window.burnRateThreshold.value)"
        }
    }

    private static func braces(_ labels: LabelSet, _ matchers: Matchers) -> String {
        let parts = labels.map { "\($0.name)=\"\($0.value)\"" } + matchers.map(\.description)
        return parts.isEmpty ? "" : "{" + parts.joined(separator: ", ") + "}"
    }

    private static func by(_ labels: [GroupingLabel]) -> String {
        labels.isEmpty ? "" : " by (" + labels.map(\.key).joined(separator: ", ") + ")"
    }
}
