/// A non-negative decimal number kept exactly as written: `units × 10^-scale`.
///
/// SLO objectives and error budgets are read from their text with it, so that `99.9` gives a
/// budget of exactly `0.001` rather than the `0.000999…` that `1 - 0.999` gives in binary floating
/// point. The value is always in lowest terms: `1.50` is stored as 15 × 10^-1 and printed `1.5`.
public struct ExactDecimal: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The digits as an integer.
    public let units: Int64
    /// How many of those digits are after the decimal point, 0...18.
    public let scale: Int

    /// The most digits after the decimal point that a value may have.
    public static let maximumScale = 18

    /// `units × 10^-scale`, reduced to lowest terms; `nil` when `scale` is outside 0...18 or
    /// `units` is negative.
    public init?(units: Int64, scale: Int) {
        guard units >= 0, (0...Self.maximumScale).contains(scale) else { return nil }
        var units = units
        var scale = scale
        while scale > 0, units % 10 == 0 {
            units /= 10
            scale -= 1
        }
        self.units = units
        self.scale = scale
    }

    /// A whole number.
    public init(_ integer: Int64) {
        precondition(integer >= 0, "ExactDecimal is non-negative")
        units = integer
        scale = 0
    }

    /// Parses plain decimal text: digits with an optional fraction (`99.9`, `0.5`, `100`, `.5`
    /// and `5.` are not accepted). No sign, exponent or separators; at most 18 digits in all.
    public init?(parsing text: some StringProtocol) {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.utf8.allSatisfy(Self.isDigit) else { return nil }
        let fraction = parts.count == 2 ? String(parts[1]) : ""
        guard parts.count == 1 || !fraction.isEmpty, fraction.utf8.allSatisfy(Self.isDigit) else { return nil }
        let digits = String(whole) + fraction
        // Leading zeros do not count towards the limit, so "0.0005" is fine.
        guard digits.drop(while: { $0 == "0" }).count <= 18, fraction.count <= Self.maximumScale,
            let units = Int64(digits)
        else { return nil }
        self.init(units: units, scale: fraction.count)
    }

    /// The nearest `Double`: the text is converted once, so `0.001` becomes the double closest
    /// to 0.001, exactly as the literal `0.001` would.
    public var doubleValue: Double {
        // The description is always plain decimal text, which Double parses correctly rounded.
        Double(description) ?? .nan
    }

    /// The shortest exact text: `99.9`, `0.001`, `100`.
    public var description: String {
        guard scale > 0 else { return String(units) }
        var digits = String(units)
        if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
        let point = digits.index(digits.endIndex, offsetBy: -scale)
        return digits[..<point] + "." + digits[point...]
    }

    // MARK: Arithmetic

    /// `self - other`, or `nil` when the result would be negative or not representable.
    public func subtracting(_ other: ExactDecimal) -> ExactDecimal? {
        guard let (left, right, scale) = Self.aligned(self, other), left >= right else { return nil }
        return ExactDecimal(units: left - right, scale: scale)
    }

    /// `self / 10^places`: `dividedByPowerOfTen(2)` turns a percentage into a fraction.
    public func dividedByPowerOfTen(_ places: Int) -> ExactDecimal? {
        ExactDecimal(units: units, scale: scale + places)
    }

    /// Compares the exact values.
    public static func < (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        guard let (left, right, _) = aligned(lhs, rhs) else {
            // Only values with 18+ digits fail to align; their doubles still order them.
            return lhs.doubleValue < rhs.doubleValue
        }
        return left < right
    }

    // MARK: Helpers

    /// Both values' units at the larger of the two scales.
    static func aligned(_ a: ExactDecimal, _ b: ExactDecimal) -> (Int64, Int64, Int)? {
        let scale = max(a.scale, b.scale)
        guard let left = scaled(a, to: scale), let right = scaled(b, to: scale) else { return nil }
        return (left, right, scale)
    }

    private static func scaled(_ value: ExactDecimal, to scale: Int) -> Int64? {
        guard let factor = powerOfTen(scale - value.scale) else { return nil }
        let (product, overflow) = value.units.multipliedReportingOverflow(by: factor)
        return overflow ? nil : product
    }

    /// 10^exponent for 0...18.
    static func powerOfTen(_ exponent: Int) -> Int64? {
        guard (0...18).contains(exponent) else { return nil }
        var result: Int64 = 1
        for _ in 0..<exponent { result *= 10 }
        return result
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
