/// The two ways Alertmanager prints strings, reproduced so that Vigil's output reads the same.
enum GoQuoting {
    private static let hexDigits = Array("0123456789abcdef".unicodeScalars)

    /// Go's `strconv.Quote` (`%q`): double quotes; `"` and `\` backslashed; `\a \b \f \n \r \t \v`;
    /// other non-printable scalars as `\xNN`, `\uNNNN` or `\UNNNNNNNN`.
    static func quote(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        out.append("\"")
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"", "\\":
                out.append("\\")
                out.append(scalar)
            case "\u{07}": out.append(contentsOf: #"\a"#.unicodeScalars)
            case "\u{08}": out.append(contentsOf: #"\b"#.unicodeScalars)
            case "\u{0C}": out.append(contentsOf: #"\f"#.unicodeScalars)
            case "\n": out.append(contentsOf: #"\n"#.unicodeScalars)
            case "\r": out.append(contentsOf: #"\r"#.unicodeScalars)
            case "\t": out.append(contentsOf: #"\t"#.unicodeScalars)
            case "\u{0B}": out.append(contentsOf: #"\v"#.unicodeScalars)
            default:
                if isPrint(scalar) {
                    out.append(scalar)
                } else if scalar.value < 0x20 || scalar.value == 0x7f {
                    appendHex(scalar.value, digits: 2, prefix: #"\x"#, to: &out)
                } else if scalar.value < 0x10000 {
                    appendHex(scalar.value, digits: 4, prefix: #"\u"#, to: &out)
                } else {
                    appendHex(scalar.value, digits: 8, prefix: #"\U"#, to: &out)
                }
            }
        }
        out.append("\"")
        return String(out)
    }

    /// Alertmanager's `openMetricsEscape`: only `\`, line feed and `"` are escaped.
    static func openMetricsEscape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\"") }) else {
            return text
        }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out.append(contentsOf: #"\\"#.unicodeScalars)
            case "\n": out.append(contentsOf: #"\n"#.unicodeScalars)
            case "\"": out.append(contentsOf: #"\""#.unicodeScalars)
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// Go's `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
    static func isPrint(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x80 { return scalar.value >= 0x20 && scalar.value < 0x7f }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark,
            .decimalNumber, .letterNumber, .otherNumber,
            .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation,
            .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }

    private static func appendHex(_ value: UInt32, digits: Int, prefix: String, to out: inout String.UnicodeScalarView) {
        out.append(contentsOf: prefix.unicodeScalars)
        for shift in stride(from: (digits - 1) * 4, through: 0, by: -4) {
            out.append(hexDigits[Int((value >> UInt32(shift)) & 0xf)])
        }
    }
}
