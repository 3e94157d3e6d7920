import VigilAlerting

extension SLO {
    /// One alert an SLO rule produces: a burn-rate window with the alert's labels and annotation
    /// templates. It fires while the burn rate over both windows exceeds the threshold; its
    /// `$value` is the burn rate over the long window.
    public struct BurnRateAlert: Sendable, Hashable {
        /// The windows and the threshold the alert watches.
        public var window: BurnRateWindow
        /// `alertname`, the rule's labels, `slo`, `service`, `severity` (the tier's name unless the
        /// tier's labels replace it), `window`, then the tier's labels.
        public var labels: LabelSet
        /// The rule's annotations with the tier's on top.
        public var annotations: LabelSet
    }

    /// The alerts of this SLO for a rule named `alertName` with `labels` and `annotations`, one
    /// per window of each enabled tier, page first.
    public func burnRateAlerts(alertName: String, labels: LabelSet, annotations: LabelSet) -> [BurnRateAlert] {
        burnRateWindows.map { window in
            let tier = tier(window.severity)
            var alertLabels = labels
            alertLabels.updateValue(alertName, forName: "alertname")
            alertLabels.updateValue(name, forName: "slo")
            alertLabels.updateValue(service, forName: "service")
            alertLabels.updateValue(window.severity.rawValue, forName: "severity")
            alertLabels.updateValue(window.name, forName: "window")
            for (label, value) in tier.labels {
                if value.isEmpty { alertLabels.removeValue(forName: label) } else { alertLabels.updateValue(value, forName: label) }
            }
            return BurnRateAlert(window: window, labels: alertLabels, annotations: annotations.merging(tier.annotations))
        }
    }
}

extension Rule {
    /// For an SLO rule, its alerts (``SLO/burnRateAlerts(alertName:labels:annotations:)``); empty
    /// for other kinds.
    public var burnRateAlerts: [SLO.BurnRateAlert] {
        guard case .slo(let slo) = kind else { return [] }
        return slo.burnRateAlerts(alertName: alert, labels: labels, annotations: annotations)
    }
}
