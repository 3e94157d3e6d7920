/// Go's `eq`, `ne`, `lt`, `le`, `gt`, `ge`: only values of the same basic kind compare, where all
/// integer types (including durations) are one kind, so `eq 1 1.0` is an error, not false.
enum TemplateComparison {
    enum Kind: Equatable {
        case bool, int, float, string
    }

    static func basicKind(_ value: TemplateValue) -> Kind? {
        switch value {
        case .bool: .bool
        case .int, .duration, .month, .weekday: .int
        case .float: .float
        case .string: .string
        default: nil
        }
    }

    static func equal(_ a: TemplateValue, _ b: TemplateValue) throws(TemplateError) -> Bool {
        try requireComparable(a)
        let kindA = basicKind(a)
        let kindB = basicKind(b)
        if kindA != kindB {
            if isNil(a) || isNil(b) { return false }
            throw TemplateFunctions.failure("incompatible types for comparison")
        }
        switch (a, b) {
        case (.bool(let x), .bool(let y)): return x == y
        case (.float(let x), .float(let y)): return x == y
        case (.string(let x), .string(let y)): return x.utf8.elementsEqual(y.utf8)
        default: break
        }
        if kindA == .int { return integer(a) == integer(b) }
        if isNil(a) || isNil(b) { return isNil(a) && isNil(b) }
        try requireComparable(b)
        switch (a, b) {
        case (.pair(let x), .pair(let y)): return x.name.utf8.elementsEqual(y.name.utf8) && x.value.utf8.elementsEqual(y.value.utf8)
        case (.time(let x), .time(let y)): return x == y
        case (.data(let x), .data(let y)): return x == y
        default: return false
        }
    }

    static func less(_ a: TemplateValue, _ b: TemplateValue) throws(TemplateError) -> Bool {
        guard let kindA = basicKind(a), let kindB = basicKind(b), kindA != .bool, kindB != .bool else {
            throw TemplateFunctions.failure("invalid type for comparison")
        }
        guard kindA == kindB else { throw TemplateFunctions.failure("incompatible types for comparison") }
        switch (a, b) {
        case (.float(let x), .float(let y)): return x < y
        case (.string(let x), .string(let y)): return TemplateValue.goLess(x, y)
        default: return integer(a) < integer(b)
        }
    }

    private static func integer(_ value: TemplateValue) -> Int64 {
        switch value {
        case .int(let number): Int64(number)
        case .duration(let number): number
        case .month(let number), .weekday(let number): Int64(number)
        default: 0
        }
    }

    private static func isNil(_ value: TemplateValue) -> Bool {
        if case .none = value { return true }
        return false
    }

    /// Maps and slices cannot be compared in Go, nor structs that contain them (alerts).
    private static func requireComparable(_ value: TemplateValue) throws(TemplateError) {
        switch value {
        case .kv, .map, .strings, .pairs, .alerts, .alert, .ruleData:
            throw TemplateFunctions.failure("uncomparable type \(value.typeName): \(TemplateFormatter.string(of: value))")
        default:
            return
        }
    }
}
