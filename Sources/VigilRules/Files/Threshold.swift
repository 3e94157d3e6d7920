/// The condition a rule's value must meet to produce an alert: `threshold: '> 0.05'`.
///
/// Written as an operator and a number in one quoted string (YAML reads an unquoted `>` as the
/// start of a folded text block). Where the rule allows it, the number may carry a unit: a
/// duration for latencies (`'> 300ms'`, compared in seconds) or `%` for ratios (`'> 5%'` is 0.05).
public struct Threshold: Sendable, Hashable, CustomStringConvertible {
    /// The comparison, as PromQL writes it.
    public enum Operator: String, Sendable, Hashable, CaseIterable {
        case greater = ">"
        case greaterOrEqual = ">="
        case less = "<"
        case lessOrEqual = "<="
        case equal = "=="
        case notEqual = "!="
    }

    /// Units the number may carry, per rule kind and measure.
    struct Units: OptionSet {
        let rawValue: Int
        /// A Prometheus duration such as `300ms` or `1m30s`; the value is in seconds.
        static let duration = Units(rawValue: 1)
        /// `5%` is 0.05.
        static let percent = Units(rawValue: 2)
    }

    /// How the value is compared with ``value``.
    public var `operator`: Operator
    /// The number compared with, in the measure's unit (seconds for latencies, 0...1 for ratios).
    public var value: Double
    /// The number as written, unit included (`300ms`, `5%`, `0.05`).
    public var text: String

    /// A condition; `text` is the number as written (default: `value` printed).
    public init(_ operator: Operator, _ value: Double, text: String? = nil) {
        self.operator = `operator`
        self.value = value
        self.text = text ?? Self.format(value)
    }

    /// True when `measured` meets the condition. A NaN meets only `!=`, as in PromQL.
    public func isMet(by measured: Double) -> Bool {
        switch `operator` {
        case .greater: measured > value
        case .greaterOrEqual: measured >= value
        case .less: measured < value
        case .lessOrEqual: measured <= value
        case .equal: measured == value
        case .notEqual: measured != value
        }
    }

    /// `> 0.05`.
    public var description: String { "\(`operator`.rawValue) \(text)" }

    // MARK: Parsing

    /// Reads `op number` with the units allowed, or says why it cannot.
    static func parse(_ text: String, units: Units) -> Result<Threshold, ThresholdSyntaxError> {
        let trimmed = text.trimmingSpaces()
        // Longest operators first, so `>=` is not read as `>` followed by `=`.
        let operators = Operator.allCases.sorted { $0.rawValue.count > $1.rawValue.count }
        guard let op = operators.first(where: { trimmed.hasPrefix($0.rawValue) }) else {
            return .failure(ThresholdSyntaxError(reason: "\"\(text)\" does not start with one of > >= < <= == !="))
        }
        let number = String(trimmed.dropFirst(op.rawValue.count)).trimmingSpaces()
        if let value = parseNumber(number) { return .success(Threshold(op, value, text: number)) }
        if units.contains(.percent), number.hasSuffix("%"), let percent = parseNumber(String(number.dropLast()).trimmingSpaces()) {
            return .success(Threshold(op, percent / 100, text: number))
        }
        if units.contains(.duration), let duration = PrometheusDuration.parse(number) {
            return .success(Threshold(op, Double(PrometheusDuration.milliseconds(of: duration)) / 1_000, text: number))
        }
        var expected = "a number"
        if units.contains(.duration) { expected += " or a duration such as 300ms" }
        if units.contains(.percent) { expected += " or a percentage such as 5%" }
        return .failure(ThresholdSyntaxError(reason: "\"\(number)\" after \(op.rawValue) is not \(expected)"))
    }

    struct ThresholdSyntaxError: Error {
        var reason: String
    }

    /// A decimal number: optional `-`, digits, optional fraction, optional exponent. No `inf`,
    /// `nan`, hexadecimal or `_`, which Swift's `Double(_:)` would otherwise accept.
    static func parseNumber(_ text: String) -> Double? {
        var bytes = Substring(text).utf8[...]
        if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        let mantissa = bytes.prefix { isDigit($0) || $0 == UInt8(ascii: ".") }
        guard mantissa.contains(where: isDigit), mantissa.filter({ $0 == UInt8(ascii: ".") }).count <= 1 else { return nil }
        var rest = bytes.dropFirst(mantissa.count)
        if let e = rest.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            rest = rest.dropFirst()
            if rest.first == UInt8(ascii: "-") || rest.first == UInt8(ascii: "+") { rest = rest.dropFirst() }
            guard !rest.isEmpty, rest.allSatisfy(isDigit) else { return nil }
        } else {
            guard rest.isEmpty else { return nil }
        }
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }

    /// Short text for messages: whole numbers without a fraction (`100`), others as Swift prints them.
    public static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
