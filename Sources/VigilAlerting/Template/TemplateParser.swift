/// Builds ``TemplateAST`` definitions from tokens, following Go's `text/template/parse`.
///
/// Besides Go's own parse-time checks (undefined functions and variables, misplaced `{{ end }}`,
/// `{{ break }}` outside `{{ range }}`), the parser rejects mistakes that Go would only report
/// when the template runs and that fail every time they run: calling a function with the wrong
/// number of arguments, giving arguments to a constant, assigning an undeclared variable.
struct TemplateParser {
    /// The top level of the text plus every `define` and `block` in it, in source order.
    struct Result: Sendable {
        var root: TemplateAST.Definition
        var definitions: [TemplateAST.Definition]
    }

    /// What ended a list of nodes.
    enum Terminator {
        case end
        /// `{{ else }}`; `chained` when an `if` or `with` follows in the same action.
        case otherwise(chained: Bool)
    }

    let source: TemplateSource
    let tokens: [TemplateLexer.Token]
    /// Whose functions the text may call.
    var dialect: TemplateFunctions.Dialect = .alertmanager
    var index = 0
    var variables: [String] = ["$"]
    var rangeDepth = 0
    /// Blocks, `else if` links and parentheses open around the current token.
    var nesting = 0
    var definitions: [TemplateAST.Definition] = []

    /// Parsing, checking and running all recurse once per level, and must fit a task's stack.
    static let maximumNesting = 100

    static func parse(_ source: TemplateSource, rootName: String, dialect: TemplateFunctions.Dialect = .alertmanager) throws(TemplateError) -> Result {
        var parser = TemplateParser(source: source, tokens: try TemplateLexer.tokenize(source), dialect: dialect)
        let body = try parser.parseTopLevel()
        let root = TemplateAST.Definition(name: rootName, source: source.name, body: body)
        return Result(root: root, definitions: parser.definitions)
    }

    private mutating func parseTopLevel() throws(TemplateError) -> [TemplateAST.Node] {
        var nodes: [TemplateAST.Node] = []
        while peek().kind != .eof {
            if peek().kind == .leftDelim {
                let saved = index
                _ = next()
                if nextNonSpace().kind == .keyword(.define) {
                    try parseDefinition()
                    continue
                }
                index = saved
            }
            let start = peek()
            switch try textOrAction() {
            case .node(let node): nodes.append(node)
            case .terminator(.end): throw error("unexpected {{end}}", at: start)
            case .terminator(.otherwise): throw error("unexpected {{else}}", at: start)
            }
        }
        return nodes
    }

    private mutating func parseDefinition() throws(TemplateError) {
        let nameToken = nextNonSpace()
        let name = try templateName(nameToken, context: "define clause")
        try expect(.rightDelim, context: "define clause")
        let body = try withFreshScope { parser throws(TemplateError) in try parser.itemList() }
        guard case .end = body.1 else { throw error("unexpected {{else}} in define clause", at: nameToken) }
        try add(TemplateAST.Definition(name: name, source: source.name, body: body.0), at: nameToken)
    }

    /// Within one text a name may be defined once, though an empty definition may be replaced.
    private mutating func add(_ definition: TemplateAST.Definition, at token: TemplateLexer.Token) throws(TemplateError) {
        guard let index = definitions.firstIndex(where: { $0.name == definition.name }) else {
            definitions.append(definition)
            return
        }
        if definitions[index].isEmpty {
            definitions[index] = definition
        } else if !definition.isEmpty {
            throw error("template: multiple definition of template \"\(definition.name)\"", at: token)
        }
    }

    enum Item {
        case node(TemplateAST.Node)
        case terminator(Terminator)
    }

    /// Nodes up to the next `{{ end }}` or `{{ else }}`.
    mutating func itemList() throws(TemplateError) -> ([TemplateAST.Node], Terminator) {
        var nodes: [TemplateAST.Node] = []
        while peekNonSpace().kind != .eof {
            switch try textOrAction() {
            case .node(let node): nodes.append(node)
            case .terminator(let terminator): return (nodes, terminator)
            }
        }
        throw error("unexpected EOF", at: peek())
    }

    private mutating func textOrAction() throws(TemplateError) -> Item {
        let token = nextNonSpace()
        switch token.kind {
        case .text: return .node(.text(token.text))
        case .leftDelim: return try action()
        default: throw unexpected(token, in: "input")
        }
    }

    private mutating func action() throws(TemplateError) -> Item {
        let token = nextNonSpace()
        switch token.kind {
        case .keyword(.block):
            return .node(try blockControl(token))
        case .keyword(.break), .keyword(.continue):
            let isBreak = token.kind == .keyword(.break)
            let closing = nextNonSpace()
            guard closing.kind == .rightDelim else { throw unexpected(closing, in: "{{\(token.text)}}") }
            guard rangeDepth > 0 else { throw error("{{\(token.text)}} outside {{range}}", at: token) }
            return .node(.loopControl(isBreak: isBreak, position(of: token)))
        case .keyword(.else):
            let following = peekNonSpace().kind
            if following == .keyword(.if) || following == .keyword(.with) {
                return .terminator(.otherwise(chained: true))
            }
            try expect(.rightDelim, context: "else")
            return .terminator(.otherwise(chained: false))
        case .keyword(.end):
            try expect(.rightDelim, context: "end")
            return .terminator(.end)
        case .keyword(.if):
            return .node(.branch(try control(.ifBranch, at: token)))
        case .keyword(.range):
            return .node(.branch(try control(.range, at: token)))
        case .keyword(.with):
            return .node(.branch(try control(.with, at: token)))
        case .keyword(.template):
            let nameToken = nextNonSpace()
            let name = try templateName(nameToken, context: "template clause")
            var pipeline: TemplateAST.Pipeline?
            if nextNonSpace().kind != .rightDelim {
                backup()
                pipeline = try self.pipeline(context: "template clause", end: .rightDelim)
            }
            return .node(.include(TemplateAST.Include(name: name, pipeline: pipeline, position: position(of: token))))
        default:
            backup()
            return .node(.action(try pipeline(context: "command", end: .rightDelim)))
        }
    }

    /// `if`, `with` and `range`, including Go's `{{ else if }}` / `{{ else with }}` chains, which
    /// read as an `else` holding a nested `if`/`with` that shares the outer `{{ end }}`.
    private mutating func control(_ kind: TemplateAST.Branch.Kind, at token: TemplateLexer.Token) throws(TemplateError) -> TemplateAST.Branch {
        try enterNesting(at: token)
        let scope = variables.count
        defer {
            variables.removeLast(variables.count - scope)
            nesting -= 1
        }
        let pipeline = try self.pipeline(context: kind.rawValue, end: .rightDelim)
        if kind == .range { rangeDepth += 1 }
        let (body, terminator) = try itemList()
        if kind == .range { rangeDepth -= 1 }
        var elseBody: [TemplateAST.Node]?
        if case .otherwise = terminator {
            let following = peek()
            if kind == .ifBranch, following.kind == .keyword(.if) {
                _ = next()
                elseBody = [.branch(try control(.ifBranch, at: following))]
            } else if kind == .with, following.kind == .keyword(.with) {
                _ = next()
                elseBody = [.branch(try control(.with, at: following))]
            } else {
                let (nodes, next) = try itemList()
                guard case .end = next else { throw error("expected end; found {{else}}", at: peek()) }
                elseBody = nodes
            }
        }
        return TemplateAST.Branch(kind: kind, pipeline: pipeline, body: body, elseBody: elseBody, position: position(of: token))
    }

    /// `{{ block "name" pipeline }} body {{ end }}`: defines "name" and calls it in place.
    private mutating func blockControl(_ token: TemplateLexer.Token) throws(TemplateError) -> TemplateAST.Node {
        let nameToken = nextNonSpace()
        let name = try templateName(nameToken, context: "block clause")
        let pipeline = try self.pipeline(context: "block clause", end: .rightDelim)
        let body = try withFreshScope { parser throws(TemplateError) in try parser.itemList() }
        guard case .end = body.1 else { throw error("unexpected {{else}} in block clause", at: nameToken) }
        try add(TemplateAST.Definition(name: name, source: source.name, body: body.0), at: nameToken)
        return .include(TemplateAST.Include(name: name, pipeline: pipeline, position: position(of: token)))
    }

    /// A template body sees only `$`, and a `{{ break }}` in it cannot reach an outer range.
    private mutating func withFreshScope<T>(_ body: (inout TemplateParser) throws(TemplateError) -> T) throws(TemplateError) -> T {
        let savedVariables = variables
        let savedDepth = rangeDepth
        variables = ["$"]
        rangeDepth = 0
        defer {
            variables = savedVariables
            rangeDepth = savedDepth
        }
        return try body(&self)
    }

    mutating func enterNesting(at token: TemplateLexer.Token) throws(TemplateError) {
        nesting += 1
        guard nesting <= Self.maximumNesting else {
            throw error("blocks and parentheses nest deeper than \(Self.maximumNesting) levels", at: token, code: .limitExceeded)
        }
    }

    private mutating func templateName(_ token: TemplateLexer.Token, context: String) throws(TemplateError) -> String {
        guard token.kind == .string || token.kind == .rawString else { throw unexpected(token, in: context) }
        return try unquote(token)
    }

    // MARK: Tokens

    func peek() -> TemplateLexer.Token {
        tokens[min(index, tokens.count - 1)]
    }

    mutating func next() -> TemplateLexer.Token {
        let token = peek()
        index += 1
        return token
    }

    mutating func backup() {
        index -= 1
    }

    mutating func nextNonSpace() -> TemplateLexer.Token {
        var token = next()
        while token.kind == .space { token = next() }
        return token
    }

    mutating func peekNonSpace() -> TemplateLexer.Token {
        let token = nextNonSpace()
        backup()
        return token
    }

    private mutating func expect(_ kind: TemplateLexer.Token.Kind, context: String) throws(TemplateError) {
        let token = nextNonSpace()
        guard token.kind == kind else { throw unexpected(token, in: context) }
    }

    func position(of token: TemplateLexer.Token) -> TemplateAST.Position {
        source.position(ofByte: token.offset)
    }

    func error(_ message: String, at token: TemplateLexer.Token, code: TemplateError.Code = .syntax) -> TemplateError {
        source.error(code, message, atByte: token.offset)
    }

    func unexpected(_ token: TemplateLexer.Token, in context: String) -> TemplateError {
        let shown: String
        switch token.kind {
        case .eof: shown = "EOF"
        case .keyword(let keyword): shown = "<\(keyword.rawValue)>"
        default: shown = token.text.count > 10 ? "\"\(token.text.prefix(10))\"..." : "\"\(token.text)\""
        }
        return error("unexpected \(shown) in \(context)", at: token)
    }
}
