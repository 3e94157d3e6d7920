import Foundation

/// A matcher's regular expression, compiled as Alertmanager compiles it: Go RE2 syntax, fully
/// anchored as `^(?:value)$`.
///
/// The common shapes of routing regexes are answered without a regex engine: plain alternations
/// (`prod|staging`) compare bytes, and `.*`, `foo.*`, `.*foo` and `.*foo.*` search bytes. Anything
/// else is translated to ICU syntax with Go's semantics and run by `NSRegularExpression`, under a
/// time budget: ICU backtracks, and `(a|aa)+` against a few dozen characters would run for hours,
/// where Go's engine is linear. Past the budget (and for very long texts) the same expression runs
/// on `RegexProgram`, a linear-time NFA, so the answer is always Go's.
struct MatcherRegex: Sendable {
    private enum Program: Sendable {
        /// One of these exact strings.
        case alternatives([String])
        /// No line feed, with `prefix` first, `suffix` last, and `infix` somewhere.
        case line(prefix: [UInt8], infix: [UInt8], suffix: [UInt8])
        case icu(NSRegularExpression, RegexProgram)
    }

    private let program: Program

    /// Compiles `value`; throws Go's error text (for the anchored pattern) when Go would refuse it.
    init(_ value: String) throws(MatcherError) {
        let anchored = "^(?:" + value + ")$"
        // Translate even when a fast path applies, so that errors are always Go's.
        let (icuPattern, node) = try RE2Translator.translate(anchored)
        if let program = MatcherRegex.fastProgram(value) {
            self.program = program
            return
        }
        do {
            program = .icu(try NSRegularExpression(pattern: icuPattern), RegexProgram(node))
        } catch {
            // The translation only emits constructs ICU accepts; this is a safety net.
            throw MatcherError(code: .invalidRegex, message: "error parsing regexp: unsupported expression: `\(anchored)`")
        }
    }

    /// True when the whole of `text` matches.
    func matches(_ text: String) -> Bool {
        switch program {
        case .alternatives(let alternatives):
            return alternatives.contains { LabelSet.bytesEqual($0, text) }
        case .line(let prefix, let infix, let suffix):
            return MatcherRegex.matchesLine(text, prefix: prefix, infix: infix, suffix: suffix)
        case .icu(let regex, let linear):
            let length = text.utf16.count
            guard length <= MatcherRegex.longText else { return linear.matches(text) }
            var outcome = (matched: false, abandoned: false, firstReport: UInt64(0))
            // ICU reports progress every few thousand backtracking steps; a short label value never
            // gets there unless the expression backtracks badly.
            regex.enumerateMatches(in: text, options: [.reportProgress], range: NSRange(location: 0, length: length)) { result, _, stop in
                if result != nil {
                    outcome.matched = true
                    stop.pointee = true
                    return
                }
                let now = DispatchTime.now().uptimeNanoseconds
                if outcome.firstReport == 0 {
                    outcome.firstReport = now
                } else if now - outcome.firstReport > MatcherRegex.budgetNanoseconds {
                    outcome.abandoned = true
                    stop.pointee = true
                }
            }
            return outcome.abandoned ? linear.matches(text) : outcome.matched
        }
    }

    /// How long ICU may backtrack on one text before the linear engine takes over.
    static let budgetNanoseconds: UInt64 = 1_000_000
    /// Texts longer than this (in UTF-16 units) go straight to the linear engine, which also
    /// avoids ICU's backtracking stack limit.
    static let longText = 16_384

    // MARK: Fast paths

    /// Bytes that make a pattern more than literal text and `|`.
    private static let metaBytes = Set("\\.+*?()[]{}^$".utf8)

    private static func isLiteral(_ text: Substring) -> Bool {
        !text.utf8.contains { metaBytes.contains($0) || $0 == UInt8(ascii: "|") }
    }

    private static func fastProgram(_ value: String) -> Program? {
        if !value.utf8.contains(where: { metaBytes.contains($0) }) {
            return .alternatives(value.split(separator: "|", omittingEmptySubsequences: false).map(String.init))
        }
        var body = Substring(value)
        var prefix: [UInt8] = []
        var infix: [UInt8] = []
        var suffix: [UInt8] = []
        let leadingAny = body.hasPrefix(".*")
        if leadingAny { body = body.dropFirst(2) }
        let trailingAny = body.hasSuffix(".*") && !body.hasSuffix("\\.*")
        if trailingAny { body = body.dropLast(2) }
        guard leadingAny || trailingAny, isLiteral(body), !body.contains("\n") else { return nil }
        switch (leadingAny, trailingAny) {
        case (true, true): infix = Array(body.utf8)
        case (true, false): suffix = Array(body.utf8)
        default: prefix = Array(body.utf8)
        }
        return .line(prefix: prefix, infix: infix, suffix: suffix)
    }

    /// `^(?:prefix.*)$`, `^(?:.*suffix)$` or `^(?:.*infix.*)$` in Go: `.` never matches a line feed,
    /// and the literal has none, so the text has none either.
    private static func matchesLine(_ text: String, prefix: [UInt8], infix: [UInt8], suffix: [UInt8]) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard !bytes.contains(UInt8(ascii: "\n")), bytes.count >= prefix.count + infix.count + suffix.count else { return false }
            guard bytes.starts(with: prefix), bytes.reversed().starts(with: suffix.reversed()) else { return false }
            guard let first = infix.first else { return true }
            for start in 0...(bytes.count - infix.count) where bytes[start] == first {
                if bytes[start..<(start + infix.count)].elementsEqual(infix) { return true }
            }
            return false
        }
    }
}
