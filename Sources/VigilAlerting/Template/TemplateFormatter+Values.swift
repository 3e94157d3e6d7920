extension TemplateFormatter {
    /// Go's `pp.printArg`/`printValue`: Stringers first (for `%v %s %q %x %X`), then by kind.
    mutating func printArgument(_ value: TemplateValue, verb: Character, depth: Int = 0) {
        if verb == "T" {
            formatString(value.typeName, verb: "s")
            return
        }
        switch value {
        case .none:
            if verb == "v" { pad("<nil>") } else { badVerb(verb, value) }
        case .bool(let flag):
            if verb == "t" || verb == "v" { pad(flag ? "true" : "false") } else { badVerb(verb, value) }
        case .int(let number):
            formatInteger(Int64(number), verb: verb, value: value)
        case .float(let number):
            formatFloat(number, verb: verb, value: value)
        case .string(let text):
            formatString(text, verb: verb, value: value)
        case .kv, .pairs, .time, .duration, .month, .weekday:
            if "vsxXq".contains(verb), !flags.sharpV, !erroring {
                formatString(stringerText(value), verb: verb, value: value)
                return
            }
            switch value {
            case .kv(let map):
                printMap(map, verb: verb, depth: depth)
            case .pairs(let pairs):
                printList(pairs.map(TemplateValue.pair), verb: verb, depth: depth)
            case .duration(let nanoseconds):
                formatInteger(nanoseconds, verb: verb, value: value)
            case .month(let number), .weekday(let number):
                formatInteger(Int64(number), verb: verb, value: value)
            default:
                // Go would show time.Time's private fields here; its string form is more useful.
                if erroring { pad(stringerText(value)) } else { badVerb(verb, value) }
            }
        case .map(let map):
            printMap(map, verb: verb, depth: depth)
        case .strings(let texts):
            printList(texts.map(TemplateValue.string), verb: verb, depth: depth)
        case .alerts(let alerts, _):
            printList(alerts.map(TemplateValue.alert), verb: verb, depth: depth)
        case .pair(let pair):
            printStruct([("Name", .string(pair.name)), ("Value", .string(pair.value))], verb: verb, depth: depth)
        case .alert(let alert):
            let fields = ["Status", "Labels", "Annotations", "StartsAt", "EndsAt", "GeneratorURL", "Fingerprint"]
            printStruct(fields.map { ($0, TemplateValue.field($0, of: alert) ?? .none) }, verb: verb, depth: depth)
        case .data(let data):
            // Alertmanager passes *Data, which fmt prints as &{…} except inside other values.
            if depth == 0 { output += "&" }
            let fields = ["Receiver", "Status", "Alerts", "GroupLabels", "CommonLabels", "CommonAnnotations", "ExternalURL"]
            printStruct(fields.map { ($0, TemplateValue.field($0, of: data) ?? .none) }, verb: verb, depth: depth + 1)
        case .ruleData(let data):
            let fields = ["Labels", "ExternalLabels", "ExternalURL", "Value"]
            printStruct(fields.map { ($0, TemplateValue.field($0, of: data) ?? .none) }, verb: verb, depth: depth)
        }
    }

    /// What the value's `String()` method returns.
    func stringerText(_ value: TemplateValue) -> String {
        switch value {
        case .kv(let map):
            TemplateValue.sortedPairs(map).map { "\($0.name)=\($0.value)" }.joined(separator: ", ")
        case .pairs(let pairs):
            pairs.map { "\($0.name)=\($0.value)" }.joined(separator: ", ")
        case .time(let time): time.description
        case .duration(let nanoseconds): TemplateDuration.string(nanoseconds)
        case .month(let month): TemplateTime.monthNames[month - 1]
        case .weekday(let day): TemplateTime.weekdayNames[day]
        default: ""
        }
    }

    /// Go's `map[k:v k:v]`, keys in Go's sorted order.
    private mutating func printMap(_ map: [String: String], verb: Character, depth: Int) {
        output += "map["
        for (index, key) in TemplateValue.sortedKeys(map).enumerated() {
            if index > 0 { output += " " }
            printArgument(.string(key), verb: verb, depth: depth + 1)
            output += ":"
            printArgument(.string(map[key] ?? ""), verb: verb, depth: depth + 1)
        }
        output += "]"
    }

    private mutating func printList(_ elements: [TemplateValue], verb: Character, depth: Int) {
        output += "["
        for (index, element) in elements.enumerated() {
            if index > 0 { output += " " }
            printArgument(element, verb: verb, depth: depth + 1)
        }
        output += "]"
    }

    private mutating func printStruct(_ fields: [(String, TemplateValue)], verb: Character, depth: Int) {
        output += "{"
        for (index, (name, value)) in fields.enumerated() {
            if index > 0 { output += " " }
            if flags.plusV { output += name + ":" }
            printArgument(value, verb: verb, depth: depth + 1)
        }
        output += "}"
    }

    mutating func formatString(_ text: String, verb: Character, value: TemplateValue? = nil) {
        switch verb {
        case "q" where flags.sharp && Self.canBackquote(text):
            pad("`" + text + "`")
        case "v" where flags.sharpV, "q":
            pad(Self.quote(text, asciiOnly: flags.plus))
        case "v", "s":
            pad(flags.precision.map { String(text.unicodeScalars.prefix($0)) } ?? text)
        case "x", "X":
            var bytes = Array(text.utf8)
            if let precision = flags.precision { bytes = Array(bytes.prefix(precision)) }
            let digits = bytes.map { byte in
                let hex = String(byte, radix: 16, uppercase: verb == "X")
                return hex.count == 1 ? "0" + hex : hex
            }
            let prefix = flags.sharp ? (verb == "X" ? "0X" : "0x") : ""
            if flags.space {
                pad(digits.map { prefix + $0 }.joined(separator: " "))
            } else {
                pad(digits.isEmpty ? "" : prefix + digits.joined())
            }
        default:
            badVerb(verb, value ?? .string(text))
        }
    }

    /// Go's `strconv.CanBackquote`: no control characters but tab, no backquote, no BOM.
    static func canBackquote(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { scalar in
            scalar != "`" && scalar != "\u{FEFF}" && scalar != "\u{7F}" && (scalar.value >= 0x20 || scalar == "\t")
        }
    }

    /// `%!verb(type=value)`, fmt's in-band report of a verb that does not fit the operand.
    mutating func badVerb(_ verb: Character, _ value: TemplateValue) {
        output += "%!\(verb)("
        if case .none = value {
            output += "<nil>"
        } else {
            output += value.typeName + "="
            erroring = true
            printArgument(value, verb: "v", depth: 1)
            erroring = false
        }
        output += ")"
    }
}
