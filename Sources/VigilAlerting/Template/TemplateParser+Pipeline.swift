extension TemplateParser {
    /// `[$x :=] command [| command]…` up to `end` (`}}` or `)`).
    mutating func pipeline(context: String, end: TemplateLexer.Token.Kind) throws(TemplateError) -> TemplateAST.Pipeline {
        let first = peekNonSpace()
        var pipeline = TemplateAST.Pipeline(declarations: [], isAssignment: false, commands: [], position: position(of: first))
        try parseDeclarations(into: &pipeline, context: context)
        while true {
            let token = nextNonSpace()
            if token.kind == end {
                // Go accepts a trailing "|" and ignores it.
                try check(pipeline, context: context, at: token)
                break
            }
            switch token.kind {
            case .bool, .charConstant, .dot, .field, .identifier, .number, .nilKeyword, .rawString, .string, .variable, .leftParen:
                backup()
                pipeline.commands.append(try self.command())
            default:
                throw unexpected(token, in: context)
            }
        }
        for variable in pipeline.declarations {
            if pipeline.isAssignment {
                guard variables.contains(variable.name) else {
                    throw source.error(.undefinedVariable, "undefined variable \"\(variable.name)\"", at: variable.position)
                }
            } else {
                variables.append(variable.name)
            }
        }
        return pipeline
    }

    /// `$x :=`, `$x =`, and in `range` also `$i, $e :=`.
    private mutating func parseDeclarations(into pipeline: inout TemplateAST.Pipeline, context: String) throws(TemplateError) {
        while peekNonSpace().kind == .variable {
            let start = index
            let variable = next()
            let following = peekNonSpace()
            let declared = TemplateAST.Variable(name: variable.text, position: position(of: variable))
            switch following.kind {
            case .assign, .declare:
                _ = nextNonSpace()
                pipeline.isAssignment = following.kind == .assign
                pipeline.declarations.append(declared)
                return
            case .comma:
                _ = nextNonSpace()
                pipeline.declarations.append(declared)
                if context == "range", pipeline.declarations.count < 2 {
                    switch peekNonSpace().kind {
                    case .variable, .rightDelim, .rightParen: continue
                    default: throw error("range can only initialize variables", at: peekNonSpace())
                    }
                }
                throw error("too many declarations in \(context)", at: variable)
            default:
                index = start
                return
            }
        }
    }

    /// Go's `checkPipeline`, plus the argument checks Go defers to execution time.
    private func check(_ pipeline: TemplateAST.Pipeline, context: String, at token: TemplateLexer.Token) throws(TemplateError) {
        guard !pipeline.commands.isEmpty else { throw error("missing value for \(context)", at: token) }
        for (stage, command) in pipeline.commands.enumerated() {
            let head = command.arguments[0]
            let piped = stage > 0
            if piped, !head.isExecutable {
                throw source.error(.syntax, "non executable command in pipeline stage \(stage + 1)", at: head.position)
            }
            switch head.kind {
            case .nilLiteral:
                throw source.error(.syntax, "nil is not a command", at: head.position)
            case .dot, .bool, .number, .string, .pipeline, .variable(_, fields: []):
                if command.arguments.count > 1 || piped {
                    throw source.error(.typeMismatch, "can't give argument to non-function \(head)", at: head.position)
                }
            case .function(let name):
                try checkArity(name, count: command.arguments.count - 1 + (piped ? 1 : 0), at: head.position)
            case .field, .variable, .chain:
                break
            }
            for argument in command.arguments.dropFirst() {
                if case .function(let name) = argument.kind {
                    try checkArity(name, count: 0, at: argument.position)
                }
            }
        }
    }

    private func checkArity(_ name: String, count: Int, at position: TemplateAST.Position) throws(TemplateError) {
        guard let function = TemplateFunctions.named(name, in: dialect) else { return }
        let arity = function.arity
        if count < arity.lowerBound || count > arity.upperBound {
            let wanted = arity.upperBound == Int.max ? "at least \(arity.lowerBound)" : "\(arity.lowerBound)"
            throw source.error(.typeMismatch, "wrong number of args for \(name): want \(wanted) got \(count)", at: position)
        }
    }

    /// Operands separated by spaces, ending before `}}`/`)` or after `|`.
    private mutating func command() throws(TemplateError) -> TemplateAST.Command {
        var command = TemplateAST.Command(arguments: [], position: position(of: peekNonSpace()))
        while true {
            _ = peekNonSpace()
            if let operand = try operand() { command.arguments.append(operand) }
            let token = next()
            switch token.kind {
            case .space:
                continue
            case .rightDelim, .rightParen:
                backup()
            case .pipe:
                break
            default:
                throw unexpected(token, in: "operand")
            }
            break
        }
        guard !command.arguments.isEmpty else { throw error("empty command", at: peek()) }
        return command
    }

    /// A term followed by any `.Field` chain.
    private mutating func operand() throws(TemplateError) -> TemplateAST.Operand? {
        guard var operand = try term() else { return nil }
        guard peek().kind == .field else { return operand }
        var fields: [String] = []
        while peek().kind == .field { fields.append(String(next().text.dropFirst())) }
        switch operand.kind {
        case .field(let names):
            operand.kind = .field(names + fields)
        case .variable(let name, let names):
            operand.kind = .variable(name, fields: names + fields)
        case .bool, .string, .number, .nilLiteral, .dot:
            throw source.error(.syntax, "unexpected . after term \"\(operand)\"", at: operand.position)
        case .chain, .pipeline, .function:
            operand = TemplateAST.Operand(kind: .chain(operand, fields: fields), position: operand.position)
        }
        return operand
    }

    private mutating func term() throws(TemplateError) -> TemplateAST.Operand? {
        let token = nextNonSpace()
        let kind: TemplateAST.Operand.Kind
        switch token.kind {
        case .identifier:
            guard let function = TemplateFunctions.named(token.text, in: dialect) else {
                throw error("function \"\(token.text)\" not defined", at: token, code: .undefinedFunction)
            }
            if let reason = function.unsupported {
                throw error("function \"\(token.text)\" not supported: \(reason)", at: token, code: .unsupported)
            }
            kind = .function(token.text)
        case .dot:
            kind = .dot
        case .nilKeyword:
            kind = .nilLiteral
        case .variable:
            guard variables.contains(token.text) else {
                throw error("undefined variable \"\(token.text)\"", at: token, code: .undefinedVariable)
            }
            kind = .variable(token.text, fields: [])
        case .field:
            kind = .field([String(token.text.dropFirst())])
        case .bool:
            kind = .bool(token.text == "true")
        case .number, .charConstant:
            kind = .number(try number(token))
        case .leftParen:
            try enterNesting(at: token)
            defer { nesting -= 1 }
            kind = .pipeline(try pipeline(context: "parenthesized pipeline", end: .rightParen))
        case .string, .rawString:
            kind = .string(try unquote(token), literal: token.text)
        default:
            backup()
            return nil
        }
        return TemplateAST.Operand(kind: kind, position: position(of: token))
    }
}
