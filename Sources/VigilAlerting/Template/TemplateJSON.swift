/// Go's `json.Marshal` for template values, behind Alertmanager's `toJson`.
///
/// Field names and order follow Alertmanager's struct tags (`receiver`, `status`, `alerts`, …);
/// maps are written with sorted keys, times in RFC 3339 with nanoseconds, and `<`, `>`, `&` are
/// escaped as `\u003c` etc. as Go's encoder does by default.
enum TemplateJSON {
    static func encode(_ value: TemplateValue) throws(TemplateError) -> String {
        var output = ""
        try write(value, to: &output)
        return output
    }

    private static func write(_ value: TemplateValue, to output: inout String) throws(TemplateError) {
        switch value {
        case .none: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .int(let number): output += String(number)
        case .duration(let number): output += String(number)
        case .month(let number), .weekday(let number): output += String(number)
        case .float(let number): output += try float(number)
        case .string(let text): string(text, to: &output)
        case .time(let time): string(time.format(TemplateTime.rfc3339Nano), to: &output)
        case .strings(let texts): try array(texts.map(TemplateValue.string), to: &output)
        case .alerts(let alerts, _): try array(alerts.map(TemplateValue.alert), to: &output)
        case .pairs(let pairs): try array(pairs.map(TemplateValue.pair), to: &output)
        case .kv(let map), .map(let map):
            try object(TemplateValue.sortedKeys(map).map { ($0, .string(map[$0] ?? "")) }, to: &output)
        case .pair(let pair):
            try object([("Name", .string(pair.name)), ("Value", .string(pair.value))], to: &output)
        case .alert(let alert):
            let fields = [
                ("status", "Status"), ("labels", "Labels"), ("annotations", "Annotations"), ("startsAt", "StartsAt"),
                ("endsAt", "EndsAt"), ("generatorURL", "GeneratorURL"), ("fingerprint", "Fingerprint"),
            ]
            try object(fields.map { ($0.0, TemplateValue.field($0.1, of: alert) ?? .none) }, to: &output)
        case .data(let data):
            let fields = [
                ("receiver", "Receiver"), ("status", "Status"), ("alerts", "Alerts"), ("groupLabels", "GroupLabels"),
                ("commonLabels", "CommonLabels"), ("commonAnnotations", "CommonAnnotations"), ("externalURL", "ExternalURL"),
            ]
            try object(fields.map { ($0.0, TemplateValue.field($0.1, of: data) ?? .none) }, to: &output)
        case .ruleData(let data):
            // Prometheus's anonymous struct has no tags: fields keep their Go names.
            let fields = ["Labels", "ExternalLabels", "ExternalURL", "Value"]
            try object(fields.map { ($0, TemplateValue.field($0, of: data) ?? .none) }, to: &output)
        }
    }

    private static func array(_ elements: [TemplateValue], to output: inout String) throws(TemplateError) {
        output += "["
        for (index, element) in elements.enumerated() {
            if index > 0 { output += "," }
            try write(element, to: &output)
        }
        output += "]"
    }

    private static func object(_ members: [(String, TemplateValue)], to output: inout String) throws(TemplateError) {
        output += "{"
        for (index, (key, value)) in members.enumerated() {
            if index > 0 { output += "," }
            string(key, to: &output)
            output += ":"
            try write(value, to: &output)
        }
        output += "}"
    }

    /// Go writes floats in plain notation unless tiny or huge, with the shortest exact digits.
    private static func float(_ number: Double) throws(TemplateError) -> String {
        guard number.isFinite else {
            throw TemplateFunctions.failure("json: unsupported value: \(TemplateFormatter.shortest(number))")
        }
        let (negative, digits, point) = TemplateFormatter.shortestDigits(number)
        let sign = negative ? "-" : ""
        guard !digits.isEmpty else { return sign + "0" }
        let magnitude = abs(number)
        if magnitude < 1e-6 || magnitude >= 1e21 {
            var mantissa = String(digits[0])
            if digits.count > 1 { mantissa += "." + digits.dropFirst() }
            let exponent = point - 1
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + String(abs(exponent))
        }
        return sign + TemplateFormatter.fixed(digits, point: point, decimals: max(digits.count - point, 0))
    }

    private static func string(_ text: String, to output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": output += "\\\\"
            case "\"": output += "\\\""
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            case "<", ">", "&", "\u{2028}", "\u{2029}":
                output += "\\u" + TemplateFormatter.zeroPadded(String(scalar.value, radix: 16), 4)
            default:
                if scalar.value < 0x20 {
                    output += "\\u" + TemplateFormatter.zeroPadded(String(scalar.value, radix: 16), 4)
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }
}
