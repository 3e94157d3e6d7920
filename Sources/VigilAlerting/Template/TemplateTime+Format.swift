extension TemplateTime {
    /// Go's `Time.String()` layout.
    static let defaultLayout = "2006-01-02 15:04:05.999999999 -0700 MST"
    /// Go's `time.RFC3339Nano`, used by `toJson`.
    static let rfc3339Nano = "2006-01-02T15:04:05.999999999Z07:00"

    var description: String { format(Self.defaultLayout) }

    /// Go's `Time.Format`: the reference time `Mon Jan 2 15:04:05 MST 2006` spelled in the layout
    /// says where each field goes; everything else is copied.
    func format(_ layout: String) -> String {
        let civil = civil
        var output = ""
        var rest = Substring(layout)
        while !rest.isEmpty {
            guard let (prefix, element, suffix) = Self.nextElement(in: rest) else {
                output += rest
                break
            }
            output += prefix
            append(element, civil: civil, to: &output)
            rest = suffix
        }
        return output
    }

    enum Element: Equatable {
        case longMonth, month, numMonth, zeroMonth
        case longWeekday, weekday
        case day, underDay, zeroDay, underYearDay, zeroYearDay
        case hour, hour12, zeroHour12, minute, zeroMinute, second, zeroSecond
        case longYear, year, pm, lowerPM, zoneName
        /// `-0700` and friends; `iso` prints `Z` for UTC; `colon`, `seconds`, `short` select the shape.
        case numericZone(iso: Bool, colon: Bool, seconds: Bool, short: Bool)
        /// `.000` (fixed digits) or `.999` (trailing zeros trimmed), with `.` or `,`.
        case fraction(digits: Int, trim: Bool, separator: Character)
    }

    /// Go's `nextStdChunk`.
    static func nextElement(in layout: Substring) -> (Substring, Element, Substring)? {
        let chars = Array(layout)
        func has(_ text: String, at i: Int) -> Bool {
            let pattern = Array(text)
            return i + pattern.count <= chars.count && Array(chars[i..<(i + pattern.count)]) == pattern
        }
        func startsLower(_ i: Int) -> Bool { i < chars.count && chars[i] >= "a" && chars[i] <= "z" }
        func result(_ i: Int, _ length: Int, _ element: Element) -> (Substring, Element, Substring) {
            (Substring(String(chars[0..<i])), element, Substring(String(chars[(i + length)...])))
        }
        var i = 0
        while i < chars.count {
            switch chars[i] {
            case "J" where has("Jan", at: i):
                if has("January", at: i) { return result(i, 7, .longMonth) }
                if !startsLower(i + 3) { return result(i, 3, .month) }
            case "M" where has("Mon", at: i) || has("MST", at: i):
                if has("Monday", at: i) { return result(i, 6, .longWeekday) }
                if has("Mon", at: i), !startsLower(i + 3) { return result(i, 3, .weekday) }
                if has("MST", at: i) { return result(i, 3, .zoneName) }
            case "0":
                if i + 1 < chars.count, let digit = chars[i + 1].wholeNumberValue, (1...6).contains(digit) {
                    let elements: [Element] = [.zeroMonth, .zeroDay, .zeroHour12, .zeroMinute, .zeroSecond, .year]
                    return result(i, 2, elements[digit - 1])
                }
                if has("002", at: i) { return result(i, 3, .zeroYearDay) }
            case "1":
                if has("15", at: i) { return result(i, 2, .hour) }
                return result(i, 1, .numMonth)
            case "2":
                if has("2006", at: i) { return result(i, 4, .longYear) }
                return result(i, 1, .day)
            case "_":
                if has("_2", at: i) {
                    if has("_2006", at: i) { return (Substring(String(chars[0...i])), .longYear, Substring(String(chars[(i + 5)...]))) }
                    return result(i, 2, .underDay)
                }
                if has("__2", at: i) { return result(i, 3, .underYearDay) }
            case "3": return result(i, 1, .hour12)
            case "4": return result(i, 1, .minute)
            case "5": return result(i, 1, .second)
            case "P" where has("PM", at: i): return result(i, 2, .pm)
            case "p" where has("pm", at: i): return result(i, 2, .lowerPM)
            case "-", "Z":
                let iso = chars[i] == "Z"
                let shapes: [(String, Bool, Bool, Bool)] = [
                    ("070000", false, true, false), ("07:00:00", true, true, false), ("0700", false, false, false),
                    ("07:00", true, false, false), ("07", false, false, true),
                ]
                for (text, colon, seconds, short) in shapes where has(String(chars[i]) + text, at: i) {
                    return result(i, text.count + 1, .numericZone(iso: iso, colon: colon, seconds: seconds, short: short))
                }
            case ".", ",":
                if i + 1 < chars.count, chars[i + 1] == "0" || chars[i + 1] == "9" {
                    let digit = chars[i + 1]
                    var j = i + 1
                    while j < chars.count, chars[j] == digit { j += 1 }
                    if !(j < chars.count && chars[j].isASCII && chars[j].isNumber) {
                        return result(i, j - i, .fraction(digits: j - i - 1, trim: digit == "9", separator: chars[i]))
                    }
                }
            default:
                break
            }
            i += 1
        }
        return nil
    }

    private func append(_ element: Element, civil: Civil, to output: inout String) {
        func pad(_ value: Int64, _ width: Int) -> String {
            let digits = String(abs(value))
            return (value < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        switch element {
        case .longMonth: output += Self.monthNames[civil.month - 1]
        case .month: output += Self.monthNames[civil.month - 1].prefix(3)
        case .numMonth: output += String(civil.month)
        case .zeroMonth: output += pad(Int64(civil.month), 2)
        case .longWeekday: output += Self.weekdayNames[civil.weekday]
        case .weekday: output += Self.weekdayNames[civil.weekday].prefix(3)
        case .day: output += String(civil.day)
        case .underDay: output += (civil.day < 10 ? " " : "") + String(civil.day)
        case .zeroDay: output += pad(Int64(civil.day), 2)
        case .underYearDay: output += String(repeating: " ", count: civil.yearDay < 10 ? 2 : civil.yearDay < 100 ? 1 : 0) + String(civil.yearDay)
        case .zeroYearDay: output += pad(Int64(civil.yearDay), 3)
        case .hour: output += pad(Int64(civil.hour), 2)
        case .hour12: output += String(civil.hour % 12 == 0 ? 12 : civil.hour % 12)
        case .zeroHour12: output += pad(Int64(civil.hour % 12 == 0 ? 12 : civil.hour % 12), 2)
        case .minute: output += String(civil.minute)
        case .zeroMinute: output += pad(Int64(civil.minute), 2)
        case .second: output += String(civil.second)
        case .zeroSecond: output += pad(Int64(civil.second), 2)
        case .longYear: output += pad(civil.year, 4)
        case .year: output += pad(civil.year % 100, 2)
        case .pm: output += civil.hour >= 12 ? "PM" : "AM"
        case .lowerPM: output += civil.hour >= 12 ? "pm" : "am"
        case .zoneName:
            if !zoneName.isEmpty {
                output += zoneName
            } else {
                let minutes = offset / 60
                output += (minutes < 0 ? "-" : "+") + pad(Int64(abs(minutes) / 60), 2) + pad(Int64(abs(minutes) % 60), 2)
            }
        case .numericZone(let iso, let colon, let seconds, let short):
            if iso, offset == 0 {
                output += "Z"
                return
            }
            let minutes = abs(offset) / 60
            output += (offset < 0 ? "-" : "+") + pad(Int64(minutes / 60), 2)
            if colon { output += ":" }
            if !short { output += pad(Int64(minutes % 60), 2) }
            if seconds {
                if colon { output += ":" }
                output += pad(Int64(abs(offset) % 60), 2)
            }
        case .fraction(let digits, let trim, let separator):
            if trim, digits == 0 || nanosecond == 0 { return }
            var fraction = String(pad(nanosecond, 9).prefix(min(digits, 9)))
            if trim { while fraction.hasSuffix("0") { fraction.removeLast() } }
            if !fraction.isEmpty || !trim { output += String(separator) + fraction }
        }
    }
}
