/// The parsed form of a template: what ``TemplateParser`` builds and ``TemplateExecutor`` walks.
///
/// The shapes follow Go's `text/template/parse` package so that behaviour (and error wording)
/// carries over: a template is a list of nodes, actions hold pipelines, pipelines hold commands,
/// commands hold operands.
enum TemplateAST {
    /// A 1-based line and column (in characters) in a template's source text.
    struct Position: Sendable, CustomStringConvertible {
        var line: Int
        var column: Int
        var description: String { "\(line):\(column)" }
    }

    indirect enum Node: Sendable {
        case text(String)
        /// `{{ pipeline }}`: prints the value unless the pipeline declares or assigns variables.
        case action(Pipeline)
        case branch(Branch)
        /// `{{ template "name" pipeline }}`, also the call half of `{{ block }}`.
        case include(Include)
        /// `{{ break }}` (true) or `{{ continue }}` (false).
        case loopControl(isBreak: Bool, Position)
    }

    /// `if`, `with` and `range`, which share one shape: a pipeline, a body and an optional else.
    struct Branch: Sendable {
        enum Kind: String, Sendable {
            case ifBranch = "if"
            case with
            case range
        }

        var kind: Kind
        var pipeline: Pipeline
        var body: [Node]
        var elseBody: [Node]?
        var position: Position
    }

    struct Include: Sendable {
        var name: String
        var pipeline: Pipeline?
        var position: Position
    }

    struct Pipeline: Sendable, CustomStringConvertible {
        var declarations: [Variable]
        /// `$x = …` rather than `$x := …`.
        var isAssignment: Bool
        var commands: [Command]
        var position: Position

        var description: String {
            var text = ""
            if !declarations.isEmpty {
                text = declarations.map(\.name).joined(separator: ", ") + (isAssignment ? " = " : " := ")
            }
            return text + commands.map(\.description).joined(separator: " | ")
        }
    }

    struct Variable: Sendable {
        var name: String
        var position: Position
    }

    struct Command: Sendable, CustomStringConvertible {
        var arguments: [Operand]
        var position: Position
        var description: String { arguments.map(\.description).joined(separator: " ") }
    }

    struct Operand: Sendable, CustomStringConvertible {
        indirect enum Kind: Sendable {
            case dot
            case nilLiteral
            case bool(Bool)
            case number(Number)
            /// The unquoted value and the literal as written.
            case string(String, literal: String)
            /// `.A.B` on dot.
            case field([String])
            /// `$x.A.B`; `$` alone is the template's root data.
            case variable(String, fields: [String])
            /// `(pipeline).A.B`.
            case chain(Operand, fields: [String])
            case pipeline(Pipeline)
            case function(String)
        }

        var kind: Kind
        var position: Position

        /// True for operands that can take arguments: functions and field or method chains.
        var isExecutable: Bool {
            switch kind {
            case .field, .chain, .function, .pipeline, .variable: true
            case .dot, .nilLiteral, .bool, .number, .string: false
            }
        }

        var description: String {
            switch kind {
            case .dot: "."
            case .nilLiteral: "nil"
            case .bool(let value): value ? "true" : "false"
            case .number(let number): number.text
            case .string(_, let literal): literal
            case .field(let names): names.map { "." + $0 }.joined()
            case .variable(let name, let fields): name + fields.map { "." + $0 }.joined()
            case .chain(let base, let fields): base.description + fields.map { "." + $0 }.joined()
            case .pipeline(let pipeline): "(\(pipeline))"
            case .function(let name): name
            }
        }
    }

    /// A numeric literal. Go keeps every reading of the text; functions taking `any` receive an
    /// `int` unless the text has a fraction or exponent, in which case they receive a `float64`.
    struct Number: Sendable {
        var text: String
        var integer: Int?
        var float: Double?
        var isFloatSyntax: Bool
    }

    /// A named template: a `define`, a `block`, or the top level of a file or a config field.
    struct Definition: Sendable {
        var name: String
        /// Where the text came from, for error messages: a file name or "field text".
        var source: String
        var body: [Node]

        /// Go does not let a definition that is only whitespace replace an existing one.
        var isEmpty: Bool {
            body.allSatisfy { node in
                if case .text(let text) = node { return text.allSatisfy(\.isWhitespace) }
                return false
            }
        }
    }
}
