/// The `series:` of an input series, in Prometheus's series notation: a metric name and labels,
/// `http_requests_total{service="checkout", code="500"}`.
///
/// Metric names and label names may hold dots, as OpenTelemetry's do
/// (`http.server.request.duration{http.route="/cart"}`), or be quoted as in Prometheus 3
/// (`{"http.server.request.duration", "http.route"="/cart"}`); `__name__` also names the metric.
/// Values are quoted with `"` or `'`, with the escapes `\"`, `\'`, `\\`, `\n` and `\t`.
struct SeriesDescription: Sendable, Equatable {
    /// The metric name.
    var name: String
    /// The labels, in the order written (without `__name__`).
    var labels: [(name: String, value: String)]

    static func == (lhs: SeriesDescription, rhs: SeriesDescription) -> Bool {
        lhs.name == rhs.name && lhs.labels.elementsEqual(rhs.labels, by: { $0.name == $1.name && $0.value == $1.value })
    }

    /// Reads a series description.
    ///
    /// - Throws: ``SeriesNotation/ParseError`` saying what is wrong.
    static func parse(_ text: String) throws(SeriesNotation.ParseError) -> SeriesDescription {
        var scanner = Scanner(Array(text))
        scanner.skipSpaces()
        var name = scanner.bareWord()
        var labels: [(name: String, value: String)] = []
        scanner.skipSpaces()
        if scanner.take("{") {
            while true {
                scanner.skipSpaces()
                if scanner.take("}") { break }
                let key: String
                let quotedKey: Bool
                if let quote = scanner.quote() {
                    key = try scanner.quoted(quote)
                    quotedKey = true
                } else {
                    key = scanner.bareWord()
                    quotedKey = false
                    guard !key.isEmpty else { throw SeriesNotation.ParseError("expected a label name at \"\(scanner.rest)\"") }
                }
                scanner.skipSpaces()
                if scanner.take("=") {
                    scanner.skipSpaces()
                    guard let quote = scanner.quote() else {
                        throw SeriesNotation.ParseError("the value of \(key) must be quoted, as in \(key)=\"value\"")
                    }
                    let value = try scanner.quoted(quote)
                    if key == "__name__" {
                        guard name.isEmpty else { throw SeriesNotation.ParseError("the metric name is given twice") }
                        name = value
                    } else {
                        guard !labels.contains(where: { $0.name == key }) else {
                            throw SeriesNotation.ParseError("the label \(key) is given twice")
                        }
                        labels.append((key, value))
                    }
                } else if quotedKey {
                    // Prometheus 3: a quoted string alone inside the braces is the metric name.
                    guard name.isEmpty else { throw SeriesNotation.ParseError("the metric name is given twice") }
                    name = key
                } else {
                    throw SeriesNotation.ParseError("expected = after the label name \(key)")
                }
                scanner.skipSpaces()
                if scanner.take(",") { continue }
                guard scanner.take("}") else { throw SeriesNotation.ParseError("expected , or } at \"\(scanner.rest)\"") }
                break
            }
            scanner.skipSpaces()
        }
        guard scanner.isAtEnd else { throw SeriesNotation.ParseError("unexpected \"\(scanner.rest)\"") }
        guard !name.isEmpty else { throw SeriesNotation.ParseError("has no metric name") }
        return SeriesDescription(name: name, labels: labels)
    }

    private struct Scanner {
        let text: [Character]
        var index = 0

        init(_ text: [Character]) {
            self.text = text
        }

        var isAtEnd: Bool { index == text.count }
        var rest: String { String(text[index...]) }

        mutating func take(_ character: Character) -> Bool {
            guard index < text.count, text[index] == character else { return false }
            index += 1
            return true
        }

        mutating func skipSpaces() {
            while index < text.count, text[index].isWhitespace { index += 1 }
        }

        /// A metric or label name without quotes: anything up to white space, a quote, a brace, a
        /// comma or `=` (dots, slashes and colons allowed).
        mutating func bareWord() -> String {
            let start = index
            while index < text.count, !text[index].isWhitespace, !"\"'{},=!~".contains(text[index]) { index += 1 }
            return String(text[start..<index])
        }

        /// The opening quote, if next.
        mutating func quote() -> Character? {
            guard index < text.count, text[index] == "\"" || text[index] == "'" else { return nil }
            index += 1
            return text[index - 1]
        }

        /// The rest of a quoted string after its opening `quote`, unescaped.
        mutating func quoted(_ quote: Character) throws(SeriesNotation.ParseError) -> String {
            var result = ""
            while index < text.count {
                let character = text[index]
                index += 1
                if character == quote { return result }
                guard character == "\\" else {
                    result.append(character)
                    continue
                }
                guard index < text.count else { break }
                let escaped = text[index]
                index += 1
                switch escaped {
                case "n": result.append("\n")
                case "t": result.append("\t")
                case "\\", "\"", "'": result.append(escaped)
                default: throw SeriesNotation.ParseError("unknown escape \\\(escaped) in a quoted string")
                }
            }
            throw SeriesNotation.ParseError("a quoted string is not closed")
        }
    }
}
