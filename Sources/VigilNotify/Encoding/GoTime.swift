import Foundation
import VigilModel

/// Times as Go's `time.Time.MarshalJSON` writes them (RFC 3339 with up to nine fractional digits,
/// trailing zeros dropped), always in UTC. `nil` is Go's zero time, `0001-01-01T00:00:00Z`, which
/// Alertmanager sends as the `endsAt` of firing alerts.
enum GoTime {
    static let zero = "0001-01-01T00:00:00Z"

    /// `Date` holds a `Double`, exact to about a tenth of a microsecond for current dates, so
    /// the fraction is rounded to microseconds: `…05.123Z` stays `…05.123Z`.
    static func rfc3339Nano(_ date: Date?) -> String {
        guard let date else { return zero }
        let totalMicroseconds = (date.timeIntervalSince1970 * 1_000_000).rounded()
        guard totalMicroseconds.isFinite, abs(totalMicroseconds) < 1e17 else { return zero }
        let micros = Int64(totalMicroseconds)
        var seconds = micros / 1_000_000
        var fraction = micros % 1_000_000
        if fraction < 0 {
            fraction += 1_000_000
            seconds -= 1
        }
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        let (year, month, day) = CivilTime.date(ofDay: days)
        var text = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
        text += "T" + pad(secondOfDay / 3_600, 2) + ":" + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2)
        if fraction > 0 {
            var digits = pad(fraction, 6)
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        return text + "Z"
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(abs(value))
        let padded = String(repeating: "0", count: max(0, width - digits.count)) + digits
        return value < 0 ? "-" + padded : padded
    }
}
