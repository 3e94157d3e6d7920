import Foundation

/// Go's `regexp` (RE2 syntax) on top of `NSRegularExpression`, for `match` and `reReplaceAll`.
///
/// The pattern is adjusted where ICU reads RE2 syntax differently: `(?P<name>…)` groups, `$`
/// (end of text in RE2 unless `(?m)`, but also before a final newline in ICU), and the ASCII-only
/// classes `\d \w \s`. Replacements expand `$1`, `${1}`, `$name` and `$$` by Go's rules, where
/// `$1x` names a group called `1x` (usually empty) rather than group 1 followed by "x".
struct TemplateRegex {
    private let expression: NSRegularExpression
    private let groupNames: [String]

    init(_ pattern: String) throws(TemplateError) {
        do {
            // ICU rejects an empty pattern; RE2 matches the empty string everywhere.
            expression = try NSRegularExpression(pattern: pattern.isEmpty ? "(?:)" : Self.translate(pattern))
        } catch {
            throw TemplateFunctions.failure("error parsing regexp: invalid or unsupported syntax: `\(pattern)`")
        }
        groupNames = Self.groupNames(in: pattern)
    }

    func matches(_ text: String) -> Bool {
        expression.firstMatch(in: text, range: NSRange(location: 0, length: (text as NSString).length)) != nil
    }

    /// Go's `Regexp.ReplaceAllString`.
    func replaceAll(in text: String, with template: String) -> String {
        let source = text as NSString
        var result = ""
        var copiedUpTo = 0
        var lastMatchEnd = -1
        for match in expression.matches(in: text, range: NSRange(location: 0, length: source.length)) {
            let range = match.range
            // Go skips an empty match right after the previous match.
            if range.length == 0, range.location == lastMatchEnd { continue }
            result += source.substring(with: NSRange(location: copiedUpTo, length: range.location - copiedUpTo))
            result += expand(template, match: match, in: source)
            copiedUpTo = range.location + range.length
            lastMatchEnd = copiedUpTo
        }
        return result + source.substring(from: copiedUpTo)
    }

    private func expand(_ template: String, match: NSTextCheckingResult, in source: NSString) -> String {
        func group(_ index: Int) -> String {
            guard index < match.numberOfRanges else { return "" }
            let range = match.range(at: index)
            return range.location == NSNotFound ? "" : source.substring(with: range)
        }
        var output = ""
        var rest = Substring(template)
        while let dollar = rest.firstIndex(of: "$") {
            output += rest[..<dollar]
            rest = rest[rest.index(after: dollar)...]
            if rest.first == "$" {
                output += "$"
                rest = rest.dropFirst()
                continue
            }
            let isNameCharacter: (Character) -> Bool = { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
            var name: Substring
            if rest.first == "{" {
                guard let close = rest.firstIndex(of: "}") else {
                    output += "$"
                    continue
                }
                name = rest[rest.index(after: rest.startIndex)..<close]
                guard !name.isEmpty, name.allSatisfy(isNameCharacter) else {
                    output += "$"
                    continue
                }
                rest = rest[rest.index(after: close)...]
            } else {
                name = rest.prefix(while: isNameCharacter)
                guard !name.isEmpty else {
                    output += "$"
                    continue
                }
                rest = rest.dropFirst(name.count)
            }
            if name.allSatisfy(\.isNumber), let index = Int(name), index < 100_000_000 {
                output += group(index)
            } else if let index = groupNames.firstIndex(of: String(name)) {
                output += group(index + 1)
            }
        }
        return output + rest
    }

    /// The names of capture groups in order, "" for unnamed ones.
    static func groupNames(in pattern: String) -> [String] {
        var names: [String] = []
        let characters = Array(pattern)
        var index = 0
        var inClass = false
        while index < characters.count {
            let character = characters[index]
            if character == "\\" {
                index += 2
                continue
            }
            if inClass {
                if character == "]" { inClass = false }
            } else if character == "[" {
                inClass = true
                if index + 1 < characters.count, characters[index + 1] == "]" { index += 1 }
            } else if character == "(" {
                let rest = String(characters[(index + 1)...])
                if rest.hasPrefix("?P<") || (rest.hasPrefix("?<") && !rest.hasPrefix("?<=") && !rest.hasPrefix("?<!")) {
                    let start = rest.index(rest.startIndex, offsetBy: rest.hasPrefix("?P<") ? 3 : 2)
                    names.append(String(rest[start...].prefix { $0 != ">" }))
                } else if !rest.hasPrefix("?") {
                    names.append("")
                }
            }
            index += 1
        }
        return names
    }

    /// Rewrites the RE2 constructs that ICU reads differently (see the type's documentation).
    static func translate(_ pattern: String) -> String {
        let characters = Array(pattern)
        let multiline = pattern.range(of: #"\(\?[a-zA-Z]*m"#, options: .regularExpression) != nil
        var output = ""
        var index = 0
        var inClass = false
        while index < characters.count {
            let character = characters[index]
            if character == "\\", index + 1 < characters.count {
                let escaped = characters[index + 1]
                switch (escaped, inClass) {
                case ("d", false): output += "[0-9]"
                case ("d", true): output += "0-9"
                case ("w", false): output += "[0-9A-Za-z_]"
                case ("w", true): output += "0-9A-Za-z_"
                case ("s", false): output += "[\\t\\n\\f\\r ]"
                case ("s", true): output += "\\t\\n\\f\\r "
                case ("D", false): output += "[^0-9]"
                case ("W", false): output += "[^0-9A-Za-z_]"
                case ("S", false): output += "[^\\t\\n\\f\\r ]"
                default: output += "\\" + String(escaped)
                }
                index += 2
                continue
            }
            if inClass {
                if character == "[", index + 1 < characters.count, characters[index + 1] == ":",
                   let close = characters[(index + 2)...].firstIndex(of: "]") {
                    // A POSIX class such as [:alpha:] inside a bracket expression.
                    output += String(characters[index...close])
                    index = close + 1
                    continue
                }
                if character == "]" { inClass = false }
                output.append(character)
            } else if character == "[" {
                inClass = true
                output.append(character)
                if index + 1 < characters.count, characters[index + 1] == "^" {
                    output.append("^")
                    index += 1
                }
                if index + 1 < characters.count, characters[index + 1] == "]" {
                    output += "\\]"
                    index += 1
                }
            } else if character == "(", index + 2 < characters.count, characters[index + 1] == "?", characters[index + 2] == "P" {
                output += "(?"
                index += 2
            } else if character == "$", !multiline {
                output += "\\z"
            } else {
                output.append(character)
            }
            index += 1
        }
        return output
    }
}
