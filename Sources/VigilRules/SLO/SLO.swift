import VigilAlerting

/// A service level objective (`slo:` in a rule group): the share of good events a service aims
/// for over a rolling period, its error budget, and the burn-rate alerts that watch the budget.
///
/// ```yaml
/// - slo:
///     name: checkout-availability
///     service: checkout
///     objective: 99.9
///     period: 30d
///     sli:
///       availability:
///         errors: {attribute: http.response.status_code, at_least: 500}
/// ```
public struct SLO: Sendable, Hashable {
    /// Unique across all rule files; the `slo` label of the SLO's alerts.
    public let name: String
    /// The service the SLO is about (its spans, by default its metrics); the `service` label.
    public let service: String
    /// The objective in percent, exactly as written (99.9).
    public let objective: ExactDecimal
    /// `100% - objective`, exact.
    public let errorBudget: ErrorBudget
    /// The rolling period the objective and the budget apply to; 30 days by default.
    public let period: Duration
    /// `sli`: what counts, and what is good.
    public let indicator: ServiceLevelIndicator
    /// `alerting.page`: the fast-burn tier.
    public let page: BurnRateTier
    /// `alerting.ticket`: the slow-burn tier.
    public let ticket: BurnRateTier
    /// The windows of the enabled tiers with their thresholds for ``period``: page first.
    public let burnRateWindows: [BurnRateWindow]

    /// `period` when an SLO gives none.
    public static let defaultPeriod: Duration = .seconds(30 * 86_400)
    /// The `alertname` of an SLO's alerts when the rule gives no `alert`.
    public static let defaultAlertName = "ErrorBudgetBurn"
    /// The labels every SLO alert carries besides `alertname`.
    public static let generatedLabelNames = ["slo", "service", "severity", "window"]

    /// Makes an SLO; `nil` unless 0 < objective < 100 and every window of an enabled tier has a
    /// threshold for `period` and is no longer than it.
    public init?(name: String, service: String, objective: ExactDecimal, period: Duration = SLO.defaultPeriod, indicator: ServiceLevelIndicator, page: BurnRateTier = BurnRateTier(severity: .page), ticket: BurnRateTier = BurnRateTier(severity: .ticket)) {
        guard let budget = ErrorBudget(objectivePercent: objective) else { return nil }
        var windows: [BurnRateWindow] = []
        for tier in [page, ticket] where tier.isEnabled {
            for window in tier.windows {
                guard window.longWindow <= period, let made = window.burnRateWindow(severity: tier.severity, period: period) else { return nil }
                windows.append(made)
            }
        }
        self.name = name
        self.service = service
        self.objective = objective
        self.errorBudget = budget
        self.period = period
        self.indicator = indicator
        self.page = page
        self.ticket = ticket
        self.burnRateWindows = windows
    }

    /// The tier of a severity.
    public func tier(_ severity: BurnRateWindow.Severity) -> BurnRateTier {
        switch severity {
        case .page: page
        case .ticket: ticket
        }
    }
}
