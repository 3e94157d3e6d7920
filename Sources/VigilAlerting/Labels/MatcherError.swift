/// Why a label matcher could not be made or parsed.
///
/// `message` is Alertmanager 0.25's text for the same input (for example
/// ``bad matcher format: a b`` or ``error parsing regexp: missing closing ]: `[x)$` ``), so it can be
/// shown to users who know Alertmanager and compared with `amtool`.
public struct MatcherError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem; new codes may be added.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The text is not `name`, an operator and a value.
        public static let badFormat = Code("bad format")
        /// A value has a `"` that is neither escaped nor its closing quote.
        public static let unescapedQuote = Code("unescaped quote")
        /// A regular expression does not compile (Go RE2 syntax).
        public static let invalidRegex = Code("invalid regex")
    }

    public var code: Code
    public var message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
