import Foundation

/// The functions a template may call: Go's `text/template` builtins plus either Alertmanager's
/// `DefaultFuncs` (`toUpper`, `join`, `reReplaceAll`, `date`, `humanizeDuration`, …) or, for
/// alerting rules' labels and annotations, Prometheus's (`humanize`, `humanizePercentage`, …).
///
/// Each function declares its parameter types so that the executor can reject a wrong argument
/// with Go's wording (`wrong type for value; expected string; got int`) before calling it.
/// `and` and `or` are listed here but evaluated by the executor, which skips the arguments after
/// the one that decides the result.
enum TemplateFunctions {
    /// What a parameter accepts; variadic functions repeat their last parameter.
    enum Parameter: Sendable {
        case any
        case string
        case strings
        case time
    }

    /// What the function returns, for the static checks of ``TemplateTypeChecker``.
    typealias Result = TemplateTypeChecker.StaticType

    /// Which program's function set a template is written for.
    enum Dialect: Sendable {
        /// Alertmanager's notification templates.
        case alertmanager
        /// Prometheus's alerting rule templates (labels and annotations).
        case prometheus
    }

    struct Context {
        /// The instant `since` measures from.
        var now: Date
        /// What Prometheus's `externalURL` and `pathPrefix` return.
        var externalURL = ""
    }

    struct Function: Sendable {
        var parameters: [Parameter]
        var isVariadic = false
        var result: Result = .unknown
        /// Why a known function is refused when a template names it (Prometheus's `query`); nil
        /// for functions that run.
        var unsupported: String?
        var body: @Sendable (inout Context, [TemplateValue]) throws(TemplateError) -> TemplateValue

        var arity: ClosedRange<Int> {
            isVariadic ? (parameters.count - 1)...Int.max : parameters.count...parameters.count
        }

        func parameter(at index: Int) -> Parameter {
            index < parameters.count ? parameters[index] : parameters[parameters.count - 1]
        }
    }

    static func named(_ name: String, in dialect: Dialect = .alertmanager) -> Function? {
        switch dialect {
        case .alertmanager: all[name]
        case .prometheus: allPrometheus[name]
        }
    }

    static let all: [String: Function] = builtins.merging(alertmanager) { $1 }
    static let allPrometheus: [String: Function] = builtins.merging(prometheus) { $1 }

    /// Go's builtins (`text/template/funcs.go`).
    static let builtins: [String: Function] = [
        "and": Function(parameters: [.any, .any], isVariadic: true) { _, values throws(TemplateError) in
            values.first { !$0.isTrue } ?? values[values.count - 1]
        },
        "or": Function(parameters: [.any, .any], isVariadic: true) { _, values throws(TemplateError) in
            values.first { $0.isTrue } ?? values[values.count - 1]
        },
        "not": Function(parameters: [.any], result: .bool) { _, values throws(TemplateError) in .bool(!values[0].isTrue) },
        "len": Function(parameters: [.any], result: .int) { _, values throws(TemplateError) in
            guard let length = values[0].length else {
                if case .none = values[0] { throw failure("len of untyped nil") }
                throw failure("len of type \(values[0].typeName)")
            }
            return .int(length)
        },
        "index": Function(parameters: [.any, .any], isVariadic: true) { _, values throws(TemplateError) in
            try index(values[0], values.dropFirst())
        },
        "slice": Function(parameters: [.any, .any], isVariadic: true) { _, values throws(TemplateError) in
            try slice(values[0], Array(values.dropFirst()))
        },
        "print": Function(parameters: [.any], isVariadic: true, result: .string) { _, values throws(TemplateError) in
            .string(TemplateFormatter.sprint(values))
        },
        "println": Function(parameters: [.any], isVariadic: true, result: .string) { _, values throws(TemplateError) in
            .string(TemplateFormatter.sprintln(values))
        },
        "printf": Function(parameters: [.string, .any], isVariadic: true, result: .string) { _, values throws(TemplateError) in
            guard case .string(let format) = values[0] else { throw TemplateValue.wrongType("string", values[0]) }
            return .string(TemplateFormatter.sprintf(format, Array(values.dropFirst())))
        },
        "html": Function(parameters: [.any], isVariadic: true, result: .string) { _, values throws(TemplateError) in
            .string(TemplateEscaping.html(printedArguments(values)))
        },
        "js": Function(parameters: [.any], isVariadic: true, result: .string) { _, values throws(TemplateError) in
            .string(TemplateEscaping.javaScript(printedArguments(values)))
        },
        "urlquery": Function(parameters: [.any], isVariadic: true, result: .string) { _, values throws(TemplateError) in
            .string(TemplateEscaping.queryEscape(printedArguments(values)))
        },
        "eq": Function(parameters: [.any, .any], isVariadic: true, result: .bool) { _, values throws(TemplateError) in
            guard values.count > 1 else { throw failure("missing argument for comparison") }
            for other in values.dropFirst() where try TemplateComparison.equal(values[0], other) { return .bool(true) }
            return .bool(false)
        },
        "ne": Function(parameters: [.any, .any], result: .bool) { _, values throws(TemplateError) in
            .bool(try !TemplateComparison.equal(values[0], values[1]))
        },
        "lt": Function(parameters: [.any, .any], result: .bool) { _, values throws(TemplateError) in
            .bool(try TemplateComparison.less(values[0], values[1]))
        },
        "le": Function(parameters: [.any, .any], result: .bool) { _, values throws(TemplateError) in
            .bool(try lessOrEqual(values[0], values[1]))
        },
        "gt": Function(parameters: [.any, .any], result: .bool) { _, values throws(TemplateError) in
            .bool(try !lessOrEqual(values[0], values[1]))
        },
        "ge": Function(parameters: [.any, .any], result: .bool) { _, values throws(TemplateError) in
            .bool(try !TemplateComparison.less(values[0], values[1]))
        },
        "call": Function(parameters: [.any, .any], isVariadic: true) { _, values throws(TemplateError) in
            // Template data never holds functions, so `call` can only fail, as in Go.
            if case .none = values[0] { throw failure("call of nil") }
            throw failure("non-function of type \(values[0].typeName)")
        },
    ]

    private static func lessOrEqual(_ a: TemplateValue, _ b: TemplateValue) throws(TemplateError) -> Bool {
        if try TemplateComparison.less(a, b) { return true }
        return try TemplateComparison.equal(a, b)
    }

    /// Go's `evalArgs`: a lone string as is, anything else as `fmt.Sprint` prints it, with nil as
    /// `<no value>`.
    static func printedArguments(_ values: [TemplateValue]) -> String {
        if values.count == 1, case .string(let text) = values[0] { return text }
        return TemplateFormatter.sprint(values.map { if case .none = $0 { .string("<no value>") } else { $0 } })
    }

    /// Go's `index`: list positions, map keys (missing keys give ""), string bytes.
    static func index(_ item: TemplateValue, _ keys: ArraySlice<TemplateValue>) throws(TemplateError) -> TemplateValue {
        var item = item
        if case .none = item { throw failure("index of untyped nil") }
        for key in keys {
            if let map = item.stringMap {
                guard case .string(let name) = key else {
                    if case .none = key { throw failure("value is nil; should be of type string") }
                    throw failure("value has type \(key.typeName); should be string")
                }
                item = .string(map[name] ?? "")
                continue
            }
            let elements: [TemplateValue]
            switch item {
            case .strings(let values): elements = values.map(TemplateValue.string)
            case .pairs(let values): elements = values.map(TemplateValue.pair)
            case .alerts(let values, _): elements = values.map(TemplateValue.alert)
            case .string(let text): elements = text.utf8.map { .int(Int($0)) }
            default: throw failure("can't index item of type \(item.typeName)")
            }
            let position = try integerIndex(key)
            guard position >= 0, position < elements.count else { throw failure("index out of range: \(position)") }
            item = elements[position]
        }
        return item
    }

    /// Go's `slice`: `slice x 1 2` is `x[1:2]`; strings are sliced by bytes.
    static func slice(_ item: TemplateValue, _ bounds: [TemplateValue]) throws(TemplateError) -> TemplateValue {
        if case .none = item { throw failure("slice of untyped nil") }
        guard bounds.count <= 3 else { throw failure("too many slice indexes: \(bounds.count)") }
        guard let length = item.length, item.stringMap == nil else {
            throw failure("can't slice item of type \(item.typeName)")
        }
        if case .string = item, bounds.count == 3 { throw failure("cannot 3-index slice a string") }
        var indexes = [0, length, length]
        for (position, bound) in bounds.enumerated() {
            let value = try integerIndex(bound)
            guard value >= 0, value <= length else { throw failure("index out of range: \(value)") }
            indexes[position] = value
        }
        if indexes[0] > indexes[1] { throw failure("invalid slice index: \(indexes[0]) > \(indexes[1])") }
        if bounds.count == 3, indexes[1] > indexes[2] { throw failure("invalid slice index: \(indexes[1]) > \(indexes[2])") }
        let range = indexes[0]..<indexes[1]
        switch item {
        case .string(let text): return .string(String(decoding: Array(text.utf8)[range], as: UTF8.self))
        case .strings(let values): return .strings(Array(values[range]))
        case .pairs(let values): return .pairs(Array(values[range]))
        case .alerts(let values, let isAlertsType): return .alerts(Array(values[range]), isAlertsType: isAlertsType)
        default: throw failure("can't slice item of type \(item.typeName)")
        }
    }

    private static func integerIndex(_ value: TemplateValue) throws(TemplateError) -> Int {
        switch value {
        case .int(let number): return number
        case .duration(let number): return Int(number)
        case .month(let number), .weekday(let number): return number
        case .none: throw failure("cannot index slice/array with nil")
        default: throw failure("cannot index slice/array with type \(value.typeName)")
        }
    }

    /// An error a function returned; the executor adds `error calling <name>:` and the location.
    static func failure(_ message: String) -> TemplateError {
        TemplateError(code: .execution, message: message)
    }
}
