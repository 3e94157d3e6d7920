/// One alert of an SLO's multi-window, multi-burn-rate set (The Site Reliability Workbook,
/// chapter 5): it fires while the burn rate over both ``longWindow`` and ``shortWindow`` exceeds
/// ``burnRateThreshold``, the rate at which ``budgetFraction`` of the period's error budget is spent
/// in the long window.
///
/// For a 30-day period the workbook's set is:
///
/// | severity | long | short | budget | burn rate |
/// |---|---|---|---|---|
/// | page | 1h | 5m | 2% | 14.4 |
/// | page | 6h | 30m | 5% | 6 |
/// | ticket | 1d | 2h | 10% | 3 |
/// | ticket | 3d | 6h | 10% | 1 |
public struct BurnRateWindow: Sendable, Hashable {
    /// The tier of an alert: `page` wakes someone up, `ticket` can wait for working hours.
    public enum Severity: String, Sendable, Hashable, CaseIterable {
        case page, ticket
    }

    /// The tier the window belongs to; the default `severity` label.
    public let severity: Severity
    /// The window the burn rate must exceed the threshold over; the `window` label.
    public let longWindow: Duration
    /// The window that makes the alert stop soon after the burn stops; 1/12 of the long one by default.
    public let shortWindow: Duration
    /// The share of the period's error budget spent in the long window at the threshold (0.02 for 2%).
    public let budgetFraction: ExactDecimal
    /// `budgetFraction × period / longWindow`, exact.
    public let burnRateThreshold: BurnRate

    /// Makes a window for an SLO `period`; `nil` when a duration is not positive, the short window
    /// is not shorter than the long one, the budget fraction is 0 or above 1, or the threshold
    /// cannot be represented.
    public init?(severity: Severity, longWindow: Duration, shortWindow: Duration, budgetFraction: ExactDecimal, period: Duration) {
        guard shortWindow > .zero, shortWindow < longWindow, budgetFraction > ExactDecimal(0), budgetFraction <= ExactDecimal(1),
            let threshold = BurnRate(spending: budgetFraction, of: period, in: longWindow)
        else { return nil }
        self.severity = severity
        self.longWindow = longWindow
        self.shortWindow = shortWindow
        self.budgetFraction = budgetFraction
        self.burnRateThreshold = threshold
    }

    /// The value of the alerts' `window` label: the long window as Prometheus writes durations
    /// (`1h`, `6h`, `1d`, `3d`).
    public var name: String { PrometheusDuration.format(longWindow) }

    /// The workbook's four windows (page 1h and 6h, ticket 1d and 3d) with their thresholds for
    /// `period`: 14.4, 6, 3 and 1 for 30 days.
    public static func workbookSet(period: Duration) -> [BurnRateWindow] {
        BurnRateWindow.Severity.allCases.flatMap { severity in
            BurnRateTier.workbookWindows(severity).compactMap { $0.burnRateWindow(severity: severity, period: period) }
        }
    }
}
