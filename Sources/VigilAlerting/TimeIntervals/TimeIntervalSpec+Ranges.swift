extension TimeIntervalSpec {
    /// A `times` entry: minutes since midnight, `startMinute` included, `endMinute` excluded
    /// (`"17:00"`–`"24:00"` is 1020..<1440).
    public struct TimeOfDayRange: Sendable, Hashable, CustomStringConvertible {
        public var startMinute: Int
        public var endMinute: Int

        /// Makes a range without validation; `parseTimeRange(start:end:)` validates.
        public init(startMinute: Int, endMinute: Int) {
            self.startMinute = startMinute
            self.endMinute = endMinute
        }

        /// `HH:MM-HH:MM`.
        public var description: String {
            Self.clock(startMinute) + "-" + Self.clock(endMinute)
        }

        /// `HH:MM`, as Alertmanager writes `start_time` and `end_time` back.
        public static func clock(_ minute: Int) -> String {
            let hours = String(minute / 60)
            let minutes = String(minute % 60)
            return String(repeating: "0", count: max(0, 2 - hours.count)) + hours + ":" + String(repeating: "0", count: max(0, 2 - minutes.count)) + minutes
        }
    }

    /// A `weekdays` entry: an inclusive range of days, 0 = Sunday ... 6 = Saturday.
    public struct WeekdayRange: Sendable, Hashable, CustomStringConvertible {
        public var begin: Int
        public var end: Int

        /// Makes a range without validation; `parseWeekdayRange(_:)` validates.
        public init(begin: Int, end: Int) {
            self.begin = begin
            self.end = end
        }

        /// Lower-case English names, indexed by day number.
        public static let names = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]

        /// `monday:friday`, or one name for a single day.
        public var description: String {
            let first = Self.names.indices.contains(begin) ? Self.names[begin] : String(begin)
            let last = Self.names.indices.contains(end) ? Self.names[end] : String(end)
            return begin == end ? first : first + ":" + last
        }
    }

    /// A `days_of_month` entry: an inclusive range where negative days count back from the end of
    /// the month (-1 is the last day).
    public struct DayOfMonthRange: Sendable, Hashable, CustomStringConvertible {
        public var begin: Int
        public var end: Int

        /// Makes a range without validation; `parseDayOfMonthRange(_:)` validates.
        public init(begin: Int, end: Int) {
            self.begin = begin
            self.end = end
        }

        /// `1:5`, `-3:-1`, or one number.
        public var description: String { TimeIntervalSpec.rangeText(begin, end) }

        /// Alertmanager's test: negative days resolved against the month's length, a range that
        /// starts after the month's end skipped, then both ends clamped to the month.
        func contains(day: Int, daysInMonth: Int) -> Bool {
            var first = begin < 0 ? daysInMonth + begin + 1 : begin
            var last = end < 0 ? daysInMonth + end + 1 : end
            if first > daysInMonth { return false }
            first = min(max(first, -daysInMonth), daysInMonth)
            last = min(max(last, -daysInMonth), daysInMonth)
            return day >= first && day <= last
        }
    }

    /// A `months` entry: an inclusive range, 1 = January.
    ///
    /// Alertmanager 0.25 accepts any integers here (`"13"`, `"0:3"`); months outside 1...12 never match.
    public struct MonthRange: Sendable, Hashable, CustomStringConvertible {
        public var begin: Int
        public var end: Int

        /// Makes a range without validation; `parseMonthRange(_:)` validates.
        public init(begin: Int, end: Int) {
            self.begin = begin
            self.end = end
        }

        /// Lower-case English names; index 0 is January.
        public static let names = [
            "january", "february", "march", "april", "may", "june",
            "july", "august", "september", "october", "november", "december",
        ]

        /// `3:5` or one number, as Alertmanager writes months back (numbers, not names).
        public var description: String { TimeIntervalSpec.rangeText(begin, end) }
    }

    /// A `years` entry: an inclusive range of years.
    public struct YearRange: Sendable, Hashable, CustomStringConvertible {
        public var begin: Int
        public var end: Int

        /// Makes a range without validation; `parseYearRange(_:)` validates.
        public init(begin: Int, end: Int) {
            self.begin = begin
            self.end = end
        }

        /// `2024:2026` or one year.
        public var description: String { TimeIntervalSpec.rangeText(begin, end) }
    }

    static func rangeText(_ begin: Int, _ end: Int) -> String {
        begin == end ? String(begin) : "\(begin):\(end)"
    }
}
