/// A parsed Go regular expression, as `RE2Translator` reads it.
indirect enum RegexNode: Sendable {
    /// One Unicode scalar that passes a test.
    case scalar(ScalarTest)
    /// A zero-width test of the position.
    case assertion(Assertion)
    case concat([RegexNode])
    case alternate([RegexNode])
    /// `max == -1` is unbounded.
    case repetition(RegexNode, min: Int, max: Int)
    /// Matches nothing (a surrogate code point written as an escape).
    case never

    enum ScalarTest: Sendable, Hashable {
        case rune(UInt32)
        case notNewline
        case any
        /// A character class or a case-folded literal, in the ICU spelling the translator wrote.
        case icu(String)
    }

    enum Assertion: Sendable {
        case beginText, endText, beginLine, endLine, wordBoundary, notWordBoundary
    }
}
