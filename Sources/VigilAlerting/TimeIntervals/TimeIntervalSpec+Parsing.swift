import Foundation

extension TimeIntervalSpec {
    /// Parses a `times` entry from its `start_time` and `end_time` (`""` for a missing key).
    ///
    /// Times are `HH:MM` with two-digit hours 00–23 and minutes 00–59, or exactly `24:00`; the
    /// start must be before the end.
    /// - Throws: `TimeIntervalError` `.invalidTime` with Alertmanager's message.
    public static func parseTimeRange(start: String, end: String) throws(TimeIntervalError) -> TimeOfDayRange {
        guard !start.isEmpty, !end.isEmpty else {
            throw TimeIntervalError(code: .invalidTime, text: start.isEmpty ? end : start, message: "both start and end times must be provided")
        }
        let startMinute = try parseClock(start)
        let endMinute = try parseClock(end)
        guard startMinute < endMinute else {
            throw TimeIntervalError(code: .invalidTime, text: "\(start)-\(end)", message: "start time cannot be equal or greater than end time")
        }
        return TimeOfDayRange(startMinute: startMinute, endMinute: endMinute)
    }

    /// Parses a `weekdays` entry: a day name or `first:last` (case-insensitive English names only,
    /// no numbers); the first day may not come after the last (`saturday:monday` is refused).
    /// - Throws: `TimeIntervalError` `.invalidWeekday` with Alertmanager's message.
    public static func parseWeekdayRange(_ text: String) throws(TimeIntervalError) -> WeekdayRange {
        let (begin, end) = try parseRange(text, code: .invalidWeekday) { (member) throws(TimeIntervalError) in
            guard let day = WeekdayRange.names.firstIndex(of: member) else {
                throw TimeIntervalError(code: .invalidWeekday, text: text, message: "\(member) is not a valid weekday")
            }
            return day
        }
        guard begin <= end else {
            throw TimeIntervalError(code: .invalidWeekday, text: text, message: "start day cannot be before end day")
        }
        return WeekdayRange(begin: begin, end: end)
    }

    /// Parses a `days_of_month` entry: `5`, `1:5`, `-1`, `-3:-1` or `1:-1`.
    ///
    /// Days are 1...31 or -31...-1; a negative start needs a negative end; and with a 28-day month
    /// as the yardstick the start may not come after the end (`28:-1` is refused, as in Alertmanager).
    /// - Throws: `TimeIntervalError` `.invalidDayOfMonth` with Alertmanager's message.
    public static func parseDayOfMonthRange(_ text: String) throws(TimeIntervalError) -> DayOfMonthRange {
        let code = TimeIntervalError.Code.invalidDayOfMonth
        let (begin, end) = try parseRange(text, code: code) { (member) throws(TimeIntervalError) in try atoi(member, text: text, code: code) }
        for day in [begin, end] where day == 0 || day < -31 || day > 31 {
            throw TimeIntervalError(code: code, text: text, message: "\(day) is not a valid day of the month: out of range")
        }
        if begin < 0 && end > 0 {
            throw TimeIntervalError(code: code, text: text, message: "end day must be negative if start day is negative")
        }
        if (begin < 0 ? 28 + begin : begin) > (end < 0 ? 28 + end : end) {
            throw TimeIntervalError(code: code, text: text, message: "end day \(end) is always before start day \(begin)")
        }
        return DayOfMonthRange(begin: begin, end: end)
    }

    /// Parses a `months` entry: names (case-insensitive) or numbers, alone or as `first:last`.
    ///
    /// As in Alertmanager 0.25, numbers are not range-checked (`13` is accepted and never matches);
    /// only a start after the end is refused.
    /// - Throws: `TimeIntervalError` `.invalidMonth` with Alertmanager's message.
    public static func parseMonthRange(_ text: String) throws(TimeIntervalError) -> MonthRange {
        let (begin, end) = try parseRange(text, code: .invalidMonth) { (member) throws(TimeIntervalError) in
            if let index = MonthRange.names.firstIndex(of: member) { return index + 1 }
            guard let number = goAtoi(member) else {
                throw TimeIntervalError(code: .invalidMonth, text: text, message: "\(member) is not a valid month")
            }
            return number
        }
        guard begin <= end else {
            let name = { (month: Int) in MonthRange.names.indices.contains(month - 1) ? MonthRange.names[month - 1] : "" }
            throw TimeIntervalError(code: .invalidMonth, text: text, message: "end month \(name(end)) is before start month \(name(begin))")
        }
        return MonthRange(begin: begin, end: end)
    }

    /// Parses a `years` entry: `2024` or `2024:2026` (any integers; the start may not come after the end).
    /// - Throws: `TimeIntervalError` `.invalidYear` with Alertmanager's message.
    public static func parseYearRange(_ text: String) throws(TimeIntervalError) -> YearRange {
        let code = TimeIntervalError.Code.invalidYear
        let (begin, end) = try parseRange(text, code: code) { (member) throws(TimeIntervalError) in try atoi(member, text: text, code: code) }
        guard begin <= end else {
            throw TimeIntervalError(code: code, text: text, message: "end year \(end) is before start year \(begin)")
        }
        return YearRange(begin: begin, end: end)
    }

    /// Parses a `location`: an IANA zone name (case-sensitive), `UTC` or `""` for UTC, or `Local`
    /// for the process's zone, as Go's `time.LoadLocation`.
    ///
    /// Names the zone database does not have by exactly that name are refused; in particular ICU's
    /// custom `GMT+2` (which Go reads as unknown) is not accepted.
    /// - Throws: `TimeIntervalError` `.invalidLocation`: `unknown time zone NAME`, or
    ///   `time: invalid location name` for names with `..` or a leading slash or backslash.
    public static func parseLocation(_ text: String) throws(TimeIntervalError) -> TimeZone {
        if text.isEmpty || text == "UTC" { return utc }
        if text == "Local" { return TimeZone.current }
        if text.contains("..") || text.hasPrefix("/") || text.hasPrefix("\\") {
            throw TimeIntervalError(code: .invalidLocation, text: text, message: "time: invalid location name")
        }
        guard let zone = TimeZone(identifier: text), zone.identifier == text else {
            throw TimeIntervalError(code: .invalidLocation, text: text, message: "unknown time zone \(text)")
        }
        return zone
    }

    // MARK: Helpers

    /// Alertmanager's `stringableRangeFromString`: lower-cases, then one member or `first:last`.
    private static func parseRange(
        _ text: String,
        code: TimeIntervalError.Code,
        member: (String) throws(TimeIntervalError) -> Int
    ) throws(TimeIntervalError) -> (Int, Int) {
        let lowered = text.lowercased()
        guard lowered.contains(":") else {
            let value = try member(lowered)
            return (value, value)
        }
        let parts = lowered.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw TimeIntervalError(code: code, text: text, message: "couldn't parse range \(lowered), invalid format")
        }
        return (try member(String(parts[0])), try member(String(parts[1])))
    }

    /// Go's `strconv.Atoi`, throwing its message.
    private static func atoi(_ text: String, text original: String, code: TimeIntervalError.Code) throws(TimeIntervalError) -> Int {
        if let value = goAtoi(text) { return value }
        var digits = Substring(text)
        if digits.hasPrefix("+") || digits.hasPrefix("-") { digits = digits.dropFirst() }
        let reason = !digits.isEmpty && digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) ? "value out of range" : "invalid syntax"
        throw TimeIntervalError(code: code, text: original, message: "strconv.Atoi: parsing \(GoQuoting.quote(text)): \(reason)")
    }

    /// Go's `strconv.Atoi` on success: an optional sign and ASCII digits fitting in 64 bits.
    private static func goAtoi(_ text: String) -> Int? {
        var digits = Substring(text)
        if digits.hasPrefix("+") || digits.hasPrefix("-") { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(text)
    }

    /// `HH:MM` (00:00–23:59) or `24:00` to minutes since midnight.
    private static func parseClock(_ text: String) throws(TimeIntervalError) -> Int {
        let bytes = Array(text.utf8)
        let digit = { (index: Int) -> Int? in bytes[index] >= 0x30 && bytes[index] <= 0x39 ? Int(bytes[index] - 0x30) : nil }
        if bytes.count == 5, bytes[2] == UInt8(ascii: ":"), let h1 = digit(0), let h2 = digit(1), let m1 = digit(3), let m2 = digit(4) {
            let hours = h1 * 10 + h2
            let minutes = m1 * 10 + m2
            if (hours < 24 && m1 < 6) || (hours == 24 && minutes == 0) { return hours * 60 + minutes }
        }
        throw TimeIntervalError(code: .invalidTime, text: text, message: "couldn't parse timestamp \(text), invalid format")
    }
}
