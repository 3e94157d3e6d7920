import Foundation

extension TemplateFunctions {
    /// Alertmanager's `template.DefaultFuncs`. `date`, `tz`, `since`, `humanizeDuration`,
    /// `safeUrl`, `urlUnescape` (0.28) and `toJson` (0.29) are newer than 0.25–0.27; offering them
    /// only accepts more templates.
    static let alertmanager: [String: Function] = [
        "toUpper": Function(parameters: [.string], result: .string) { _, values throws(TemplateError) in
            .string(TemplateCasing.upper(text(values[0])))
        },
        "toLower": Function(parameters: [.string], result: .string) { _, values throws(TemplateError) in
            .string(TemplateCasing.lower(text(values[0])))
        },
        "title": Function(parameters: [.string], result: .string) { _, values throws(TemplateError) in
            .string(TemplateCasing.title(text(values[0])))
        },
        "trimSpace": Function(parameters: [.string], result: .string) { _, values throws(TemplateError) in
            let scalars = text(values[0]).unicodeScalars
            let trimmed = scalars.drop { $0.properties.isWhitespace }.reversed().drop { $0.properties.isWhitespace }.reversed()
            return .string(String(String.UnicodeScalarView(trimmed)))
        },
        "join": Function(parameters: [.string, .strings], result: .string) { _, values throws(TemplateError) in
            guard case .strings(let parts) = values[1] else { return .string("") }
            return .string(parts.joined(separator: text(values[0])))
        },
        "match": Function(parameters: [.string, .string], result: .bool) { _, values throws(TemplateError) in
            .bool(try TemplateRegex(text(values[0])).matches(text(values[1])))
        },
        "reReplaceAll": Function(parameters: [.string, .string, .string], result: .string) { _, values throws(TemplateError) in
            .string(try TemplateRegex(text(values[0])).replaceAll(in: text(values[2]), with: text(values[1])))
        },
        "safeHtml": Function(parameters: [.string], result: .string) { _, values throws(TemplateError) in values[0] },
        "safeUrl": Function(parameters: [.string], result: .string) { _, values throws(TemplateError) in values[0] },
        "urlUnescape": Function(parameters: [.string], result: .string) { _, values throws(TemplateError) in
            .string(try TemplateEscaping.queryUnescape(text(values[0])))
        },
        "stringSlice": Function(parameters: [.string], isVariadic: true, result: .strings) { _, values throws(TemplateError) in
            .strings(values.map(text))
        },
        "date": Function(parameters: [.string, .time], result: .string) { _, values throws(TemplateError) in
            guard case .time(let time) = values[1] else { return .string("") }
            return .string(time.format(text(values[0])))
        },
        "tz": Function(parameters: [.string, .time], result: .time) { _, values throws(TemplateError) in
            let name = text(values[0])
            guard case .time(let time) = values[1], let zone = TemplateTimeZone.load(name) else {
                throw failure("unknown time zone \(name)")
            }
            // Go's UTC location is named "UTC"; Foundation calls it "GMT".
            return .time(name.isEmpty || name == "UTC" ? time.utc : time.converted(to: zone))
        },
        "since": Function(parameters: [.time], result: .duration) { context, values throws(TemplateError) in
            guard case .time(let time) = values[0] else { return .none }
            return .duration(TemplateTime(context.now).nanoseconds(since: time))
        },
        "humanizeDuration": Function(parameters: [.any], result: .string) { _, values throws(TemplateError) in
            .string(humanizeDuration(try convertToFloat(values[0])))
        },
        "toJson": Function(parameters: [.any], result: .string) { _, values throws(TemplateError) in
            .string(try TemplateJSON.encode(values[0]))
        },
    ]

    static func text(_ value: TemplateValue) -> String {
        if case .string(let text) = value { return text }
        return ""
    }

    /// prometheus/common's `convertToFloat`: numbers, numeric strings and durations (in seconds).
    static func convertToFloat(_ value: TemplateValue) throws(TemplateError) -> Double {
        switch value {
        case .float(let number): return number
        case .int(let number): return Double(number)
        case .duration(let nanoseconds): return Double(nanoseconds) / 1e9
        case .string(let text):
            guard let number = Double(text) else {
                throw failure("strconv.ParseFloat: parsing \(TemplateFormatter.quote(text)): invalid syntax")
            }
            return number
        default:
            throw failure("can't convert \(value.typeName) to float")
        }
    }

    /// prometheus/common's `HumanizeDuration`: `1d 2h 3m 4s`, or `1.5s`, `250ms` below a minute.
    static func humanizeDuration(_ value: Double) -> String {
        func significant(_ number: Double) -> String { TemplateFormatter.sprintf("%.4g", [.float(number)]) }
        if value.isNaN || value.isInfinite { return significant(value) }
        if value == 0 { return significant(value) + "s" }
        if abs(value) >= 1 {
            let sign = value < 0 ? "-" : ""
            let magnitude = abs(value)
            // Go's int64 conversion of a float past its range gives math.MinInt64 on amd64.
            let whole = magnitude < 9.223372036854775807e18 ? Int64(magnitude) : Int64.min
            let (days, hours, minutes, seconds) = (whole / 86_400, whole / 3600 % 24, whole / 60 % 60, whole % 60)
            if days != 0 { return "\(sign)\(days)d \(hours)h \(minutes)m \(seconds)s" }
            if hours != 0 { return "\(sign)\(hours)h \(minutes)m \(seconds)s" }
            if minutes != 0 { return "\(sign)\(minutes)m \(seconds)s" }
            return sign + significant(magnitude) + "s"
        }
        var scaled = value
        var prefix = ""
        for unit in ["m", "u", "n", "p", "f", "a", "z", "y"] {
            if abs(scaled) >= 1 { break }
            prefix = unit
            scaled *= 1000
        }
        return significant(scaled) + prefix + "s"
    }
}
