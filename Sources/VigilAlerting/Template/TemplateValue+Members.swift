import Foundation

extension TemplateValue {
    /// Evaluates `.name` on this value as Go's executor does: a method of that name first, then a
    /// struct field, then (for label maps) the map entry, which is "" when absent.
    ///
    /// `arguments` are the method's arguments, including a value piped into the chain.
    func member(_ name: String, arguments: [TemplateValue]) throws(TemplateError) -> TemplateValue {
        if let result = try method(name, arguments) { return result }
        let field: TemplateValue?
        switch self {
        case .none:
            // Alertmanager runs templates with missingkey=zero: a field of nothing is nothing.
            return .none
        case .kv(let map), .map(let map):
            guard arguments.isEmpty else { throw Self.mismatch("\(name) is not a method but has arguments") }
            return .string(map[name] ?? "")
        case .data(let data):
            field = Self.field(name, of: data)
        case .ruleData(let data):
            field = Self.field(name, of: data)
        case .alert(let alert):
            field = Self.field(name, of: alert)
        case .pair(let pair):
            field = name == "Name" ? .string(pair.name) : name == "Value" ? .string(pair.value) : nil
        default:
            field = nil
        }
        guard let field else { throw Self.mismatch("can't evaluate field \(name) in type \(typeName)") }
        guard arguments.isEmpty else { throw Self.mismatch("\(name) has arguments but cannot be invoked as function") }
        return field
    }

    static func field(_ name: String, of data: TemplateData) -> TemplateValue? {
        switch name {
        case "Receiver": .string(data.receiver)
        case "Status": .string(data.status)
        case "Alerts": .alerts(data.alerts, isAlertsType: true)
        case "GroupLabels": .kv(data.groupLabels)
        case "CommonLabels": .kv(data.commonLabels)
        case "CommonAnnotations": .kv(data.commonAnnotations)
        case "ExternalURL": .string(data.externalURL)
        default: nil
        }
    }

    static func field(_ name: String, of data: RuleTemplateData) -> TemplateValue? {
        switch name {
        case "Labels": .map(data.labels)
        case "ExternalLabels": .map(data.externalLabels)
        case "ExternalURL": .string(data.externalURL)
        case "Value": .float(data.value)
        default: nil
        }
    }

    static func field(_ name: String, of alert: TemplateAlert) -> TemplateValue? {
        switch name {
        case "Status": .string(alert.status)
        case "Labels": .kv(alert.labels)
        case "Annotations": .kv(alert.annotations)
        case "StartsAt": .time(TemplateTime(alert.startsAt))
        case "EndsAt": .time(alert.endsAt.map(TemplateTime.init) ?? .zero)
        case "GeneratorURL": .string(alert.generatorURL)
        case "Fingerprint": .string(alert.fingerprint)
        default: nil
        }
    }

    /// nil when the value's type has no method of that name.
    private func method(_ name: String, _ arguments: [TemplateValue]) throws(TemplateError) -> TemplateValue? {
        switch self {
        case .kv(let map):
            switch name {
            case "SortedPairs": try Self.expect(name, arguments, 0); return .pairs(Self.sortedPairs(map))
            case "Names": try Self.expect(name, arguments, 0); return .strings(Self.sortedPairs(map).map(\.name))
            case "Values": try Self.expect(name, arguments, 0); return .strings(Self.sortedPairs(map).map(\.value))
            case "String": try Self.expect(name, arguments, 0); return .string(TemplateFormatter.string(of: self))
            case "Remove":
                try Self.expect(name, arguments, 1)
                guard case .strings(let names) = arguments[0] else { throw Self.wrongType("[]string", arguments[0]) }
                return .kv(map.filter { entry in !names.contains { $0.utf8.elementsEqual(entry.key.utf8) } })
            default: return nil
            }
        case .pairs(let pairs):
            switch name {
            case "Names": try Self.expect(name, arguments, 0); return .strings(pairs.map(\.name))
            case "Values": try Self.expect(name, arguments, 0); return .strings(pairs.map(\.value))
            case "String": try Self.expect(name, arguments, 0); return .string(TemplateFormatter.string(of: self))
            default: return nil
            }
        case .alerts(let alerts, isAlertsType: true):
            switch name {
            case "Firing": try Self.expect(name, arguments, 0); return .alerts(alerts.filter { $0.status == "firing" }, isAlertsType: false)
            case "Resolved": try Self.expect(name, arguments, 0); return .alerts(alerts.filter { $0.status == "resolved" }, isAlertsType: false)
            default: return nil
            }
        case .time(let time):
            return try Self.timeMethod(name, time, arguments)
        case .duration(let nanoseconds):
            return try Self.durationMethod(name, nanoseconds, arguments)
        case .month(let month) where name == "String":
            try Self.expect(name, arguments, 0)
            return .string(TemplateTime.monthNames[month - 1])
        case .weekday(let day) where name == "String":
            try Self.expect(name, arguments, 0)
            return .string(TemplateTime.weekdayNames[day])
        default:
            return nil
        }
    }

    private static func timeMethod(_ name: String, _ time: TemplateTime, _ arguments: [TemplateValue]) throws(TemplateError) -> TemplateValue? {
        let civil = time.civil
        let noArguments: TemplateValue? =
            switch name {
            case "String": .string(time.description)
            case "Unix": .int(Int(time.unixSeconds))
            case "UnixMilli": .int(Int(time.unixSeconds) * 1000 + Int(time.nanosecond / 1_000_000))
            case "UnixMicro": .int(Int(time.unixSeconds) * 1_000_000 + Int(time.nanosecond / 1000))
            case "UnixNano": .int(Int(time.unixSeconds.multipliedReportingOverflow(by: 1_000_000_000).partialValue + time.nanosecond))
            case "UTC": .time(time.utc)
            case "Local": .time(time.converted(to: TimeZone.current))
            case "IsZero": .bool(time.isZero)
            case "Year": .int(Int(civil.year))
            case "Month": .month(civil.month)
            case "Day": .int(civil.day)
            case "Hour": .int(civil.hour)
            case "Minute": .int(civil.minute)
            case "Second": .int(civil.second)
            case "Nanosecond": .int(Int(time.nanosecond))
            case "Weekday": .weekday(civil.weekday)
            case "YearDay": .int(civil.yearDay)
            default: nil
            }
        if let noArguments {
            try expect(name, arguments, 0)
            return noArguments
        }
        switch name {
        case "Format":
            try expect(name, arguments, 1)
            guard case .string(let layout) = arguments[0] else { throw wrongType("string", arguments[0]) }
            return .string(time.format(layout))
        case "Add", "Round", "Truncate":
            try expect(name, arguments, 1)
            let step = try durationArgument(arguments[0])
            if name == "Add" { return .time(time.adding(nanoseconds: step)) }
            return .time(time.rounded(to: step, nearest: name == "Round"))
        case "Sub", "Before", "After", "Equal":
            try expect(name, arguments, 1)
            guard case .time(let other) = arguments[0] else { throw wrongType("time.Time", arguments[0]) }
            switch name {
            case "Sub": return .duration(time.nanoseconds(since: other))
            case "Before": return .bool(time.isBefore(other))
            case "After": return .bool(other.isBefore(time))
            default: return .bool(time.unixSeconds == other.unixSeconds && time.nanosecond == other.nanosecond)
            }
        default:
            return nil
        }
    }

    private static func durationMethod(_ name: String, _ value: Int64, _ arguments: [TemplateValue]) throws(TemplateError) -> TemplateValue? {
        let noArguments: TemplateValue? =
            switch name {
            case "String": .string(TemplateDuration.string(value))
            case "Hours": .float(Double(value / 3_600_000_000_000) + Double(value % 3_600_000_000_000) / 3.6e12)
            case "Minutes": .float(Double(value / 60_000_000_000) + Double(value % 60_000_000_000) / 6e10)
            case "Seconds": .float(Double(value / 1_000_000_000) + Double(value % 1_000_000_000) / 1e9)
            case "Milliseconds": .int(Int(value / 1_000_000))
            case "Microseconds": .int(Int(value / 1000))
            case "Nanoseconds": .int(Int(value))
            case "Abs": .duration(value == Int64.min ? Int64.max : abs(value))
            default: nil
            }
        if let noArguments {
            try expect(name, arguments, 0)
            return noArguments
        }
        guard name == "Round" || name == "Truncate" else { return nil }
        try expect(name, arguments, 1)
        let step = try durationArgument(arguments[0])
        return .duration(name == "Round" ? TemplateDuration.round(value, to: step) : TemplateDuration.truncate(value, to: step))
    }

    /// A `time.Duration` parameter: a duration, or an integer constant as Go converts one.
    private static func durationArgument(_ value: TemplateValue) throws(TemplateError) -> Int64 {
        switch value {
        case .duration(let nanoseconds): return nanoseconds
        case .int(let nanoseconds): return Int64(nanoseconds)
        case .float(let number) where number.rounded() == number && abs(number) < 9.2e18: return Int64(number)
        default: throw wrongType("time.Duration", value)
        }
    }

    private static func expect(_ name: String, _ arguments: [TemplateValue], _ count: Int) throws(TemplateError) {
        guard arguments.count == count else {
            throw mismatch("wrong number of args for \(name): want \(count) got \(arguments.count)")
        }
    }

    static func wrongType(_ expected: String, _ value: TemplateValue) -> TemplateError {
        if case .none = value { return mismatch("invalid value; expected \(expected)") }
        return mismatch("wrong type for value; expected \(expected); got \(value.typeName)")
    }

    static func mismatch(_ message: String) -> TemplateError {
        TemplateError(code: .typeMismatch, message: message)
    }
}

extension TemplateTime {
    /// Go's `Time.Round` and `Time.Truncate`: multiples of `step` counted from the zero time.
    func rounded(to step: Int64, nearest: Bool) -> TemplateTime {
        guard step > 0 else { return self }
        let seconds = UInt64(unixSeconds - TemplateTime.zero.unixSeconds)
        let modulus = UInt64(step)
        let secondsPart = seconds % modulus
        let product = secondsPart.multipliedFullWidth(by: UInt64(TemplateDuration.second) % modulus)
        let remainder = (modulus.dividingFullWidth(product).remainder + UInt64(nanosecond) % modulus) % modulus
        let r = Int64(remainder)
        if !nearest || r + r < step { return adding(nanoseconds: -r) }
        return adding(nanoseconds: step - r)
    }
}
