/// Translates a Go (RE2) regular expression into an equivalent ICU pattern for
/// `NSRegularExpression`, rejecting what Go's `regexp.Compile` rejects with Go's error text.
///
/// The parser follows Go's `regexp/syntax` (Perl flags) token by token, so errors, including the
/// quirks of Alertmanager's `^(?:value)$` wrapping, come out as Go reports them. The output never
/// relies on ICU's own meaning of `.`, `^`, `$`, `\b`, `\d`, `\s`, `\w`, POSIX classes or flags,
/// which differ from Go's: each is spelled out explicitly (`.` is `[^\n]`, `$` is `\z`, `\d` is
/// `[0-9]`, ...), and case folding wraps single atoms in `(?i:...)`.
struct RE2Translator {
    /// Go's parse flags that change meaning (Go's `OneLine` is the inverse of `multiLine`).
    struct Flags: OptionSet {
        let rawValue: UInt8
        static let foldCase = Flags(rawValue: 1)
        static let dotNL = Flags(rawValue: 2)
        static let multiLine = Flags(rawValue: 4)
        static let nonGreedy = Flags(rawValue: 8)
    }

    /// One parsed operand: its ICU spelling and its tree for `RegexProgram`.
    struct Atom {
        var text: String
        var node: RegexNode
        /// The largest product of `{n,m}` counts along any path inside, for Go's limit of 1000.
        var repeatProduct: Int = 1
    }

    /// An open group: the alternatives seen so far and the flags to restore at its `)`.
    struct Frame {
        var flagsBefore: Flags
        var alternatives: [[Atom]] = []
        var current: [Atom] = []
    }

    /// The pattern as Unicode scalars (Go's runes).
    let s: [Unicode.Scalar]
    var pos = 0
    var flags: Flags = []
    var frames: [Frame] = [Frame(flagsBefore: [])]
    /// Where the previous token's repetition operator began, if the previous token was one.
    var lastRepeatStart: Int?

    init(_ pattern: String) {
        s = Array(pattern.unicodeScalars)
    }

    /// The ICU pattern for Go pattern `pattern`, to be used with an unanchored search, and the
    /// same expression as a tree.
    static func translate(_ pattern: String) throws(MatcherError) -> (icu: String, node: RegexNode) {
        var translator = RE2Translator(pattern)
        return try translator.run()
    }

    mutating func run() throws(MatcherError) -> (icu: String, node: RegexNode) {
        let n = s.count
        while pos < n {
            var repeatStart: Int?
            let c = s[pos]
            switch c {
            case "(":
                if pos + 1 < n, s[pos + 1] == "?" {
                    try parsePerlFlags()
                } else {
                    frames.append(Frame(flagsBefore: flags))
                    pos += 1
                }
            case "|":
                frames[frames.count - 1].alternatives.append(frames[frames.count - 1].current)
                frames[frames.count - 1].current = []
                pos += 1
            case ")":
                try closeGroup()
                pos += 1
            case "^":
                let multiLine = flags.contains(.multiLine)
                push(multiLine ? #"(?<![^\n])"# : #"\A"#, node: .assertion(multiLine ? .beginLine : .beginText))
                pos += 1
            case "$":
                let multiLine = flags.contains(.multiLine)
                push(multiLine ? #"(?![^\n])"# : #"\z"#, node: .assertion(multiLine ? .endLine : .endText))
                pos += 1
            case ".":
                let dotNL = flags.contains(.dotNL)
                push(dotNL ? #"[\x{0}-\x{10FFFF}]"# : #"[^\n]"#, node: .scalar(dotNL ? .any : .notNewline))
                pos += 1
            case "[":
                try parseClass()
            case "*", "+", "?":
                let before = pos
                pos += 1
                let op = c == "*" ? "*" : c == "+" ? "+" : "?"
                try applyRepeat(op: op, min: 0, max: 0, isCounted: false, before: before)
                repeatStart = before
            case "{":
                let before = pos
                guard case let (min, max, after)? = parseRepeatCount(at: pos) else {
                    literal(c.value)
                    pos += 1
                    break
                }
                if min < 0 || min > 1000 || max > 1000 || (max >= 0 && min > max) {
                    throw error("invalid repeat count", before..<after)
                }
                pos = after
                let op = max == min ? "{\(min)}" : max < 0 ? "{\(min),}" : "{\(min),\(max)}"
                try applyRepeat(op: op, min: min, max: max, isCounted: true, before: before)
                repeatStart = before
            case "\\":
                try parseBackslash()
            default:
                literal(c.value)
                pos += 1
            }
            lastRepeatStart = repeatStart
        }
        guard frames.count == 1 else { throw error("missing closing )", 0..<n) }
        let root = Self.join(frames[0])
        return (root.text, root.node)
    }

    // MARK: Building

    mutating func push(_ text: String, node: RegexNode, repeatProduct: Int = 1) {
        frames[frames.count - 1].current.append(Atom(text: text, node: node, repeatProduct: repeatProduct))
    }

    mutating func literal(_ rune: UInt32) {
        guard let scalar = Unicode.Scalar(rune) else {
            // A surrogate code point never occurs in valid text.
            push("(?!)", node: .never)
            return
        }
        if flags.contains(.foldCase), scalar.properties.changesWhenCaseMapped {
            // A one-scalar set, so that ICU folds simply (Go does not match "ß" with "ss").
            let text = "(?i:[" + Self.escape(rune) + "])"
            push(text, node: .scalar(.icu(text)))
        } else {
            push(Self.escape(rune), node: .scalar(.rune(rune)))
        }
    }

    /// Go's `parser.repeat`: applies `op` to the last operand.
    mutating func applyRepeat(op: String, min: Int, max: Int, isCounted: Bool, before: Int) throws(MatcherError) {
        var after = pos
        var lazy = flags.contains(.nonGreedy)
        if after < s.count, s[after] == "?" {
            after += 1
            lazy.toggle()
        }
        if let lastRepeatStart { throw error("invalid nested repetition operator", lastRepeatStart..<after) }
        guard let sub = frames[frames.count - 1].current.popLast() else {
            throw error("missing argument to repetition operator", before..<after)
        }
        var product = sub.repeatProduct
        if isCounted {
            let count = max < 0 ? min : max
            product = max == 0 ? 1 : Swift.max(count, 1) * sub.repeatProduct
            if (min >= 2 || max >= 2) && product > 1000 { throw error("invalid repeat count", before..<after) }
        }
        pos = after
        let bounds = isCounted ? (min, max) : op == "*" ? (0, -1) : op == "+" ? (1, -1) : (0, 1)
        let node = RegexNode.repetition(sub.node, min: bounds.0, max: bounds.1)
        push("(?:" + sub.text + ")" + op + (lazy ? "?" : ""), node: node, repeatProduct: product)
    }

    mutating func closeGroup() throws(MatcherError) {
        guard frames.count > 1 else { throw error("unexpected )", 0..<s.count) }
        let frame = frames.removeLast()
        flags = frame.flagsBefore
        let group = Self.join(frame)
        push("(?:" + group.text + ")", node: group.node, repeatProduct: group.repeatProduct)
    }

    static func join(_ frame: Frame) -> Atom {
        let alternatives = frame.alternatives + [frame.current]
        let text = alternatives.map { $0.map(\.text).joined() }.joined(separator: "|")
        let product = alternatives.joined().map(\.repeatProduct).max() ?? 1
        let branches = alternatives.map { $0.count == 1 ? $0[0].node : RegexNode.concat($0.map(\.node)) }
        return Atom(text: text, node: branches.count == 1 ? branches[0] : .alternate(branches), repeatProduct: product)
    }

    // MARK: Groups and flags

    /// Go's `parsePerlFlags`: `(?P<name>`, `(?flags)`, `(?flags:`.
    mutating func parsePerlFlags() throws(MatcherError) {
        let start = pos
        let n = s.count
        if n - start > 4, s[start + 2] == "P", s[start + 3] == "<" {
            guard let end = s[start...].firstIndex(of: ">") else {
                throw error("invalid named capture", start..<n)
            }
            let name = s[(start + 4)..<end]
            guard !name.isEmpty, name.allSatisfy({ Self.isAlnum($0.value) || $0 == "_" }) else {
                throw error("invalid named capture", start..<(end + 1))
            }
            frames.append(Frame(flagsBefore: flags))
            pos = end + 1
            return
        }
        var t = start + 2
        var newFlags = flags
        var negate = false
        var sawFlag = false
        loop: while t < n {
            let c = s[t]
            t += 1
            let flag: Flags
            switch c {
            case "i": flag = .foldCase
            case "m": flag = .multiLine
            case "s": flag = .dotNL
            case "U": flag = .nonGreedy
            case "-":
                if negate { break loop }
                negate = true
                sawFlag = false
                continue
            case ":", ")":
                if negate && !sawFlag { break loop }
                if c == ":" { frames.append(Frame(flagsBefore: flags)) }
                flags = newFlags
                pos = t
                return
            default:
                break loop
            }
            if negate { newFlags.remove(flag) } else { newFlags.insert(flag) }
            sawFlag = true
        }
        throw error("invalid or unsupported Perl syntax", start..<t)
    }

    /// Go's `parseRepeat`: `{n}`, `{n,}` or `{n,m}` at `start`; `nil` when `{` is a literal.
    /// A number too large comes back as `min == -1`.
    func parseRepeatCount(at start: Int) -> (min: Int, max: Int, end: Int)? {
        var t = start + 1
        guard case let (first, next)? = parseInt(at: t) else { return nil }
        var min = first
        t = next
        guard t < s.count else { return nil }
        var max = min
        if s[t] == "," {
            t += 1
            guard t < s.count else { return nil }
            if s[t] == "}" {
                max = -1
            } else {
                guard case let (value, next)? = parseInt(at: t) else { return nil }
                max = value
                t = next
                if max < 0 { min = -1 }
            }
        }
        guard t < s.count, s[t] == "}" else { return nil }
        return (min, max, t + 1)
    }

    /// Go's `parseInt`: decimal digits without a leading zero; `-1` when larger than 10^8.
    func parseInt(at start: Int) -> (Int, Int)? {
        guard start < s.count, Self.isDigit(s[start].value) else { return nil }
        if start + 1 < s.count, s[start] == "0", Self.isDigit(s[start + 1].value) { return nil }
        var t = start
        var value = 0
        while t < s.count, Self.isDigit(s[t].value) {
            if value >= 100_000_000 {
                value = -1
            } else if value >= 0 {
                value = value * 10 + Int(s[t].value - 0x30)
            }
            t += 1
        }
        return (value, t)
    }

    // MARK: Helpers

    func error(_ code: String, _ range: Range<Int>) -> MatcherError {
        MatcherError(code: .invalidRegex, message: "error parsing regexp: \(code): `\(text(range))`")
    }

    func text(_ range: Range<Int>) -> String {
        String(String.UnicodeScalarView(s[range.clamped(to: 0..<s.count)]))
    }

    /// ICU spelling of one code point: ASCII letters and digits as themselves, the rest as `\x{...}`.
    static func escape(_ rune: UInt32) -> String {
        if isAlnum(rune) { return String(UnicodeScalar(UInt8(rune))) }
        return #"\x{"# + String(rune, radix: 16, uppercase: true) + "}"
    }

    static func isDigit(_ c: UInt32) -> Bool { c >= 0x30 && c <= 0x39 }
    static func isAlnum(_ c: UInt32) -> Bool { isDigit(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) }
}

