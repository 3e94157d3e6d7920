/// A burn rate, kept as an exact fraction: how many times faster than "exactly spent at the end of
/// the period" an error budget is being used. A burn rate of 1 spends the budget in one period.
///
/// Thresholds such as 14.4 come out exact (72/5); thresholds that have no finite decimal, such as
/// 14/15 for 10% of a 28-day budget over 3 days, keep their exact fraction, and ``value`` is the
/// double nearest to it.
public struct BurnRate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The fraction in lowest terms; `denominator` is positive.
    public let numerator: Int64
    public let denominator: Int64

    /// `numerator / denominator` in lowest terms; `nil` unless `numerator >= 0` and `denominator > 0`.
    public init?(numerator: Int64, denominator: Int64) {
        guard numerator >= 0, denominator > 0 else { return nil }
        let divisor = Self.gcd(numerator, denominator)
        self.numerator = numerator / divisor
        self.denominator = denominator / divisor
    }

    /// The burn rate at which `budgetFraction` of the error budget is spent in `window` of a
    /// `period`: `budgetFraction × period / window` (0.02 × 30d / 1h = 14.4). `nil` when a
    /// duration is not positive or the fraction cannot be held in 64-bit integers.
    public init?(spending budgetFraction: ExactDecimal, of period: Duration, in window: Duration) {
        let periodMilliseconds = PrometheusDuration.milliseconds(of: period)
        let windowMilliseconds = PrometheusDuration.milliseconds(of: window)
        guard periodMilliseconds > 0, windowMilliseconds > 0, let scale = ExactDecimal.powerOfTen(budgetFraction.scale) else { return nil }
        // Cancel common factors first, so that long periods and fine fractions stay in range.
        let timeDivisor = Self.gcd(periodMilliseconds, windowMilliseconds)
        let (numerator, overflowN) = budgetFraction.units.multipliedReportingOverflow(by: periodMilliseconds / timeDivisor)
        let (denominator, overflowD) = scale.multipliedReportingOverflow(by: windowMilliseconds / timeDivisor)
        guard !overflowN, !overflowD else { return nil }
        self.init(numerator: numerator, denominator: denominator)
    }

    /// The double nearest to the fraction.
    public var value: Double { Double(numerator) / Double(denominator) }

    /// True when the fraction has a finite decimal expansion (14.4, 6, 0.7), false for 14/15.
    public var isFiniteDecimal: Bool {
        var rest = denominator
        while rest % 2 == 0 { rest /= 2 }
        while rest % 5 == 0 { rest /= 5 }
        return rest == 1
    }

    /// The exact decimal (`14.4`, `6`, `0.7`) when there is one, else the value rounded to six
    /// decimal places (`0.933333`).
    public var description: String {
        if isFiniteDecimal, let exact = exactDecimal { return exact.description }
        let (scaled, overflow) = numerator.multipliedReportingOverflow(by: 2_000_000)
        guard !overflow, let rounded = ExactDecimal(units: (scaled + denominator) / (2 * denominator), scale: 6) else {
            return String(value)
        }
        return rounded.description
    }

    /// The value as an ``ExactDecimal`` when the fraction has a finite decimal expansion.
    public var exactDecimal: ExactDecimal? {
        for places in 0...ExactDecimal.maximumScale {
            guard let power = ExactDecimal.powerOfTen(places) else { break }
            guard power % denominator == 0 else { continue }
            let (units, overflow) = numerator.multipliedReportingOverflow(by: power / denominator)
            return overflow ? nil : ExactDecimal(units: units, scale: places)
        }
        return nil
    }

    /// Compares the exact fractions.
    public static func < (lhs: BurnRate, rhs: BurnRate) -> Bool {
        let (left, overflowL) = lhs.numerator.multipliedReportingOverflow(by: rhs.denominator)
        let (right, overflowR) = rhs.numerator.multipliedReportingOverflow(by: lhs.denominator)
        if overflowL || overflowR { return lhs.value < rhs.value }
        return left < right
    }

    static func gcd(_ a: Int64, _ b: Int64) -> Int64 {
        var (a, b) = (abs(a), abs(b))
        while b != 0 { (a, b) = (b, a % b) }
        return max(a, 1)
    }
}
