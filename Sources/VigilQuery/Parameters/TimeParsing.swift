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

    /// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; `t`, `z` and a space for `T` are accepted too.
    static func rfc3339(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int64? {
            guard range.upperBound <= bytes.count else { return nil }
            var value: Int64 = 0
            for index in range {
                guard bytes[index] >= 48, bytes[index] <= 57 else { return nil }
                value = value * 10 + Int64(bytes[index] - 48)
            }
            return value
        }
        guard bytes.count >= 20, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            [UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")].contains(bytes[10]), bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        var fraction: Int64 = 0
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            var digits = 0
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                if digits < 9 { fraction = fraction * 10 + Int64(bytes[index] - 48) }
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            for _ in min(digits, 9)..<9 { fraction *= 10 }
        }
        guard index < bytes.count else { return nil }
        var offsetSeconds: Int64 = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard index + 1 == bytes.count else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard index + 6 == bytes.count, bytes[index + 3] == UInt8(ascii: ":"),
                let offsetHours = number(index + 1..<index + 3), let offsetMinutes = number(index + 4..<index + 6)
            else { return nil }
            offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * (bytes[index] == UInt8(ascii: "+") ? 1 : -1)
        default:
            return nil
        }
        let days = CivilTime.days(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        let (nanos, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? nil : nanos + fraction
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
