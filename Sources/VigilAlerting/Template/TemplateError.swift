/// Why a notification template could not be parsed, validated or rendered.
///
/// `message` says what went wrong and where: the template file or config field, the line and
/// column, and the construct involved (`<.CommonLabels.foo>`, `function "bar"`). It never
/// contains notification data beyond the value that failed.
public struct TemplateError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The text is not a well-formed template (unclosed action, bad string, misplaced `{{ end }}`…).
        public static let syntax = Code("syntax")
        /// A function that neither Go's `text/template` nor Alertmanager provides.
        public static let undefinedFunction = Code("undefined function")
        /// A variable used before its declaration.
        public static let undefinedVariable = Code("undefined variable")
        /// `{{ template "x" }}` names a template that no file defines.
        public static let undefinedTemplate = Code("undefined template")
        /// A valid Go template construct that this engine does not implement (complex numbers…).
        public static let unsupported = Code("unsupported")
        /// A field, method or argument that cannot work on the value it is applied to.
        public static let typeMismatch = Code("type mismatch")
        /// A failure while rendering: index out of range, a function returning an error.
        public static let execution = Code("execution")
        /// Rendering went past the engine's safety limits (nesting depth, output size, loop steps).
        public static let limitExceeded = Code("limit exceeded")
    }

    /// What kind of failure this is; callers branch on it rather than on the message.
    public var code: Code
    /// The failure and its location, e.g. `slack.tmpl:3:14: executing "x" at <.Foo>: …`, or
    /// `1:5: …` for a config field's text.
    public var message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// `template <code>: <message>`.
    public var description: String { "template \(code): \(message)" }
}
