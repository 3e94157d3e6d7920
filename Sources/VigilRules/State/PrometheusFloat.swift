/// Sample values as Prometheus's API writes them: Go's `strconv.FormatFloat(v, 'e', -1, 64)`,
/// the shortest exponent form that reads back to the same number (`1e+00`, `5.5e-02`), and
/// `NaN`, `+Inf`, `-Inf`.
public enum PrometheusFloat {
    public static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        if value == 0 { return value.sign == .minus ? "-0e+00" : "0e+00" }
        // Swift prints the shortest round-trip digits; take them apart and write them Go's way.
        var text = "\(value.magnitude)"
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = String(text[..<e])
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let whole = String(parts[0]), fraction = parts.count > 1 ? String(parts[1]) : ""
        var digits = whole + fraction
        var pointAfter = whole.count  // the decimal point sits after this many digits
        while digits.hasPrefix("0"), digits.count > 1 {
            digits.removeFirst()
            pointAfter -= 1
        }
        while digits.hasSuffix("0"), digits.count > 1 { digits.removeLast() }
        exponent += pointAfter - 1
        var mantissa = String(digits.first!)
        if digits.count > 1 { mantissa += "." + digits.dropFirst() }
        let sign = exponent < 0 ? "-" : "+"
        let magnitude = abs(exponent)
        return (value < 0 ? "-" : "") + mantissa + "e" + sign + (magnitude < 10 ? "0" : "") + String(magnitude)
    }
}
