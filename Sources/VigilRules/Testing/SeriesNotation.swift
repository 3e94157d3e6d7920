/// promtool's expanding notation for the values of input series (`values:`) and the counts of
/// input spans and log records (`count:`): items separated by white space, each expanding to one
/// or more values, one per step of the test's `interval`.
///
/// | Item | Expands to |
/// |---|---|
/// | `a` | `a` |
/// | `a+bxn` | `a a+b a+2b … a+nb`: n + 1 values |
/// | `a-bxn` | `a a-b a-2b … a-nb`: n + 1 values |
/// | `axn` | `a` n + 1 times (`a+0xn`) |
/// | `_` | one missing value |
/// | `_xn` | n missing values (not n + 1: a missing value cannot increase) |
/// | `stale` | a staleness marker |
///
/// Numbers are decimal with an optional sign, fraction and exponent, or `Inf` and `NaN` in any
/// case; increments are added one step at a time, as promtool adds them, so `0.1+0.1x2` ends with
/// `0.1 + 0.1 + 0.1`, not `0.1 + 2 × 0.1`. Hexadecimal numbers are refused, as in promtool
/// (`0x3` is `0` four times). Native histogram values (`{{…}}`) are refused.
public enum SeriesNotation {
    /// One expanded value.
    public enum Value: Sendable, Hashable, CustomStringConvertible {
        /// A number.
        case number(Double)
        /// `_`: no value at this step.
        case missing
        /// `stale`: Prometheus's staleness marker. Telemetry stored by Vigil has no such marker, so
        /// it reads as no value at this step.
        case stale

        /// The number, or `nil` for missing and stale values.
        public var number: Double? {
            if case .number(let value) = self { value } else { nil }
        }

        /// The value as it would be written: `_`, `stale` or the number.
        public var description: String {
            switch self {
            case .missing: "_"
            case .stale: "stale"
            case .number(let value): Threshold.format(value)
            }
        }
    }

    /// Why a text is not valid notation; the message names the item.
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        /// What is wrong, such as `"1+1" needs x and a repeat count, as in 1+1x3`.
        public var message: String

        /// An error with its message.
        public init(_ message: String) {
            self.message = message
        }

        /// The message.
        public var description: String { message }
    }

    /// The most values one text may expand to: enough for a month of one-minute steps many times
    /// over, and a guard against a typo such as `1x100000000`.
    public static let maximumValues = 1_000_000

    /// Expands `text`; an empty text has no values.
    ///
    /// - Throws: ``ParseError`` naming the first item that is not valid notation.
    public static func parse(_ text: String) throws(ParseError) -> [Value] {
        var values: [Value] = []
        for item in text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }) {
            let expanded = try expand(Substring(item))
            guard values.count + expanded.count <= maximumValues else {
                throw ParseError("expands to more than \(maximumValues) values")
            }
            values += expanded
        }
        return values
    }

    /// One item: `_`, `_xn`, a value, `axn`, `a+bxn` or `a-bxn`.
    private static func expand(_ item: Substring) throws(ParseError) -> [Value] {
        if item.hasPrefix("{{") {
            throw ParseError("\"\(item)\": native histogram values are not supported; give the histogram's buckets as series of type histogram_bucket")
        }
        var scanner = Scanner(item)
        if scanner.take("_") {
            guard !scanner.isAtEnd else { return [.missing] }
            guard scanner.take("x"), let count = scanner.count(), scanner.isAtEnd else {
                throw ParseError("\"\(item)\": a missing value is written _ or _xN, as in _x3")
            }
            return Array(repeating: .missing, count: count)
        }
        guard let first = scanner.value() else {
            throw ParseError("\"\(item)\" is not a number, _ or stale")
        }
        if scanner.isAtEnd { return [first] }
        var increment = 0.0
        if let sign = scanner.sign() {
            guard case .number = first else { throw ParseError("\"\(item)\": stale cannot be incremented") }
            guard let step = scanner.unsignedNumber() else {
                throw ParseError("\"\(item)\": expected a number after \(sign == 1 ? "+" : "-")")
            }
            increment = sign * step
            guard scanner.peek == "x" else {
                throw ParseError("\"\(item)\" needs x and a repeat count, as in 1+1x3")
            }
        }
        guard scanner.take("x") else {
            throw ParseError("\"\(item)\": expected x and a repeat count, as in 1+1x3 or 0x5")
        }
        guard let count = scanner.count() else {
            throw ParseError("\"\(item)\": x must be followed by a repeat count, as in 1+1x3")
        }
        guard scanner.isAtEnd else { throw ParseError("\"\(item)\": unexpected text after the repeat count") }
        guard count < maximumValues else { throw ParseError("expands to more than \(maximumValues) values") }
        guard case .number(var current) = first else { return Array(repeating: first, count: count + 1) }
        var values: [Value] = []
        values.reserveCapacity(count + 1)
        // promtool adds the increment step by step; so do we, so that floating point rounding agrees.
        for _ in 0...count {
            values.append(.number(current))
            current += increment
        }
        return values
    }

    /// Reads an item character by character.
    private struct Scanner {
        let text: [Character]
        var index = 0

        init(_ text: Substring) {
            self.text = Array(text)
        }

        var isAtEnd: Bool { index == text.count }
        var peek: Character? { index < text.count ? text[index] : nil }

        mutating func take(_ character: Character) -> Bool {
            guard peek == character else { return false }
            index += 1
            return true
        }

        /// `+` (1) or `-` (-1), if next.
        mutating func sign() -> Double? {
            if take("+") { return 1 }
            if take("-") { return -1 }
            return nil
        }

        /// A signed number or `stale`.
        mutating func value() -> Value? {
            let start = index
            let sign = self.sign() ?? 1
            if index == start, word().map({ $0 == "stale" }) == true { return .stale }
            index = start
            _ = self.sign()
            guard let number = unsignedNumber() else { return nil }
            return .number(sign * number)
        }

        /// Digits with an optional fraction and exponent, or `Inf`/`NaN` in any case. Letters
        /// after a number end it: `1x3` is `1` then `x3`.
        mutating func unsignedNumber() -> Double? {
            let start = index
            if let word = word() {
                switch word.lowercased() {
                case "inf": return .infinity
                case "nan": return .nan
                default:
                    index = start
                    return nil
                }
            }
            var digits = 0
            while let c = peek, c.isASCII, c.isNumber { index += 1; digits += 1 }
            if take(".") {
                while let c = peek, c.isASCII, c.isNumber { index += 1; digits += 1 }
            }
            guard digits > 0 else {
                index = start
                return nil
            }
            if peek == "e" || peek == "E" {
                let mark = index
                index += 1
                _ = sign()
                var exponentDigits = 0
                while let c = peek, c.isASCII, c.isNumber { index += 1; exponentDigits += 1 }
                if exponentDigits == 0 { index = mark }
            }
            return Double(String(text[start..<index]))
        }

        /// A run of letters (promtool reads `stale`, `Inf` and `NaN` as whole words, so `stalex3`
        /// is one unknown word).
        mutating func word() -> String? {
            let start = index
            while let c = peek, c.isASCII, c.isLetter { index += 1 }
            guard index > start else { return nil }
            return String(text[start..<index])
        }

        /// A repeat count: decimal digits.
        mutating func count() -> Int? {
            let start = index
            while let c = peek, c.isASCII, c.isNumber { index += 1 }
            guard index > start, index - start <= 9 else { return nil }
            return Int(String(text[start..<index]))
        }
    }
}
