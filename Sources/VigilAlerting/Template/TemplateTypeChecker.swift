/// Checks a config field's template against the shape of ``TemplateData`` before it ever runs,
/// so that `{{ .CommonLabels.Foo.Bar }}` or `{{ .Alerts.Sorted }}` fails when the configuration
/// loads instead of at the first notification.
///
/// Only definite mistakes are reported: those Go would report every time the construct runs.
/// Anything whose type is not known for sure (the inside of a `{{ define }}`, which can be called
/// with any data, or a variable that is reassigned somewhere) is left to run time.
struct TemplateTypeChecker {
    /// What is known about a value before the template runs.
    enum StaticType: Equatable, Sendable {
        case unknown
        /// The `nil` literal.
        case none
        case bool, int, float, string, strings, kv, map, pairs, pair
        case alerts(isAlertsType: Bool)
        case alert, data, ruleData, time, duration, month, weekday

        var typeName: String {
            switch self {
            case .unknown: "unknown"
            case .none: "<nil>"
            case .bool: "bool"
            case .int: "int"
            case .float: "float64"
            case .string: "string"
            case .strings: "[]string"
            case .kv: "template.KV"
            case .map: "map[string]string"
            case .pairs: "template.Pairs"
            case .pair: "template.Pair"
            case .alerts(let isAlertsType): isAlertsType ? "template.Alerts" : "[]template.Alert"
            case .alert: "template.Alert"
            case .data: "*template.Data"
            case .ruleData: RuleTemplateData.goTypeName
            case .time: "time.Time"
            case .duration: "time.Duration"
            case .month: "time.Month"
            case .weekday: "time.Weekday"
            }
        }

        /// The basic kind Go's comparison functions use; nil for other types.
        var comparisonKind: TemplateComparison.Kind? {
            switch self {
            case .bool: .bool
            case .int, .duration, .month, .weekday: .int
            case .float: .float
            case .string: .string
            default: nil
            }
        }
    }

    private let source: String
    private let dialect: TemplateFunctions.Dialect
    private var variables: [(name: String, type: StaticType)]
    /// Variables assigned with `=` anywhere: their type may change while the template runs.
    private let reassigned: Set<String>

    /// Checks `definition` run with data of type `dot` (also `$`), calling `dialect`'s functions.
    static func check(_ definition: TemplateAST.Definition, dot: StaticType, dialect: TemplateFunctions.Dialect = .alertmanager) throws(TemplateError) {
        var reassigned = Set<String>()
        collectAssignments(definition.body, into: &reassigned)
        var checker = TemplateTypeChecker(source: definition.source, dialect: dialect, variables: [("$", dot)], reassigned: reassigned)
        try checker.walk(definition.body, dot: dot)
    }

    private mutating func walk(_ nodes: [TemplateAST.Node], dot: StaticType) throws(TemplateError) {
        for node in nodes {
            switch node {
            case .text, .loopControl:
                break
            case .action(let pipeline):
                _ = try type(of: pipeline, dot: dot)
            case .include(let include):
                if let pipeline = include.pipeline { _ = try type(of: pipeline, dot: dot) }
            case .branch(let branch):
                let mark = variables.count
                defer { variables.removeLast(variables.count - mark) }
                let type = try type(of: branch.pipeline, dot: dot)
                var bodyDot = dot
                switch branch.kind {
                case .ifBranch:
                    break
                case .with:
                    bodyDot = type
                case .range:
                    let (key, element) = try rangeTypes(of: type, at: branch.pipeline.position)
                    let declarations = branch.pipeline.declarations
                    if !branch.pipeline.isAssignment, !declarations.isEmpty {
                        setTopVariable(declarations[declarations.count - 1].name, offset: 1, element)
                        if declarations.count > 1 { setTopVariable(declarations[0].name, offset: 2, key) }
                    }
                    bodyDot = element
                }
                let bodyMark = variables.count
                try walk(branch.body, dot: bodyDot)
                variables.removeLast(variables.count - bodyMark)
                if let elseBody = branch.elseBody { try walk(elseBody, dot: dot) }
            }
        }
    }

    private func rangeTypes(of type: StaticType, at position: TemplateAST.Position) throws(TemplateError) -> (StaticType, StaticType) {
        switch type {
        case .strings: return (.int, .string)
        case .pairs: return (.int, .pair)
        case .alerts: return (.int, .alert)
        case .kv, .map: return (.string, .string)
        case .int: return (.int, .int)
        case .unknown, .none: return (.unknown, .unknown)
        default: throw error("range can't iterate over a value of type \(type.typeName)", at: position, construct: "range")
        }
    }

    private mutating func setTopVariable(_ name: String, offset: Int, _ type: StaticType) {
        guard variables.count >= offset else { return }
        variables[variables.count - offset].type = reassigned.contains(name) ? .unknown : type
    }

    private mutating func type(of pipeline: TemplateAST.Pipeline, dot: StaticType) throws(TemplateError) -> StaticType {
        var type: StaticType?
        for command in pipeline.commands {
            type = try self.type(of: command, dot: dot, final: type)
        }
        let result = type ?? .unknown
        if !pipeline.isAssignment {
            for declaration in pipeline.declarations {
                variables.append((declaration.name, reassigned.contains(declaration.name) ? .unknown : result))
            }
        }
        return result
    }

    private mutating func type(of command: TemplateAST.Command, dot: StaticType, final: StaticType?) throws(TemplateError) -> StaticType {
        let head = command.arguments[0]
        let arguments = command.arguments.dropFirst()
        var argumentTypes: [StaticType] = []
        for argument in arguments { argumentTypes.append(try type(of: argument, dot: dot)) }
        if let final { argumentTypes.append(final) }
        switch head.kind {
        case .field(let names):
            return try chain(dot, names, argumentCount: argumentTypes.count, operand: head)
        case .chain(let base, let names):
            return try chain(try type(of: base, dot: dot), names, argumentCount: argumentTypes.count, operand: head)
        case .variable(let name, let names):
            let type = variableType(name)
            return names.isEmpty ? type : try chain(type, names, argumentCount: argumentTypes.count, operand: head)
        case .function(let name):
            return try call(name, argumentTypes, arguments: Array(arguments), operand: head)
        default:
            return try type(of: head, dot: dot)
        }
    }

    private mutating func type(of operand: TemplateAST.Operand, dot: StaticType) throws(TemplateError) -> StaticType {
        switch operand.kind {
        case .dot: return dot
        case .nilLiteral: return .none
        case .bool: return .bool
        case .string: return .string
        case .number(let number): return number.isFloatSyntax ? .float : .int
        case .field(let names): return try chain(dot, names, argumentCount: 0, operand: operand)
        case .variable(let name, let names):
            let type = variableType(name)
            return names.isEmpty ? type : try chain(type, names, argumentCount: 0, operand: operand)
        case .chain(let base, let names): return try chain(try type(of: base, dot: dot), names, argumentCount: 0, operand: operand)
        case .pipeline(let pipeline): return try type(of: pipeline, dot: dot)
        case .function(let name): return try call(name, [], arguments: [], operand: operand)
        }
    }

    private func variableType(_ name: String) -> StaticType {
        variables.last { $0.name == name }?.type ?? .unknown
    }

    private func chain(_ receiver: StaticType, _ names: [String], argumentCount: Int, operand: TemplateAST.Operand) throws(TemplateError) -> StaticType {
        var type = receiver
        for (index, name) in names.enumerated() {
            let count = index == names.count - 1 ? argumentCount : 0
            do {
                type = try Self.member(name, of: type, argumentCount: count)
            } catch {
                throw self.error(error.message, at: operand.position, construct: operand.description)
            }
        }
        return type
    }

    private func call(_ name: String, _ types: [StaticType], arguments: [TemplateAST.Operand], operand: TemplateAST.Operand) throws(TemplateError) -> StaticType {
        guard let function = TemplateFunctions.named(name, in: dialect) else { return .unknown }
        for (index, type) in types.enumerated() {
            let expected: StaticType
            switch function.parameter(at: index) {
            case .any: continue
            case .string: expected = .string
            case .strings: expected = .strings
            case .time: expected = .time
            }
            guard type != .unknown, type != expected else { continue }
            let place = index < arguments.count ? arguments[index] : operand
            let message =
                switch place.kind {
                case .nilLiteral: "cannot assign nil to \(expected.typeName)"
                case .number, .bool, .string: "expected \(expected.typeName); found \(place)"
                default: "wrong type for value; expected \(expected.typeName); got \(type.typeName)"
                }
            throw error(message, at: place.position, construct: place.description)
        }
        try checkComparison(name, types, operand: operand)
        try checkLiterals(name, arguments, operand: operand)
        switch name {
        case "index":
            switch types.first {
            case .kv?, .map?, .strings?: return types.count == 2 ? .string : .unknown
            case .pairs?: return types.count == 2 ? .pair : .unknown
            case .alerts?: return types.count == 2 ? .alert : .unknown
            default: return .unknown
            }
        case "slice":
            return types.first ?? .unknown
        default:
            return function.result
        }
    }

    /// Go's comparison functions reject operands of different basic kinds, and `lt` & co. reject
    /// lists, maps and structs.
    private func checkComparison(_ name: String, _ types: [StaticType], operand: TemplateAST.Operand) throws(TemplateError) {
        guard ["eq", "ne", "lt", "le", "gt", "ge"].contains(name), let first = types.first, first != .unknown else { return }
        let ordered = name != "eq" && name != "ne"
        for other in types.dropFirst() where other != .unknown && other != .none && first != .none {
            if ordered, first.comparisonKind == nil || other.comparisonKind == nil || first == .bool {
                throw error("error calling \(name): invalid type for comparison", at: operand.position, construct: operand.description)
            }
            if let kind = first.comparisonKind, let otherKind = other.comparisonKind, kind != otherKind {
                throw error("error calling \(name): incompatible types for comparison", at: operand.position, construct: operand.description)
            }
        }
    }

    /// Regular expressions and zone names written as literals can be tried now; `call` can
    /// never succeed because template data holds no functions.
    private func checkLiterals(_ name: String, _ arguments: [TemplateAST.Operand], operand: TemplateAST.Operand) throws(TemplateError) {
        if name == "call" {
            throw error("call: template data holds no functions to call", at: operand.position, construct: name)
        }
        guard let first = arguments.first, case .string(let text, _) = first.kind else { return }
        switch name {
        case "match", "reReplaceAll":
            do {
                _ = try TemplateRegex(text)
            } catch {
                throw self.error("error calling \(name): \(error.message)", at: first.position, construct: first.description)
            }
        case "tz" where TemplateTimeZone.load(text) == nil:
            throw error("error calling tz: unknown time zone \(text)", at: first.position, construct: first.description)
        default:
            break
        }
    }

    private func error(_ message: String, at position: TemplateAST.Position, construct: String) -> TemplateError {
        TemplateError(code: .typeMismatch, message: "\(TemplateSource.location(source: source, position)): at <\(construct)>: \(message)")
    }

    private static func collectAssignments(_ nodes: [TemplateAST.Node], into names: inout Set<String>) {
        for node in nodes {
            switch node {
            case .action(let pipeline) where pipeline.isAssignment:
                names.formUnion(pipeline.declarations.map(\.name))
            case .branch(let branch):
                if branch.pipeline.isAssignment { names.formUnion(branch.pipeline.declarations.map(\.name)) }
                collectAssignments(branch.body, into: &names)
                collectAssignments(branch.elseBody ?? [], into: &names)
            default:
                break
            }
        }
    }
}
