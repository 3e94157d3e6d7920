extension TemplateTypeChecker {
    /// The type of `.name` on a value of `type`, mirroring ``TemplateValue/member(_:arguments:)``.
    static func member(_ name: String, of type: StaticType, argumentCount: Int) throws(TemplateError) -> StaticType {
        let methods: [String: (arity: Int, result: StaticType)]
        var fields: [String: StaticType] = [:]
        switch type {
        case .unknown, .none:
            return .unknown
        case .data:
            fields = [
                "Receiver": .string, "Status": .string, "Alerts": .alerts(isAlertsType: true), "GroupLabels": .kv,
                "CommonLabels": .kv, "CommonAnnotations": .kv, "ExternalURL": .string,
            ]
            methods = [:]
        case .ruleData:
            fields = ["Labels": .map, "ExternalLabels": .map, "ExternalURL": .string, "Value": .float]
            methods = [:]
        case .alert:
            fields = [
                "Status": .string, "Labels": .kv, "Annotations": .kv, "StartsAt": .time, "EndsAt": .time,
                "GeneratorURL": .string, "Fingerprint": .string,
            ]
            methods = [:]
        case .pair:
            fields = ["Name": .string, "Value": .string]
            methods = [:]
        case .kv:
            methods = ["SortedPairs": (0, .pairs), "Names": (0, .strings), "Values": (0, .strings), "String": (0, .string), "Remove": (1, .kv)]
        case .pairs:
            methods = ["Names": (0, .strings), "Values": (0, .strings), "String": (0, .string)]
        case .alerts(isAlertsType: true):
            methods = ["Firing": (0, .alerts(isAlertsType: false)), "Resolved": (0, .alerts(isAlertsType: false))]
        case .time:
            methods = timeMethods
        case .duration:
            methods = [
                "String": (0, .string), "Hours": (0, .float), "Minutes": (0, .float), "Seconds": (0, .float),
                "Milliseconds": (0, .int), "Microseconds": (0, .int), "Nanoseconds": (0, .int), "Abs": (0, .duration),
                "Round": (1, .duration), "Truncate": (1, .duration),
            ]
        case .month, .weekday:
            methods = ["String": (0, .string)]
        default:
            methods = [:]
        }
        if let method = methods[name] {
            guard method.arity == argumentCount else {
                throw TemplateValue.mismatch("wrong number of args for \(name): want \(method.arity) got \(argumentCount)")
            }
            return method.result
        }
        if type == .kv || type == .map {
            guard argumentCount == 0 else { throw TemplateValue.mismatch("\(name) is not a method but has arguments") }
            return .string
        }
        guard let field = fields[name] else {
            throw TemplateValue.mismatch("can't evaluate field \(name) in type \(type.typeName)")
        }
        guard argumentCount == 0 else { throw TemplateValue.mismatch("\(name) has arguments but cannot be invoked as function") }
        return field
    }

    private static let timeMethods: [String: (arity: Int, result: StaticType)] = [
        "String": (0, .string), "Unix": (0, .int), "UnixMilli": (0, .int), "UnixMicro": (0, .int), "UnixNano": (0, .int),
        "UTC": (0, .time), "Local": (0, .time), "IsZero": (0, .bool), "Year": (0, .int), "Month": (0, .month),
        "Day": (0, .int), "Hour": (0, .int), "Minute": (0, .int), "Second": (0, .int), "Nanosecond": (0, .int),
        "Weekday": (0, .weekday), "YearDay": (0, .int), "Format": (1, .string), "Add": (1, .time), "Round": (1, .time),
        "Truncate": (1, .time), "Sub": (1, .duration), "Before": (1, .bool), "After": (1, .bool), "Equal": (1, .bool),
    ]
}
