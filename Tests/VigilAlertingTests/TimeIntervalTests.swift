import Foundation
import Testing
@testable import VigilAlerting

@Suite struct TimeIntervalTests {
    /// One interval as the YAML scalars of its fields (`nil` = key absent).
    struct Interval: Sendable, CustomStringConvertible {
        var times: [(String, String)]? = nil
        var weekdays: [String]? = nil
        var daysOfMonth: [String]? = nil
        var months: [String]? = nil
        var years: [String]? = nil
        var location: String? = nil

        func parse() throws -> TimeIntervalSpec {
            var spec = TimeIntervalSpec()
            spec.times = try times?.map { try TimeIntervalSpec.parseTimeRange(start: $0.0, end: $0.1) }
            spec.weekdays = try weekdays?.map { try TimeIntervalSpec.parseWeekdayRange($0) }
            spec.daysOfMonth = try daysOfMonth?.map { try TimeIntervalSpec.parseDayOfMonthRange($0) }
            spec.months = try months?.map { try TimeIntervalSpec.parseMonthRange($0) }
            spec.years = try years?.map { try TimeIntervalSpec.parseYearRange($0) }
            if let location { spec.location = try TimeIntervalSpec.parseLocation(location) }
            return spec
        }

        var description: String {
            [times.map { "times \($0)" }, weekdays.map { "weekdays \($0)" }, daysOfMonth.map { "days_of_month \($0)" },
             months.map { "months \($0)" }, years.map { "years \($0)" }, location.map { "location \($0)" }]
                .compactMap { $0 }.joined(separator: ", ")
        }
    }

    static let businessHours = Interval(times: [("09:00", "17:00")], weekdays: ["monday:friday"])
    static let newYorkDay = Interval(times: [("09:00", "17:00")], location: "America/New_York")
    static let lateHour = Interval(times: [("23:00", "24:00")])
    static let berlinTwoAM = Interval(times: [("02:00", "03:00")], location: "Europe/Berlin")

    /// Every expectation was checked against Alertmanager 0.25's `ContainsTime`.
    @Test(arguments: [
        (businessHours, "2024-05-06T09:00:00Z", true),
        (businessHours, "2024-05-06T16:59:59Z", true),
        (businessHours, "2024-05-06T17:00:00Z", false),  // the end is exclusive
        (businessHours, "2024-05-06T08:59:59Z", false),
        (businessHours, "2024-05-04T10:00:00Z", false),  // Saturday
        (newYorkDay, "2024-05-06T13:00:00Z", true),  // 09:00 EDT
        (newYorkDay, "2024-05-06T12:59:00Z", false),
        (newYorkDay, "2024-01-08T13:30:00Z", false),  // 08:30 EST
        (newYorkDay, "2024-01-08T14:00:00Z", true),
        (lateHour, "2024-05-06T23:59:59Z", true),
        (lateHour, "2024-05-07T00:00:00Z", false),
        (Interval(weekdays: ["sunday"], location: "Asia/Tokyo"), "2024-05-04T15:00:00Z", true),  // already Sunday in Tokyo
        (Interval(weekdays: ["sunday"], location: "Asia/Tokyo"), "2024-05-04T14:59:59Z", false),
        (berlinTwoAM, "2024-10-27T00:30:00Z", true),  // 02:30 CEST
        (berlinTwoAM, "2024-10-27T01:30:00Z", true),  // 02:30 CET, the repeated hour
        (berlinTwoAM, "2024-03-31T01:00:00Z", false),  // 03:00 CEST, the skipped hour
        (Interval(times: [("00:00", "00:15")], location: "Asia/Kathmandu"), "2024-01-01T18:15:00Z", true),
        (Interval(daysOfMonth: ["-1"]), "2024-02-29T12:00:00Z", true),
        (Interval(daysOfMonth: ["-1"]), "2024-02-28T12:00:00Z", false),
        (Interval(daysOfMonth: ["-1"]), "2023-02-28T12:00:00Z", true),
        (Interval(daysOfMonth: ["-1"]), "2024-04-30T12:00:00Z", true),
        (Interval(daysOfMonth: ["-3:-1"]), "2024-02-27T00:00:00Z", true),
        (Interval(daysOfMonth: ["-3:-1"]), "2024-02-26T23:59:59Z", false),
        (Interval(daysOfMonth: ["1:-1"]), "2024-07-15T00:00:00Z", true),
        (Interval(daysOfMonth: ["25:31"]), "2023-02-28T00:00:00Z", true),  // clamped to the month
        (Interval(daysOfMonth: ["30:31"]), "2023-02-28T00:00:00Z", false),  // starts after the month
        (Interval(daysOfMonth: ["-31:-29"]), "2023-02-01T00:00:00Z", false),
        (Interval(daysOfMonth: ["-31:-29"]), "2024-02-01T00:00:00Z", true),
        (Interval(daysOfMonth: ["-31:-29"]), "2024-03-01T00:00:00Z", true),
        // Alertmanager counts whole 24-hour days, so March in Berlin (743 hours) has 30 days.
        (Interval(daysOfMonth: ["-1"], location: "Europe/Berlin"), "2024-03-31T10:00:00Z", false),
        (Interval(daysOfMonth: ["-1"], location: "Europe/Berlin"), "2024-03-30T10:00:00Z", true),
        (Interval(daysOfMonth: ["31"], location: "Europe/Berlin"), "2024-03-31T10:00:00Z", false),
        (Interval(daysOfMonth: ["31"]), "2024-03-31T10:00:00Z", true),
        (Interval(daysOfMonth: ["-1"], location: "Europe/Berlin"), "2024-10-31T10:00:00Z", true),
        (Interval(daysOfMonth: ["1"], location: "Pacific/Auckland"), "2024-01-31T12:00:00Z", true),
        (Interval(months: ["november:december", "january"]), "2024-01-15T00:00:00Z", true),
        (Interval(months: ["november:december", "january"]), "2024-02-15T00:00:00Z", false),
        (Interval(months: ["13"]), "2024-01-15T00:00:00Z", false),
        (Interval(years: ["2024:2025"]), "2025-12-31T23:59:59Z", true),
        (Interval(years: ["2024:2025"]), "2026-01-01T00:00:00Z", false),
        (Interval(weekdays: []), "2024-05-06T09:00:00Z", false),  // an empty list matches nothing
        (Interval(), "2024-05-06T09:00:00Z", true),
    ])
    func containsLikeAlertmanager(interval: Interval, instant: String, contained: Bool) throws {
        let date = try #require(ISO8601DateFormatter().date(from: instant))
        #expect(try interval.parse().contains(date) == contained)
    }

    @Test(arguments: [
        ("09:00", "17:00", 540, 1020), ("00:00", "24:00", 0, 1440), ("23:59", "24:00", 1439, 1440), ("00:00", "00:01", 0, 1),
    ])
    func parsesTimesOfDay(start: String, end: String, startMinute: Int, endMinute: Int) throws {
        #expect(try TimeIntervalSpec.parseTimeRange(start: start, end: end) == .init(startMinute: startMinute, endMinute: endMinute))
    }

    @Test(arguments: [
        ("9:00", "17:00", "couldn't parse timestamp 9:00, invalid format"),
        ("00:00", "24:01", "couldn't parse timestamp 24:01, invalid format"),
        ("00:60", "01:00", "couldn't parse timestamp 00:60, invalid format"),
        ("25:00", "26:00", "couldn't parse timestamp 25:00, invalid format"),
        ("00:00 ", "01:00", "couldn't parse timestamp 00:00 , invalid format"),
        ("10:00", "10:00", "start time cannot be equal or greater than end time"),
        ("24:00", "24:00", "start time cannot be equal or greater than end time"),
        ("10:00", "09:59", "start time cannot be equal or greater than end time"),
        ("", "10:00", "both start and end times must be provided"),
        ("10:00", "", "both start and end times must be provided"),
    ])
    func rejectsBadTimes(start: String, end: String, message: String) {
        expectError(.invalidTime, message) { try TimeIntervalSpec.parseTimeRange(start: start, end: end) }
    }

    @Test(arguments: [
        ("monday", 1, 1), ("Monday", 1, 1), ("MONDAY:friday", 1, 5), ("sunday:saturday", 0, 6), ("friday:friday", 5, 5),
    ])
    func parsesWeekdays(text: String, begin: Int, end: Int) throws {
        #expect(try TimeIntervalSpec.parseWeekdayRange(text) == .init(begin: begin, end: end))
    }

    @Test(arguments: [
        ("saturday:monday", "start day cannot be before end day"),
        ("mon", "mon is not a valid weekday"),
        ("1", "1 is not a valid weekday"),
        ("Funday", "funday is not a valid weekday"),
        ("monday:", " is not a valid weekday"),
        ("monday:tuesday:wednesday", "couldn't parse range monday:tuesday:wednesday, invalid format"),
    ])
    func rejectsBadWeekdays(text: String, message: String) {
        expectError(.invalidWeekday, message) { try TimeIntervalSpec.parseWeekdayRange(text) }
    }

    @Test(arguments: [
        ("1", 1, 1), ("31", 31, 31), ("-1", -1, -1), ("1:5", 1, 5), ("-3:-1", -3, -1), ("1:-1", 1, -1), ("27:-1", 27, -1),
        ("-31:-1", -31, -1), ("+3", 3, 3), ("03", 3, 3),
    ])
    func parsesDaysOfMonth(text: String, begin: Int, end: Int) throws {
        #expect(try TimeIntervalSpec.parseDayOfMonthRange(text) == .init(begin: begin, end: end))
    }

    @Test(arguments: [
        ("0", "0 is not a valid day of the month: out of range"),
        ("32", "32 is not a valid day of the month: out of range"),
        ("-32", "-32 is not a valid day of the month: out of range"),
        ("-1:5", "end day must be negative if start day is negative"),
        ("5:1", "end day 1 is always before start day 5"),
        ("-1:-3", "end day -3 is always before start day -1"),
        ("28:-1", "end day -1 is always before start day 28"),
        ("x", #"strconv.Atoi: parsing "x": invalid syntax"#),
        (" 3", #"strconv.Atoi: parsing " 3": invalid syntax"#),
        ("99999999999999999999", #"strconv.Atoi: parsing "99999999999999999999": value out of range"#),
        ("1:2:3", "couldn't parse range 1:2:3, invalid format"),
    ])
    func rejectsBadDaysOfMonth(text: String, message: String) {
        expectError(.invalidDayOfMonth, message) { try TimeIntervalSpec.parseDayOfMonthRange(text) }
    }

    /// Alertmanager 0.25 does not range-check numeric months.
    @Test(arguments: [
        ("may", 5, 5), ("MAY", 5, 5), ("5", 5, 5), ("january:december", 1, 12), ("march:5", 3, 5), ("13", 13, 13), ("0:3", 0, 3), ("may:13", 5, 13),
    ])
    func parsesMonths(text: String, begin: Int, end: Int) throws {
        #expect(try TimeIntervalSpec.parseMonthRange(text) == .init(begin: begin, end: end))
    }

    @Test(arguments: [
        ("May:march", "end month march is before start month may"),
        ("13:may", "end month may is before start month "),
        ("juni", "juni is not a valid month"),
        ("", " is not a valid month"),
    ])
    func rejectsBadMonths(text: String, message: String) {
        expectError(.invalidMonth, message) { try TimeIntervalSpec.parseMonthRange(text) }
    }

    @Test func parsesAndRejectsYears() throws {
        #expect(try TimeIntervalSpec.parseYearRange("2024:2026") == .init(begin: 2024, end: 2026))
        #expect(try TimeIntervalSpec.parseYearRange("-5:3") == .init(begin: -5, end: 3))
        expectError(.invalidYear, "end year 2019 is before start year 2020") { try TimeIntervalSpec.parseYearRange("2020:2019") }
        expectError(.invalidYear, #"strconv.Atoi: parsing "x": invalid syntax"#) { try TimeIntervalSpec.parseYearRange("x") }
    }

    @Test(arguments: [("", 0), ("UTC", 0), ("Europe/Berlin", 3600), ("EST", -18000), ("Etc/GMT+2", -7200), ("Asia/Kathmandu", 20700)])
    func parsesLocations(text: String, januaryOffset: Int) throws {
        let zone = try TimeIntervalSpec.parseLocation(text)
        #expect(zone.secondsFromGMT(for: Date(timeIntervalSince1970: 1_704_067_200)) == januaryOffset)
    }

    @Test(arguments: [
        ("europe/berlin", "unknown time zone europe/berlin"),
        ("GMT+2", "unknown time zone GMT+2"),
        ("UTC+2", "unknown time zone UTC+2"),
        ("Nope/Nope", "unknown time zone Nope/Nope"),
        ("Europe/London ", "unknown time zone Europe/London "),
        ("../x", "time: invalid location name"),
        ("/etc/localtime", "time: invalid location name"),
    ])
    func rejectsUnknownLocations(text: String, message: String) {
        expectError(.invalidLocation, message) { try TimeIntervalSpec.parseLocation(text) }
    }

    @Test func errorsNameTheInput() {
        let error = TimeIntervalError(code: .invalidWeekday, text: "saturday:monday", message: "start day cannot be before end day")
        #expect(error.description == #"start day cannot be before end day ("saturday:monday")"#)
        let named = TimeIntervalError(code: .invalidWeekday, text: "mon", message: "mon is not a valid weekday")
        #expect(named.description == "mon is not a valid weekday")
    }

    @Test func rangesPrintAsAlertmanagerWritesThem() {
        #expect(TimeIntervalSpec.TimeOfDayRange(startMinute: 540, endMinute: 1440).description == "09:00-24:00")
        #expect(TimeIntervalSpec.WeekdayRange(begin: 1, end: 5).description == "monday:friday")
        #expect(TimeIntervalSpec.WeekdayRange(begin: 6, end: 6).description == "saturday")
        #expect(TimeIntervalSpec.DayOfMonthRange(begin: -3, end: -1).description == "-3:-1")
        #expect(TimeIntervalSpec.MonthRange(begin: 5, end: 5).description == "5")
    }

    private func expectError<T>(_ code: TimeIntervalError.Code, _ message: String, _ body: () throws -> T) {
        do {
            _ = try body()
            Issue.record("accepted; expected \(message)")
        } catch let error as TimeIntervalError {
            #expect(error.code == code)
            #expect(error.message == message)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
