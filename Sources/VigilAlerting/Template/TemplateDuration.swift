/// Go's `time.Duration` (an `int64` count of nanoseconds) as templates see it: the result of
/// `since` and `.Sub`, printed as `1h2m3.5s`.
enum TemplateDuration {
    static let second: Int64 = 1_000_000_000

    /// Go's `Duration.String()`.
    static func string(_ nanoseconds: Int64) -> String {
        if nanoseconds == 0 { return "0s" }
        let negative = nanoseconds < 0
        let magnitude = nanoseconds.magnitude
        var text: String
        if magnitude < UInt64(second) {
            let (unit, precision): (String, Int) =
                magnitude < 1000 ? ("ns", 0) : magnitude < 1_000_000 ? ("µs", 3) : ("ms", 6)
            text = fraction(magnitude, precision: precision) + unit
        } else {
            let seconds = magnitude / UInt64(second)
            text = fraction(magnitude % UInt64(second) + seconds % 60 * UInt64(second), precision: 9) + "s"
            let minutes = seconds / 60
            if minutes > 0 {
                text = String(minutes % 60) + "m" + text
                let hours = minutes / 60
                if hours > 0 { text = String(hours) + "h" + text }
            }
        }
        return negative ? "-" + text : text
    }

    /// `value / 10^precision` with the fraction's trailing zeros (and a bare point) removed.
    private static func fraction(_ value: UInt64, precision: Int) -> String {
        var scale: UInt64 = 1
        for _ in 0..<precision { scale *= 10 }
        let whole = String(value / scale)
        guard precision > 0, value % scale != 0 else { return whole }
        var digits = String(value % scale)
        digits = String(repeating: "0", count: precision - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return whole + "." + digits
    }

    /// Go's `Duration.Round`: halfway values round away from zero; saturates instead of overflowing.
    static func round(_ value: Int64, to multiple: Int64) -> Int64 {
        guard multiple > 0 else { return value }
        var remainder = value % multiple
        if value < 0 {
            remainder = -remainder
            if remainder + remainder < multiple { return value + remainder }
            let (result, overflow) = value.subtractingReportingOverflow(multiple - remainder)
            return overflow ? Int64.min : result
        }
        if remainder + remainder < multiple { return value - remainder }
        let (result, overflow) = value.addingReportingOverflow(multiple - remainder)
        return overflow ? Int64.max : result
    }

    static func truncate(_ value: Int64, to multiple: Int64) -> Int64 {
        multiple > 0 ? value - value % multiple : value
    }
}
