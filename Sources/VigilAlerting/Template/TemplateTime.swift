import Foundation
import VigilModel

/// A Go `time.Time` as templates see it: an instant with nanoseconds and the zone it is shown in.
///
/// Alert times arrive as `Date`s in UTC, as Alertmanager's do (Prometheus sends RFC 3339 times in
/// UTC). `Date` holds a `Double`, so the fraction is rounded to whole microseconds to keep
/// millisecond timestamps from printing as `.122999906`.
struct TemplateTime: Sendable, Equatable {
    /// Seconds since 1970-01-01T00:00:00Z.
    var unixSeconds: Int64
    /// 0..<1_000_000_000.
    var nanosecond: Int64
    /// Seconds east of UTC.
    var offset: Int
    /// The zone abbreviation Go prints for `MST`; "" prints the offset instead.
    var zoneName: String

    /// Go's zero time, 0001-01-01 00:00:00 UTC: what an unset `EndsAt` prints as.
    static let zero = TemplateTime(unixSeconds: -62_135_596_800, nanosecond: 0, offset: 0, zoneName: "UTC")

    init(unixSeconds: Int64, nanosecond: Int64, offset: Int = 0, zoneName: String = "UTC") {
        self.unixSeconds = unixSeconds
        self.nanosecond = nanosecond
        self.offset = offset
        self.zoneName = zoneName
    }

    init(_ date: Date) {
        let interval = date.timeIntervalSinceReferenceDate
        let whole = interval.rounded(.down)
        var micros = Int64(((interval - whole) * 1_000_000).rounded())
        var seconds = Int64(whole) + 978_307_200
        if micros >= 1_000_000 {
            micros -= 1_000_000
            seconds += 1
        }
        self.init(unixSeconds: seconds, nanosecond: micros * 1000)
    }

    var date: Date {
        Date(timeIntervalSince1970: Double(unixSeconds) + Double(nanosecond) / 1e9)
    }

    var isZero: Bool { unixSeconds == Self.zero.unixSeconds && nanosecond == 0 }

    var utc: TemplateTime {
        TemplateTime(unixSeconds: unixSeconds, nanosecond: nanosecond)
    }

    /// The same instant shown in `zone`, named as the system's zoneinfo names it.
    func converted(to zone: TimeZone) -> TemplateTime {
        let instant = date
        let offset = zone.secondsFromGMT(for: instant)
        let name = TemplateTimeZone.abbreviation(for: zone, at: unixSeconds, offset: offset)
        return TemplateTime(unixSeconds: unixSeconds, nanosecond: nanosecond, offset: offset, zoneName: name)
    }

    /// `t.Add(d)`.
    func adding(nanoseconds: Int64) -> TemplateTime {
        var copy = self
        let total = nanosecond + nanoseconds % 1_000_000_000
        copy.unixSeconds += nanoseconds / 1_000_000_000 + (total < 0 ? -1 : total >= 1_000_000_000 ? 1 : 0)
        copy.nanosecond = (total % 1_000_000_000 + 1_000_000_000) % 1_000_000_000
        return copy
    }

    /// `t.Sub(u)`, saturating at the range of a Go `Duration` as Go does.
    func nanoseconds(since other: TemplateTime) -> Int64 {
        let (seconds, overflow) = (unixSeconds - other.unixSeconds).multipliedReportingOverflow(by: 1_000_000_000)
        let (total, overflow2) = seconds.addingReportingOverflow(nanosecond - other.nanosecond)
        if overflow || overflow2 { return unixSeconds < other.unixSeconds ? Int64.min : Int64.max }
        return total
    }

    func isBefore(_ other: TemplateTime) -> Bool {
        (unixSeconds, nanosecond) < (other.unixSeconds, other.nanosecond)
    }

    // MARK: Calendar fields in the time's own zone

    struct Civil {
        var year: Int64, month: Int, day: Int, hour: Int, minute: Int, second: Int
        /// 0 = Sunday.
        var weekday: Int
        /// 1-based day of the year.
        var yearDay: Int
    }

    var civil: Civil {
        let local = unixSeconds + Int64(offset)
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let secondsOfDay = Int(local - days * 86_400)
        let date = CivilTime.date(ofDay: days)
        let (year, month, day) = (date.year, Int(date.month), Int(date.day))
        let weekday = Int(((days + 4) % 7 + 7) % 7)
        let yearDay = Int(days - CivilTime.days(year: year, month: 1, day: 1)) + 1
        return Civil(
            year: year, month: month, day: day, hour: secondsOfDay / 3600, minute: secondsOfDay / 60 % 60,
            second: secondsOfDay % 60, weekday: weekday, yearDay: yearDay)
    }

    static let monthNames = [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ]
    static let weekdayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
}
