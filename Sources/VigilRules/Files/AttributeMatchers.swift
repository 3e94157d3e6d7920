import Foundation
import VigilAlerting

/// Reads attribute matchers: Alertmanager's matcher syntax with OpenTelemetry attribute keys as
/// names, so that dots and other characters label names cannot hold are allowed
/// (`http.route="/cart"`, `http.response.status_code=~"5.."`, `{k8s.namespace.name!="dev", env=prod}`).
///
/// The operators (`=`, `!=`, `=~`, `!~`), the value syntax (quoted or not, escapes `\"`, `\\`,
/// `\n`) and the regular expressions (Go RE2, anchored) are Alertmanager's.
enum AttributeMatchers {
    /// Parses one list entry: one matcher, or several separated by commas, optionally in braces.
    static func parse(_ text: String) throws(MatcherError) -> [Matcher] {
        var body = Substring(text.trimmingSpaces())
        if body.hasPrefix("{"), body.hasSuffix("}") { body = body.dropFirst().dropLast() }
        var pieces: [String] = []
        var piece = String.UnicodeScalarView()
        var insideQuotes = false
        var escaped = false
        for scalar in body.unicodeScalars {
            if scalar == ",", !insideQuotes {
                pieces.append(String(piece))
                piece = String.UnicodeScalarView()
                continue
            }
            if escaped {
                escaped = false
            } else if scalar == "\\" {
                escaped = true
            } else if scalar == "\"" {
                insideQuotes.toggle()
            }
            piece.append(scalar)
        }
        // A trailing comma is allowed, as in Alertmanager.
        let last = String(piece).trimmingSpaces()
        if !last.isEmpty || pieces.isEmpty { pieces.append(last) }
        var matchers: [Matcher] = []
        for piece in pieces { matchers.append(try parseOne(piece.trimmingSpaces())) }
        return matchers
    }

    /// `key op value`: the key runs up to the operator; the rest is read by Alertmanager's parser.
    private static func parseOne(_ text: String) throws(MatcherError) -> Matcher {
        let bad = MatcherError(code: .badFormat, message: "bad matcher format: \(text)")
        guard let end = text.unicodeScalars.firstIndex(where: { !isKeyScalar($0) }) else { throw bad }
        let key = String(text.unicodeScalars[..<end])
        guard !key.isEmpty else { throw bad }
        let rest = String(text.unicodeScalars[end...])
        let parsed: Matcher
        do {
            // A stand-in name lets Alertmanager's parser read the operator and the value.
            parsed = try Matcher(parsing: "k" + rest)
        } catch {
            throw error.code == .badFormat ? bad : MatcherError(code: error.code, message: error.message.replacingOccurrences(of: "k" + rest, with: text))
        }
        return try Matcher(name: key, kind: parsed.kind, value: parsed.value)
    }

    /// Attribute keys: anything but white space, quotes, braces, commas and the operator characters.
    static func isKeyScalar(_ scalar: Unicode.Scalar) -> Bool {
        !scalar.properties.isWhitespace && !"=!~\",{}".unicodeScalars.contains(scalar)
    }
}

extension String {
    func trimmingSpaces() -> String {
        var scalars = unicodeScalars[...]
        while let first = scalars.first, first.properties.isWhitespace { scalars = scalars.dropFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars = scalars.dropLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}
