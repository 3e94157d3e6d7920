/// The share of events an SLO allows to be bad: `1 - objective`, computed exactly from the
/// objective's text, so that 99.9 gives exactly 0.001 (not the 0.000999… of `1 - 0.999` in binary).
public struct ErrorBudget: Sendable, Hashable, CustomStringConvertible {
    /// The budget as a fraction of all events: 0.001 for an objective of 99.9.
    public let fraction: ExactDecimal
    /// The budget in percent: 0.1 for an objective of 99.9.
    public let percent: ExactDecimal

    /// The budget of an objective given in percent; `nil` unless 0 < objective < 100.
    public init?(objectivePercent objective: ExactDecimal) {
        guard objective > ExactDecimal(0), let percent = ExactDecimal(100).subtracting(objective), percent > ExactDecimal(0),
            let fraction = percent.dividedByPowerOfTen(2)
        else { return nil }
        self.fraction = fraction
        self.percent = percent
    }

    /// The fraction as the nearest `Double` (for 99.9, the double nearest to 0.001), for computing
    /// burn rates: `error ratio / value`.
    public var value: Double { fraction.doubleValue }

    /// The fraction as exact text: `0.001`.
    public var description: String { fraction.description }
}
