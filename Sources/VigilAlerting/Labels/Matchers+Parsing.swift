extension Matchers {
    /// Parses matchers as Alertmanager 0.25's `labels.ParseMatchers` does for a route's `matchers`,
    /// an inhibit rule's `source_matchers`/`target_matchers`, silences and the API's `filter`.
    ///
    /// Accepted: `{a="b", c=~"d.*"}`, `a=b,c!=d`, a trailing comma, values with or without double
    /// quotes, and the escapes `\"`, `\\` and `\n` (any other backslash is kept literally). An empty
    /// text gives no matchers. Commas inside double quotes do not separate matchers.
    ///
    /// - Throws: `MatcherError` with Alertmanager's message: `bad matcher format: ...`,
    ///   `matcher value contains unescaped double quote: ...`, or a Go regexp error.
    public init(parsing text: String) throws(MatcherError) {
        var body = Substring(text)
        if body.hasPrefix("{") { body = body.dropFirst() }
        if body.hasSuffix("}") { body = body.dropLast() }

        var tokens: [String] = []
        var token = String.UnicodeScalarView()
        var insideQuotes = false
        var escaped = false
        for scalar in body.unicodeScalars {
            switch scalar {
            case ",":
                if !insideQuotes {
                    tokens.append(String(token))
                    token = String.UnicodeScalarView()
                    continue
                }
            case "\"":
                if !escaped { insideQuotes.toggle() } else { escaped = false }
            case "\\":
                escaped.toggle()
            default:
                escaped = false
            }
            token.append(scalar)
        }
        // Only the last piece is trimmed (with Unicode spaces) and dropped when blank, as in Go;
        // an empty piece between commas is a format error.
        let last = Matchers.trimUnicodeSpace(Substring(String(token)))
        if !last.isEmpty { tokens.append(String(last)) }

        var matchers: [Matcher] = []
        for token in tokens { matchers.append(try Matchers.parseMatcher(token)) }
        self.init(matchers)
    }

    /// Alertmanager 0.25's `labels.ParseMatcher` for one `name op value`.
    static func parseMatcher(_ text: String) throws(MatcherError) -> Matcher {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        skipRegexSpace(scalars, &index)
        let nameStart = index
        while index < scalars.count, isNameScalar(scalars[index], first: index == nameStart) { index += 1 }
        let name = string(scalars[nameStart..<index])
        skipRegexSpace(scalars, &index)

        let kind: Matcher.Kind
        let operatorScalar = index < scalars.count ? scalars[index] : nil
        let next = index + 1 < scalars.count ? scalars[index + 1] : nil
        switch (operatorScalar, next) {
        case ("=", "~"): kind = .regex
        case ("=", _): kind = .equal
        case ("!", "="): kind = .notEqual
        case ("!", "~"): kind = .notRegex
        default: throw MatcherError(code: .badFormat, message: "bad matcher format: \(text)")
        }
        guard !name.isEmpty else { throw MatcherError(code: .badFormat, message: "bad matcher format: \(text)") }
        index += kind.rawValue.unicodeScalars.count
        skipRegexSpace(scalars, &index)
        var end = scalars.count
        while end > index, isRegexSpace(scalars[end - 1]) { end -= 1 }
        let rawValue = scalars[index..<end]
        return try Matcher(name: name, kind: kind, value: unescape(rawValue))
    }

    /// Undoes the OpenMetrics-style escaping of a matcher value and its optional double quotes.
    static func unescape(_ raw: ArraySlice<Unicode.Scalar>) throws(MatcherError) -> String {
        var body = raw
        var expectTrailingQuote = false
        if body.first == "\"" {
            body = body.dropFirst()
            expectTrailingQuote = true
        }
        var value = String.UnicodeScalarView()
        var escaped = false
        for index in body.indices {
            let scalar = body[index]
            let isLast = index == body.index(before: body.endIndex)
            if escaped {
                escaped = false
                switch scalar {
                case "n": value.append("\n")
                case "\"", "\\": value.append(scalar)
                default:
                    // A spurious escape keeps its backslash.
                    value.append("\\")
                    value.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\\":
                if !isLast {
                    escaped = true
                } else {
                    value.append("\\")
                }
            case "\"":
                guard expectTrailingQuote, isLast else {
                    throw MatcherError(code: .unescapedQuote, message: "matcher value contains unescaped double quote: \(string(raw))")
                }
                expectTrailingQuote = false
            default:
                value.append(scalar)
            }
        }
        if expectTrailingQuote {
            throw MatcherError(code: .unescapedQuote, message: "matcher value contains unescaped double quote: \(string(raw))")
        }
        return String(value)
    }

    // MARK: Character classes of the Go parser

    /// Go regexp's `\s`: tab, line feed, form feed, carriage return and space (not vertical tab).
    static func isRegexSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\u{0C}" || scalar == "\r"
    }

    static func skipRegexSpace(_ scalars: [Unicode.Scalar], _ index: inout Int) {
        while index < scalars.count, isRegexSpace(scalars[index]) { index += 1 }
    }

    /// `[a-zA-Z_:]` first, `[a-zA-Z0-9_:]` after.
    static func isNameScalar(_ scalar: Unicode.Scalar, first: Bool) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "_", ":": true
        case "0"..."9": !first
        default: false
        }
    }

    /// Go's `strings.TrimSpace`: Unicode white space at both ends.
    static func trimUnicodeSpace(_ text: Substring) -> Substring {
        var scalars = text.unicodeScalars[...]
        while let first = scalars.first, first.properties.isWhitespace { scalars = scalars.dropFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars = scalars.dropLast() }
        return Substring(scalars)
    }

    static func string(_ scalars: some Sequence<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }
}

extension Matcher {
    /// One `name op value` (Alertmanager's `labels.ParseMatcher`), as `amtool` label arguments
    /// and the API's `filter` parameters are read: the value is everything after the operator.
    public init(parsing text: String) throws(MatcherError) {
        self = try Matchers.parseMatcher(text)
    }
}
