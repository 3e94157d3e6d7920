import Foundation
import VigilModel

/// One entry of an Alertmanager `time_intervals` (or `mute_time_intervals`) list: times of day,
/// weekdays, days of the month, months and years, evaluated in a time zone. A named interval is a
/// list of these and is active when any of them contains the instant.
///
/// Named after Alertmanager's `timeinterval.TimeInterval`; the `Spec` suffix keeps it from
/// shadowing Foundation's `TimeInterval` (seconds) inside this module.
///
/// Each field follows Alertmanager 0.25 exactly: `nil` (the key absent or null in YAML) places no
/// restriction, while an empty list (`weekdays: []`) matches nothing. Build the ranges with the
/// `parse...` functions, which validate as Alertmanager does.
public struct TimeIntervalSpec: Sendable, Equatable {
    /// Ranges of minutes in the day; the instant's minute must fall in one of them.
    public var times: [TimeOfDayRange]?
    /// Ranges of weekdays; the instant's weekday must fall in one of them.
    public var weekdays: [WeekdayRange]?
    /// Ranges of days of the month, negative days counting back from the month's end.
    public var daysOfMonth: [DayOfMonthRange]?
    /// Ranges of months.
    public var months: [MonthRange]?
    /// Ranges of years.
    public var years: [YearRange]?
    /// The zone the fields are read in; UTC by default (Alertmanager evaluates in UTC when no
    /// `location` is given).
    public var location: TimeZone

    /// Makes an interval from validated ranges; every field defaults to "no restriction".
    public init(
        times: [TimeOfDayRange]? = nil,
        weekdays: [WeekdayRange]? = nil,
        daysOfMonth: [DayOfMonthRange]? = nil,
        months: [MonthRange]? = nil,
        years: [YearRange]? = nil,
        location: TimeZone = TimeIntervalSpec.utc
    ) {
        self.times = times
        self.weekdays = weekdays
        self.daysOfMonth = daysOfMonth
        self.months = months
        self.years = years
        self.location = location
    }

    /// UTC, the default `location`.
    public static let utc = TimeZone(secondsFromGMT: 0)!

    /// True when `date`, read as a wall-clock time in `location`, satisfies every field
    /// (Alertmanager's `ContainsTime`).
    public func contains(_ date: Date) -> Bool {
        let local = LocalTime(date, in: location)
        if let times, !times.contains(where: { local.minuteOfDay >= $0.startMinute && local.minuteOfDay < $0.endMinute }) {
            return false
        }
        if let daysOfMonth {
            let length = TimeIntervalSpec.daysInMonth(year: local.year, month: local.month, in: location)
            if !daysOfMonth.contains(where: { $0.contains(day: local.day, daysInMonth: length) }) { return false }
        }
        if let months, !months.contains(where: { local.month >= $0.begin && local.month <= $0.end }) {
            return false
        }
        if let weekdays, !weekdays.contains(where: { local.weekday >= $0.begin && local.weekday <= $0.end }) {
            return false
        }
        if let years, !years.contains(where: { local.year >= $0.begin && local.year <= $0.end }) {
            return false
        }
        return true
    }

    // MARK: Calendar arithmetic as Go's time package does it

    /// Wall-clock fields of an instant in a zone.
    struct LocalTime {
        var year: Int
        var month: Int
        var day: Int
        /// 0 = Sunday.
        var weekday: Int
        var minuteOfDay: Int

        init(_ date: Date, in zone: TimeZone) {
            let seconds = Int(date.timeIntervalSince1970.rounded(.down))
            let local = seconds + zone.secondsFromGMT(for: date)
            let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
            let date = CivilTime.date(ofDay: Int64(days))
            (year, month, day) = (Int(date.year), Int(date.month), Int(date.day))
            weekday = ((days + 4) % 7 + 7) % 7
            minuteOfDay = (local - days * 86_400) / 60
        }
    }

    /// Alertmanager's `daysInMonth`: whole days between midnight on the 1st and midnight on the 1st
    /// of the next month, in the zone. A month that loses an hour to daylight saving time therefore
    /// counts one day short (March 2024 in Europe/Berlin has 30), which moves negative days of the
    /// month and hides the 31st there, exactly as in Alertmanager.
    static func daysInMonth(year: Int, month: Int, in zone: TimeZone) -> Int {
        let start = goDate(year: year, month: month, day: 1, secondOfDay: 0, in: zone)
        // Go's AddDate(0, 1, 0) keeps the wall clock of `start`, which is not midnight when
        // midnight did not exist that day.
        let startLocal = start + zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(start)))
        let startSecondOfDay = ((startLocal % 86_400) + 86_400) % 86_400
        let end = goDate(year: year, month: month + 1, day: 1, secondOfDay: startSecondOfDay, in: zone)
        return (end - start) / 86_400
    }

    /// Go's `time.Date`: the Unix time of a wall-clock time (month may overflow into the year),
    /// resolving a skipped or repeated local time the way Go does.
    static func goDate(year: Int, month: Int, day: Int, secondOfDay: Int, in zone: TimeZone) -> Int {
        let monthIndex = month - 1
        let normalizedYear = year + (monthIndex >= 0 ? monthIndex / 12 : (monthIndex - 11) / 12)
        let normalizedMonth = ((monthIndex % 12) + 12) % 12 + 1
        let wall = Int(CivilTime.days(year: Int64(normalizedYear), month: Int64(normalizedMonth), day: Int64(day))) * 86_400 + secondOfDay
        var offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(wall)))
        if offset != 0 {
            let corrected = zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(wall - offset)))
            if corrected != offset { offset = corrected }
        }
        return wall - offset
    }
}
