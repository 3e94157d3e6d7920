/// Conversions between Unix time and UTC calendar dates, without Foundation's calendar machinery
/// (this runs for every stored row).
public enum CivilTime {
    public static let nanosPerDay: Int64 = 86_400_000_000_000

    /// Days since 1970-01-01 of a Unix-nanosecond timestamp.
    public static func day(ofUnixNano nanos: Int64) -> Int64 {
        nanos >= 0 ? nanos / nanosPerDay : (nanos - nanosPerDay + 1) / nanosPerDay
    }

    /// Year, month, day of a day number (Howard Hinnant's civil_from_days).
    public static func date(ofDay day: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = day + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    /// `YYYYMMDD` for partition names.
    public static func compactDate(ofDay day: Int64) -> String {
        let (y, m, d) = date(ofDay: day)
        return pad(y, 4) + pad(m, 2) + pad(d, 2)
    }

    /// `YYYY-MM-DD` for partition bounds.
    public static func isoDate(ofDay day: Int64) -> String {
        let (y, m, d) = date(ofDay: day)
        return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2)
    }

    /// Appends `YYYY-MM-DD HH:MM:SS.ffffff+00` (PostgreSQL timestamptz input) for a Unix-nanosecond time.
    public static func appendTimestamp(unixNano nanos: Int64, to out: inout [UInt8]) {
        let day = CivilTime.day(ofUnixNano: nanos)
        let nanosOfDay = nanos - day * nanosPerDay
        let (y, m, d) = date(ofDay: day)
        let micros = nanosOfDay / 1000
        let seconds = micros / 1_000_000
        out.appendInPlace(maxCount: 29) { p in
            writeDigits(y, 4, p); p[4] = UInt8(ascii: "-")
            writeDigits(m, 2, p + 5); p[7] = UInt8(ascii: "-")
            writeDigits(d, 2, p + 8); p[10] = UInt8(ascii: " ")
            writeDigits(seconds / 3600, 2, p + 11); p[13] = UInt8(ascii: ":")
            writeDigits(seconds / 60 % 60, 2, p + 14); p[16] = UInt8(ascii: ":")
            writeDigits(seconds % 60, 2, p + 17); p[19] = UInt8(ascii: ".")
            writeDigits(micros % 1_000_000, 6, p + 20)
            p[26] = UInt8(ascii: "+"); p[27] = UInt8(ascii: "0"); p[28] = UInt8(ascii: "0")
            return 29
        }
    }

    /// The last `width` decimal digits of a non-negative `value`, zero-padded, at `out`.
    @inline(__always)
    private static func writeDigits(_ value: Int64, _ width: Int, _ out: UnsafeMutablePointer<UInt8>) {
        var rest = value
        var index = width - 1
        while index >= 0 {
            out[index] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
            rest /= 10
            index -= 1
        }
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}

extension CivilTime {
    /// Day number of a civil date (Howard Hinnant's days_from_civil).
    public static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
