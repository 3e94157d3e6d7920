import VigilAlerting

/// The `page` or `ticket` tier of an SLO's alerts, as configured under `slo.alerting`: whether it
/// alerts at all, the labels and annotations it adds, and its windows (the workbook's by default).
public struct BurnRateTier: Sendable, Hashable {
    /// One long window, its short window and the share of the budget it stands for.
    public struct Window: Sendable, Hashable {
        /// `long`: the window the burn rate is first measured over.
        public var longWindow: Duration
        /// `short`: the window that must also burn; `long / 12` by default.
        public var shortWindow: Duration
        /// The share of the period's error budget (0.02 for `budget: 2%`).
        public var budgetFraction: ExactDecimal

        /// A window as written under `windows`.
        public init(longWindow: Duration, shortWindow: Duration, budgetFraction: ExactDecimal) {
            self.longWindow = longWindow
            self.shortWindow = shortWindow
            self.budgetFraction = budgetFraction
        }

        /// The window with its threshold for an SLO period.
        public func burnRateWindow(severity: BurnRateWindow.Severity, period: Duration) -> BurnRateWindow? {
            BurnRateWindow(severity: severity, longWindow: longWindow, shortWindow: shortWindow, budgetFraction: budgetFraction, period: period)
        }
    }

    /// `page` or `ticket`: which key of `slo.alerting` this is.
    public var severity: BurnRateWindow.Severity
    /// `enabled`, default true. A disabled tier produces no alerts.
    public var isEnabled: Bool
    /// Labels added to the tier's alerts, over the rule's; may replace `severity`.
    public var labels: LabelSet
    /// Annotations added to the tier's alerts, over the rule's.
    public var annotations: LabelSet
    /// `windows`: the long and short windows and their budget shares.
    public var windows: [Window]

    /// A tier; `windows` `nil` means the workbook's windows for `severity`.
    public init(severity: BurnRateWindow.Severity, isEnabled: Bool = true, labels: LabelSet = [:], annotations: LabelSet = [:], windows: [Window]? = nil) {
        self.severity = severity
        self.isEnabled = isEnabled
        self.labels = labels
        self.annotations = annotations
        self.windows = windows ?? Self.workbookWindows(severity)
    }

    /// The workbook's windows: page 1h/5m at 2% and 6h/30m at 5%; ticket 1d/2h and 3d/6h at 10%.
    public static func workbookWindows(_ severity: BurnRateWindow.Severity) -> [Window] {
        let hour: Int64 = 3_600
        let percent = { (value: Int64) in ExactDecimal(units: value, scale: 2)! }
        switch severity {
        case .page:
            return [
                Window(longWindow: .seconds(hour), shortWindow: .seconds(hour / 12), budgetFraction: percent(2)),
                Window(longWindow: .seconds(6 * hour), shortWindow: .seconds(6 * hour / 12), budgetFraction: percent(5)),
            ]
        case .ticket:
            return [
                Window(longWindow: .seconds(24 * hour), shortWindow: .seconds(24 * hour / 12), budgetFraction: percent(10)),
                Window(longWindow: .seconds(72 * hour), shortWindow: .seconds(72 * hour / 12), budgetFraction: percent(10)),
            ]
        }
    }
}
