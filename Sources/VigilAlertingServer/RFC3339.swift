import Foundation
import VigilModel

/// RFC 3339 times as the Alertmanager API writes and reads them (Go's `time.RFC3339Nano`).
public enum RFC3339 {
    /// `2026-11-21T10:00:00.120Z`; Go's zero time (`Date.distantPast`) is `0001-01-01T00:00:00Z`.
    public static func format(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1_000).rounded(.down))
        let seconds = Int64((Double(milliseconds) / 1_000).rounded(.down))
        let fraction = milliseconds - seconds * 1_000
        let days = Int64((Double(seconds) / 86_400).rounded(.down))
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = CivilTime.date(ofDay: days)
        let text = String(format: "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld", year, month, day, secondOfDay / 3_600, secondOfDay / 60 % 60, secondOfDay % 60)
        // Alertmanager's API always writes three fraction digits.
        return text + String(format: ".%03lldZ", fraction)
    }

    /// Parses an RFC 3339 time (``CivilTime/unixTime(rfc3339:)``); `nil` when it is not one.
    public static func parse(_ text: String) -> Date? {
        guard let (seconds, nanosecond) = CivilTime.unixTime(rfc3339: text) else { return nil }
        return Date(timeIntervalSince1970: Double(seconds) + Double(nanosecond) / 1e9)
    }
}
