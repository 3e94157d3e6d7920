extension TemplateExecutor {
    /// Runs the commands left to right, each receiving the previous result as its last argument,
    /// then declares or assigns the pipeline's variables.
    mutating func evaluate(_ pipeline: TemplateAST.Pipeline, dot: TemplateValue) throws(TemplateError) -> TemplateValue {
        var value: TemplateValue?
        for command in pipeline.commands {
            value = try evaluate(command, dot: dot, final: value)
        }
        let result = value ?? .none
        for declaration in pipeline.declarations {
            if pipeline.isAssignment {
                setVariable(declaration.name, result)
            } else {
                variables.append((declaration.name, result))
            }
        }
        return result
    }

    private mutating func evaluate(_ command: TemplateAST.Command, dot: TemplateValue, final: TemplateValue?) throws(TemplateError) -> TemplateValue {
        let head = command.arguments[0]
        let arguments = command.arguments.dropFirst()
        switch head.kind {
        case .field(let names):
            return try chain(dot, names, arguments: arguments, final: final, dot: dot, operand: head)
        case .chain(let base, let names):
            return try chain(try value(of: base, dot: dot), names, arguments: arguments, final: final, dot: dot, operand: head)
        case .variable(let name, let names):
            let value = try variable(name, at: head)
            if names.isEmpty { return value }
            return try chain(value, names, arguments: arguments, final: final, dot: dot, operand: head)
        case .function(let name):
            return try call(name, arguments: arguments, final: final, dot: dot, operand: head)
        default:
            return try value(of: head, dot: dot)
        }
    }

    /// `receiver.A.B args…`: every name but the last takes no arguments.
    private mutating func chain(
        _ receiver: TemplateValue, _ names: [String], arguments: ArraySlice<TemplateAST.Operand>, final: TemplateValue?,
        dot: TemplateValue, operand: TemplateAST.Operand
    ) throws(TemplateError) -> TemplateValue {
        var value = receiver
        do {
            for name in names.dropLast() { value = try value.member(name, arguments: []) }
        } catch {
            throw self.error(error.code, error.message, at: operand.position, construct: operand.description)
        }
        var values: [TemplateValue] = []
        for argument in arguments { values.append(try self.value(of: argument, dot: dot)) }
        if let final { values.append(final) }
        do {
            return try value.member(names[names.count - 1], arguments: values)
        } catch {
            throw self.error(error.code, error.message, at: operand.position, construct: operand.description)
        }
    }

    /// The value of an operand used as an argument (or alone).
    mutating func value(of operand: TemplateAST.Operand, dot: TemplateValue) throws(TemplateError) -> TemplateValue {
        switch operand.kind {
        case .dot: return dot
        case .nilLiteral: return .none
        case .bool(let flag): return .bool(flag)
        case .string(let text, _): return .string(text)
        case .number(let number):
            if number.isFloatSyntax, let float = number.float { return .float(float) }
            guard let integer = number.integer else {
                throw error(.execution, "\(number.text) overflows int", at: operand.position, construct: operand.description)
            }
            return .int(integer)
        case .field(let names):
            return try chain(dot, names, arguments: [], final: nil, dot: dot, operand: operand)
        case .variable(let name, let names):
            let value = try variable(name, at: operand)
            if names.isEmpty { return value }
            return try chain(value, names, arguments: [], final: nil, dot: dot, operand: operand)
        case .chain(let base, let names):
            if case .nilLiteral = base.kind {
                throw error(.typeMismatch, "indirection through explicit nil in \(operand)", at: operand.position, construct: operand.description)
            }
            return try chain(try value(of: base, dot: dot), names, arguments: [], final: nil, dot: dot, operand: operand)
        case .pipeline(let pipeline):
            try enter(at: operand.position, construct: operand.description)
            defer { depth -= 1 }
            return try evaluate(pipeline, dot: dot)
        case .function(let name):
            return try call(name, arguments: [], final: nil, dot: dot, operand: operand)
        }
    }

    private mutating func call(
        _ name: String, arguments: ArraySlice<TemplateAST.Operand>, final: TemplateValue?, dot: TemplateValue,
        operand: TemplateAST.Operand
    ) throws(TemplateError) -> TemplateValue {
        guard let function = TemplateFunctions.named(name, in: dialect) else {
            throw error(.undefinedFunction, "function \"\(name)\" not defined", at: operand.position, construct: name)
        }
        if name == "and" || name == "or" {
            // Go stops at the first argument that decides the result.
            var last = TemplateValue.none
            for argument in arguments {
                last = try value(of: argument, dot: dot)
                if last.isTrue == (name == "or") { return last }
            }
            return final ?? last
        }
        var values: [TemplateValue] = []
        for (index, argument) in arguments.enumerated() {
            let value = try value(of: argument, dot: dot)
            try check(value, from: argument, against: function.parameter(at: index))
            values.append(value)
        }
        if let final {
            try check(final, from: nil, against: function.parameter(at: values.count), at: operand)
            values.append(final)
        }
        do {
            return try callFunction(function, values)
        } catch {
            throw self.error(error.code, "error calling \(name): \(error.message)", at: operand.position, construct: operand.description)
        }
    }

    /// Go's `evalArg`/`validateType` wording for an argument of the wrong type.
    private func check(
        _ value: TemplateValue, from argument: TemplateAST.Operand?, against parameter: TemplateFunctions.Parameter,
        at site: TemplateAST.Operand? = nil
    ) throws(TemplateError) {
        let expected: String
        switch (parameter, value) {
        case (.any, _), (.string, .string), (.strings, .strings), (.time, .time): return
        case (.string, _): expected = "string"
        case (.strings, _): expected = "[]string"
        case (.time, _): expected = "time.Time"
        }
        guard let place = argument ?? site else { return }
        let message: String
        switch argument?.kind {
        case .nilLiteral?: message = "cannot assign nil to \(expected)"
        case .number?, .bool?, .string?: message = parameter == .time ? "can't handle \(place) for arg of type time.Time" : "expected \(expected); found \(place)"
        default: message = TemplateValue.wrongType(expected, value).message
        }
        throw error(.typeMismatch, message, at: place.position, construct: place.description)
    }
}
