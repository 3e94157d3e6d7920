import Foundation
import VigilModel

/// The API's time and duration formats.
enum TimeParsing {
    /// RFC 3339, Unix seconds (below 1e11, fraction allowed) or Unix nanoseconds (integer ≥ 1e17).
    static func unixNanos(_ text: String) -> Int64? {
        let isNumber = !text.isEmpty && text.enumerated().allSatisfy { index, character in
            character.isASCII && (character.isNumber || character == "." || (character == "-" && index == 0))
        }
        guard isNumber else { return rfc3339(text) }
        if !text.contains("."), let integer = Int64(text), integer >= 100_000_000_000_000_000 { return integer }
        guard let value = Double(text), abs(value) < 1e11 else { return nil }
        return seconds(text)
    }

    /// Decimal seconds to nanoseconds without going through a Double (keeps every digit up to ns).
    private static func seconds(_ text: String) -> Int64? {
        let negative = text.hasPrefix("-")
        let digits = negative ? text.dropFirst() : Substring(text)
        let parts = digits.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts[0].isEmpty ? 0 : Int64(parts[0]) else { return nil }
        var fraction: Int64 = 0
        if parts.count == 2 {
            let fractionDigits = parts[1].prefix(9)
            guard parts[1].allSatisfy(\.isNumber), !(parts[0].isEmpty && parts[1].isEmpty) else { return nil }
            fraction = Int64(fractionDigits.padding(toLength: 9, withPad: "0", startingAt: 0)) ?? 0
        }
        // Beyond ±9.2e9 seconds (the year 2262) nanoseconds do not fit in 64 bits.
        let (scaled, overflow) = whole.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow, scaled <= Int64.max - fraction else { return nil }
        let value = scaled + fraction
        return negative ? -value : value
    }

    /// An RFC 3339 time as Unix nanoseconds; `nil` when it is not one or lies outside 1677–2262.
    static func rfc3339(_ text: String) -> Int64? {
        guard let (seconds, nanosecond) = CivilTime.unixTime(rfc3339: text) else { return nil }
        let (nanos, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? nil : nanos + nanosecond
    }

    /// Go-style durations (`250ms`, `1.5s`, `1h30m`; units ns, us, µs, ms, s, m, h) or a plain
    /// number of seconds. Negative durations are refused.
    static func durationNanos(_ text: String) -> Int64? {
        if let seconds = Double(text), text.allSatisfy({ $0.isNumber || $0 == "." }) {
            guard seconds.isFinite, seconds >= 0, seconds < 9e9 else { return nil }
            return Int64((seconds * 1e9).rounded())
        }
        let units: [(String, Double)] = [("ns", 1), ("us", 1e3), ("µs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9)]
        var rest = Substring(text)
        var total = 0.0
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let numberPart = rest.prefix { $0.isNumber || $0 == "." }
            guard !numberPart.isEmpty, let value = Double(numberPart) else { return nil }
            rest = rest.dropFirst(numberPart.count)
            guard let unit = units.filter({ rest.hasPrefix($0.0) }).max(by: { $0.0.count < $1.0.count }) else { return nil }
            rest = rest.dropFirst(unit.0.count)
            total += value * unit.1
        }
        guard total.isFinite, total < 9e18 else { return nil }
        return Int64(total.rounded())
    }
}
