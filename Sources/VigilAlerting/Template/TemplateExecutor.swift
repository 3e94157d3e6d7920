import Foundation

/// Runs parsed templates against data the way Go's `text/template` executor does, with
/// Alertmanager's `missingkey=zero` option.
///
/// Variables live on one stack as in Go: `if`, `with` and `range` pop what their pipelines and
/// bodies declared, and a `{{ template }}` call starts a fresh stack holding only `$`.
struct TemplateExecutor {
    /// Template calls, blocks and parenthesized pipelines together may nest this deep. Go allows
    /// 100 000 template calls on its growable stacks; this runs on fixed 512 KiB task stacks.
    static let maximumDepth = 150
    /// Rendered text may not grow past this many bytes.
    static let maximumOutput = 16 << 20
    /// Loop iterations and template calls allowed in one rendering.
    static let maximumSteps = 10_000_000

    enum Flow {
        case normal, breakLoop, continueLoop
    }

    private let lookup: (String) -> TemplateAST.Definition?
    /// Whose functions the template calls.
    let dialect: TemplateFunctions.Dialect
    private var context: TemplateFunctions.Context
    private var output = ""
    var variables: [(name: String, value: TemplateValue)] = []
    var depth = 0
    private var steps = 0
    private var current: TemplateAST.Definition

    /// Renders `definition` with `data` as both `.` and `$`.
    static func render(
        _ definition: TemplateAST.Definition,
        data: TemplateValue,
        now: Date,
        dialect: TemplateFunctions.Dialect = .alertmanager,
        externalURL: String = "",
        lookup: @escaping (String) -> TemplateAST.Definition?
    ) throws(TemplateError) -> String {
        let context = TemplateFunctions.Context(now: now, externalURL: externalURL)
        var executor = TemplateExecutor(lookup: lookup, dialect: dialect, context: context, current: definition)
        executor.variables = [("$", data)]
        _ = try executor.walk(definition.body, dot: data)
        return executor.output
    }

    private init(
        lookup: @escaping (String) -> TemplateAST.Definition?, dialect: TemplateFunctions.Dialect, context: TemplateFunctions.Context,
        current: TemplateAST.Definition
    ) {
        self.lookup = lookup
        self.dialect = dialect
        self.context = context
        self.current = current
    }

    private mutating func walk(_ nodes: [TemplateAST.Node], dot: TemplateValue) throws(TemplateError) -> Flow {
        for node in nodes {
            switch node {
            case .text(let text):
                try write(text)
            case .action(let pipeline):
                let value = try evaluate(pipeline, dot: dot)
                if pipeline.declarations.isEmpty { try write(Self.printed(value)) }
            case .branch(let branch):
                let flow = branch.kind == .range ? try walkRange(branch, dot: dot) : try walkCondition(branch, dot: dot)
                if flow != .normal { return flow }
            case .include(let include):
                try walkInclude(include, dot: dot)
            case .loopControl(let isBreak, _):
                return isBreak ? .breakLoop : .continueLoop
            }
        }
        return .normal
    }

    private mutating func walkCondition(_ branch: TemplateAST.Branch, dot: TemplateValue) throws(TemplateError) -> Flow {
        try enter(at: branch.position, construct: branch.kind.rawValue)
        let mark = variables.count
        defer {
            variables.removeLast(variables.count - mark)
            depth -= 1
        }
        let value = try evaluate(branch.pipeline, dot: dot)
        if value.isTrue { return try walk(branch.body, dot: branch.kind == .with ? value : dot) }
        if let elseBody = branch.elseBody { return try walk(elseBody, dot: dot) }
        return .normal
    }

    private mutating func walkRange(_ branch: TemplateAST.Branch, dot: TemplateValue) throws(TemplateError) -> Flow {
        try enter(at: branch.position, construct: "range")
        let mark = variables.count
        defer {
            variables.removeLast(variables.count - mark)
            depth -= 1
        }
        let value = try evaluate(branch.pipeline, dot: dot)
        guard let elements = value.rangeElements else {
            if case .none = value {
                // Go ranges over nil as over an empty list.
                return try branch.elseBody.map { body throws(TemplateError) in try walk(body, dot: dot) } ?? .normal
            }
            throw error(.typeMismatch, "range can't iterate over \(Self.printed(value))", at: branch.position, construct: "range")
        }
        guard !elements.isEmpty else {
            return try branch.elseBody.map { body throws(TemplateError) in try walk(body, dot: dot) } ?? .normal
        }
        let declarations = branch.pipeline.declarations
        let bodyMark = variables.count
        for (key, element) in elements {
            try step(at: branch.position)
            if branch.pipeline.isAssignment {
                if declarations.count > 1 {
                    setVariable(declarations[0].name, key)
                    setVariable(declarations[1].name, element)
                } else if let only = declarations.first {
                    setVariable(only.name, element)
                }
            } else if !declarations.isEmpty {
                variables[variables.count - 1].value = element
                if declarations.count > 1 { variables[variables.count - 2].value = key }
            }
            let flow = try walk(branch.body, dot: element)
            variables.removeLast(variables.count - bodyMark)
            if flow == .breakLoop { break }
        }
        return .normal
    }

    private mutating func walkInclude(_ include: TemplateAST.Include, dot: TemplateValue) throws(TemplateError) {
        guard let definition = lookup(include.name) else {
            throw error(.undefinedTemplate, "template \"\(include.name)\" not defined", at: include.position, construct: "template")
        }
        try step(at: include.position)
        let newDot = try include.pipeline.map { pipeline throws(TemplateError) in try evaluate(pipeline, dot: dot) } ?? .none
        try enter(at: include.position, construct: "template")
        let saved = (variables, current)
        variables = [("$", newDot)]
        current = definition
        defer {
            (variables, current) = saved
            depth -= 1
        }
        _ = try walk(definition.body, dot: newDot)
    }

    // MARK: Support

    /// How an action prints its value: nil as `<no value>`, `*Data` without fmt's `&`.
    static func printed(_ value: TemplateValue) -> String {
        switch value {
        case .none: return "<no value>"
        case .data:
            var formatter = TemplateFormatter()
            formatter.printArgument(value, verb: "v", depth: 1)
            return formatter.output
        default: return TemplateFormatter.string(of: value)
        }
    }

    private mutating func write(_ text: String) throws(TemplateError) {
        output += text
        guard output.utf8.count <= Self.maximumOutput else {
            throw TemplateError(code: .limitExceeded, message: "rendered text exceeds \(Self.maximumOutput) bytes")
        }
    }

    /// Counts one level of nesting; the caller undoes it with `depth -= 1`.
    mutating func enter(at position: TemplateAST.Position, construct: String) throws(TemplateError) {
        guard depth < Self.maximumDepth else {
            throw error(.limitExceeded, "exceeded maximum template depth (\(Self.maximumDepth))", at: position, construct: construct)
        }
        depth += 1
    }

    private mutating func step(at position: TemplateAST.Position) throws(TemplateError) {
        steps += 1
        guard steps <= Self.maximumSteps else {
            throw error(.limitExceeded, "more than \(Self.maximumSteps) loop iterations and template calls", at: position, construct: "range")
        }
    }

    func variable(_ name: String, at operand: TemplateAST.Operand) throws(TemplateError) -> TemplateValue {
        guard let entry = variables.last(where: { $0.name == name }) else {
            throw error(.undefinedVariable, "undefined variable: \(name)", at: operand.position, construct: operand.description)
        }
        return entry.value
    }

    mutating func setVariable(_ name: String, _ value: TemplateValue) {
        if let index = variables.lastIndex(where: { $0.name == name }) { variables[index].value = value }
    }

    mutating func callFunction(_ function: TemplateFunctions.Function, _ values: [TemplateValue]) throws(TemplateError) -> TemplateValue {
        try function.body(&context, values)
    }

    /// Go's execution error: `file:line:column: executing "name" at <construct>: message`.
    func error(_ code: TemplateError.Code, _ message: String, at position: TemplateAST.Position, construct: String) -> TemplateError {
        let location = TemplateSource.location(source: current.source, position)
        let executing = current.name.isEmpty ? "" : "executing \"\(current.name)\" "
        return TemplateError(code: code, message: "\(location): \(executing)at <\(construct)>: \(message)")
    }
}
