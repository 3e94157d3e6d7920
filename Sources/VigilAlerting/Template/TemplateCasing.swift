/// Case mapping as Go does it for `toUpper`, `toLower` (`strings.ToUpper`/`ToLower`) and
/// `title` (`cases.Title(language.AmericanEnglish)` from golang.org/x/text; Prometheus adds
/// `cases.NoLower`).
///
/// Go's `strings` functions map one code point to one code point, so `ß` stays `ß` where
/// Swift's `uppercased()` would write `SS`.
enum TemplateCasing {
    static func upper(_ text: String) -> String {
        map(text) { $0.properties.uppercaseMapping }
    }

    static func lower(_ text: String) -> String {
        map(text) { $0.properties.lowercaseMapping }
    }

    /// Upper-cases the first cased letter of each word and lower-cases the rest of it. Words are
    /// broken at spaces and punctuation other than `'`, `.`, `:` and `’` between letters, so
    /// `hello-world` becomes `Hello-World`, `foo_bar` becomes `Foo_bar` and `it's` stays `It's`.
    /// Without `lowercasingRest` (Prometheus) the rest of each word is left as it is.
    static func title(_ text: String, lowercasingRest: Bool = true) -> String {
        var result = ""
        var inWord = false
        var previousWasMid = false
        for scalar in text.unicodeScalars {
            let properties = scalar.properties
            let isMid = "'.:·’‘".unicodeScalars.contains(scalar)
            if previousWasMid, isMid { inWord = false }
            if properties.isCased {
                if !inWord {
                    result += properties.titlecaseMapping
                } else if lowercasingRest {
                    result += properties.lowercaseMapping
                } else {
                    result.unicodeScalars.append(scalar)
                }
                inWord = true
            } else {
                result.unicodeScalars.append(scalar)
                if isBreak(scalar), !isMid { inWord = false }
            }
            previousWasMid = isMid
        }
        return result
    }

    private static func isBreak(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "_" { return false }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber:
            return false
        default:
            return true
        }
    }

    /// One code point in, one out: a mapping that would produce several code points is not applied.
    private static func map(_ text: String, _ mapping: (Unicode.Scalar) -> String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let mapped = mapping(scalar).unicodeScalars
            result.append(mapped.count == 1 ? mapped.first! : scalar)
        }
        return String(result)
    }
}
