/// A value inside a running template, one case per Go type that Alertmanager's (and Prometheus's
/// rule) templates can meet.
///
/// Keeping Go's distinctions matters for output: `.Alerts` (type `Alerts`, with `.Firing`) and
/// `.Alerts.Firing` (a plain `[]Alert`, without) print and behave differently, and label maps
/// (`KV`) print through their `String()` method as `a=1, b=2` rather than as `map[a:1 b:2]`.
enum TemplateValue: Sendable {
    /// Go's untyped `nil`: an absent value, printed as `<no value>` by an action.
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    /// `[]string`, from `.Names`, `.Values` and `stringSlice`.
    case strings([String])
    /// Alertmanager's `KV` (`map[string]string` with methods).
    case kv([String: String])
    /// A plain `map[string]string`, as Prometheus gives rule templates `.Labels`: no methods, and
    /// printed as `map[a:1 b:2]`.
    case map([String: String])
    /// Alertmanager's `Pairs`, from `.SortedPairs`.
    case pairs([Pair])
    // The larger payloads are boxed to keep the enum, and so every executor stack frame, small.
    indirect case pair(Pair)
    /// `Alerts` when `isAlertsType` (it has `.Firing` and `.Resolved`), else `[]Alert`.
    case alerts([TemplateAlert], isAlertsType: Bool)
    indirect case alert(TemplateAlert)
    indirect case data(TemplateData)
    /// The data of an alerting rule's label and annotation templates.
    indirect case ruleData(RuleTemplateData)
    indirect case time(TemplateTime)
    /// `time.Duration` in nanoseconds.
    case duration(Int64)
    /// `time.Month`, 1…12.
    case month(Int)
    /// `time.Weekday`, 0 (Sunday)…6.
    case weekday(Int)

    struct Pair: Sendable, Equatable {
        var name: String
        var value: String
    }

    /// The Go type name, as Go's error messages and `%T` print it.
    var typeName: String { staticType.typeName }

    /// The value's type, as the template checker names types.
    var staticType: TemplateTypeChecker.StaticType {
        switch self {
        case .none: .none
        case .bool: .bool
        case .int: .int
        case .float: .float
        case .string: .string
        case .strings: .strings
        case .kv: .kv
        case .map: .map
        case .pairs: .pairs
        case .pair: .pair
        case .alerts(_, let isAlertsType): .alerts(isAlertsType: isAlertsType)
        case .alert: .alert
        case .data: .data
        case .ruleData: .ruleData
        case .time: .time
        case .duration: .duration
        case .month: .month
        case .weekday: .weekday
        }
    }

    /// Go's `template.IsTrue`: false for nil, zero numbers, false, and empty strings, lists and maps;
    /// true for every struct (so a zero `time.Time` is true).
    var isTrue: Bool {
        switch self {
        case .none: false
        case .bool(let value): value
        case .int(let value): value != 0
        case .float(let value): value != 0
        case .string(let value): !value.isEmpty
        case .strings(let value): !value.isEmpty
        case .kv(let value), .map(let value): !value.isEmpty
        case .pairs(let value): !value.isEmpty
        case .alerts(let value, _): !value.isEmpty
        case .duration(let value): value != 0
        case .month(let value), .weekday(let value): value != 0
        case .pair, .alert, .data, .ruleData, .time: true
        }
    }

    /// Go's `len`: bytes of a string, elements of a list or map; nil for other types.
    var length: Int? {
        switch self {
        case .string(let value): value.utf8.count
        case .strings(let value): value.count
        case .kv(let value), .map(let value): value.count
        case .pairs(let value): value.count
        case .alerts(let value, _): value.count
        default: nil
        }
    }

    /// Elements for `range`, with the index or key Go gives each. Maps are visited in key order.
    var rangeElements: [(key: TemplateValue, element: TemplateValue)]? {
        switch self {
        case .strings(let values): values.enumerated().map { (.int($0.offset), .string($0.element)) }
        case .pairs(let pairs): pairs.enumerated().map { (.int($0.offset), .pair($0.element)) }
        case .alerts(let alerts, _): alerts.enumerated().map { (.int($0.offset), .alert($0.element)) }
        case .kv(let map), .map(let map): Self.sortedKeys(map).map { (.string($0), .string(map[$0] ?? "")) }
        case .int(let count): (0..<max(count, 0)).map { (.int($0), .int($0)) }
        default: nil
        }
    }

    /// The entries of a `map[string]string`, whether Alertmanager's `KV` or a plain map.
    var stringMap: [String: String]? {
        switch self {
        case .kv(let map), .map(let map): map
        default: nil
        }
    }

    /// Keys in Go's order: byte-wise, as Go's sort and `fmtsort` compare strings.
    static func sortedKeys(_ map: [String: String]) -> [String] {
        map.keys.sorted(by: goLess)
    }

    static func goLess(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// Alertmanager's `KV.SortedPairs`: `alertname` first, then the other names in order.
    static func sortedPairs(_ map: [String: String]) -> [Pair] {
        var names = sortedKeys(map)
        if let index = names.firstIndex(of: "alertname") {
            names.remove(at: index)
            names.insert("alertname", at: 0)
        }
        return names.map { Pair(name: $0, value: map[$0] ?? "") }
    }
}
