import Foundation

extension TemplateFormatter {
    /// Go's `fmt.fmtInteger` and friends for `%d %v %b %o %O %x %X %c %q %U`.
    mutating func formatInteger(_ number: Int64, verb: Character, value: TemplateValue) {
        let base: Int
        switch verb {
        case "d", "v": base = 10
        case "b": base = 2
        case "o", "O": base = 8
        case "x", "X": base = 16
        case "c":
            pad(String(Character(Self.scalar(number))))
            return
        case "q":
            pad(Self.quote(String(Character(Self.scalar(number))), quote: "'", asciiOnly: flags.plus))
            return
        case "U":
            var text = "U+" + Self.zeroPadded(String(UInt64(bitPattern: number), radix: 16, uppercase: true), 4)
            if flags.sharp, number >= 0, number <= 0x10FFFF, let scalar = Unicode.Scalar(UInt32(number)), GoQuoting.isPrint(scalar) {
                text += " '\(Character(scalar))'"
            }
            pad(text)
            return
        default:
            badVerb(verb, value)
            return
        }
        let negative = number < 0
        var digits = String(number.magnitude, radix: base, uppercase: verb == "X")
        var minimum = 0
        if let precision = flags.precision {
            minimum = precision
            if precision == 0, number == 0 {
                let zero = flags.zero
                flags.zero = false
                pad("")
                flags.zero = zero
                return
            }
        } else if flags.zero, let width = flags.width {
            minimum = width - (negative || flags.plus || flags.space ? 1 : 0)
        }
        if digits.count < minimum { digits = String(repeating: "0", count: minimum - digits.count) + digits }
        if flags.sharp {
            switch base {
            case 2: digits = "0b" + digits
            case 8: if !digits.hasPrefix("0") { digits = "0" + digits }
            case 16: digits = (verb == "X" ? "0X" : "0x") + digits
            default: break
            }
        }
        if verb == "O" { digits = "0o" + digits }
        let sign = negative ? "-" : flags.plus ? "+" : flags.space ? " " : ""
        let zero = flags.zero
        flags.zero = false
        pad(sign + digits)
        flags.zero = zero
    }

    /// The code point for `%c` and `%q`: invalid ones print as U+FFFD.
    private static func scalar(_ number: Int64) -> Unicode.Scalar {
        guard number >= 0, number <= 0x10FFFF, let scalar = Unicode.Scalar(UInt32(number)) else { return "\u{FFFD}" }
        return scalar
    }

    /// Go's `fmt.fmtFloat` for `%v %g %G %e %E %f %F`.
    mutating func formatFloat(_ number: Double, verb: Character, value: TemplateValue) {
        var text: String
        switch verb {
        case "v", "g", "G":
            if let precision = flags.precision {
                text = String(format: "%.\(precision)\(verb == "G" ? "G" : "g")", number)
            } else {
                text = Self.shortest(number, uppercase: verb == "G")
            }
        case "e", "E", "f", "F":
            let letter = verb == "F" ? "f" : String(verb)
            text = String(format: "%.\(flags.precision ?? 6)\(letter)", number)
        case "x" where flags.precision == nil, "X" where flags.precision == nil:
            text = Self.hexadecimal(number, uppercase: verb == "X")
        default:
            badVerb(verb, value)
            return
        }
        if number.isNaN {
            text = flags.plus ? "+NaN" : flags.space ? " NaN" : "NaN"
        } else if number.isInfinite {
            text = number < 0 ? "-Inf" : flags.space && !flags.plus ? " Inf" : "+Inf"
        }
        if number.isNaN || number.isInfinite {
            let zero = flags.zero
            flags.zero = false
            pad(text)
            flags.zero = zero
            return
        }
        var sign = ""
        if text.hasPrefix("-") {
            sign = "-"
            text.removeFirst()
        } else if flags.plus {
            sign = "+"
        } else if flags.space {
            sign = " "
        }
        if flags.zero, !flags.minus, let width = flags.width, width > sign.count + text.count {
            output += sign + String(repeating: "0", count: width - sign.count - text.count) + text
        } else {
            pad(sign + text)
        }
    }

    /// strconv's `FormatFloat(f, 'g', -1, 64)`: the shortest digits that read back exactly, in
    /// exponent form when the exponent is below -4 or at least 6 (so 1e+06, but 100000).
    static func shortest(_ number: Double, uppercase: Bool = false) -> String {
        let (negative, digits, point) = shortestDigits(number)
        let sign = negative ? "-" : ""
        guard !digits.isEmpty else { return sign + "0" }
        let exponent = point - 1
        if exponent < -4 || exponent >= 6 {
            var mantissa = String(digits.first!)
            if digits.count > 1 { mantissa += "." + digits.dropFirst() }
            let magnitude = String(abs(exponent))
            let e = uppercase ? "E" : "e"
            return sign + mantissa + e + (exponent < 0 ? "-" : "+") + (magnitude.count < 2 ? "0" + magnitude : magnitude)
        }
        return sign + fixed(digits, point: point, decimals: max(digits.count - point, 0))
    }

    /// strconv's `%x` for floats, shortest form: `0x1.8p+01`.
    static func hexadecimal(_ number: Double, uppercase: Bool) -> String {
        guard number.isFinite else { return String(number) }
        let sign = number.sign == .minus ? "-" : ""
        var text: String
        if number == 0 {
            text = "0x0p+00"
        } else {
            let fraction = UInt64((number.magnitude.significand - 1) * 4_503_599_627_370_496)
            var digits = zeroPadded(String(fraction, radix: 16), 13)
            while digits.hasSuffix("0") { digits.removeLast() }
            let exponent = Int(number.exponent)
            let magnitude = zeroPadded(String(abs(exponent)), 2)
            text = "0x1" + (digits.isEmpty ? "" : "." + digits) + "p" + (exponent < 0 ? "-" : "+") + magnitude
        }
        return sign + (uppercase ? text.uppercased() : text)
    }

    /// strconv's `fmtF`: digits with the decimal point `point` places from their start.
    static func fixed(_ digits: [Character], point: Int, decimals: Int) -> String {
        var text = ""
        if point > 0 {
            for index in 0..<point { text.append(index < digits.count ? digits[index] : "0") }
        } else {
            text = "0"
        }
        if decimals > 0 {
            text += "."
            for index in 0..<decimals {
                let position = point + index
                text.append(position >= 0 && position < digits.count ? digits[position] : "0")
            }
        }
        return text
    }

    /// Sign, significant digits without leading or trailing zeros, and where the decimal point
    /// falls (0.0123 is ("123", -1)); taken from Swift's shortest round-trip description.
    static func shortestDigits(_ number: Double) -> (Bool, [Character], Int) {
        var text = Substring(number.magnitude.description)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = text[..<e]
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        var digits = Array(parts[0]) + (parts.count > 1 ? Array(parts[1]) : [])
        var point = parts[0].count + exponent
        while digits.first == "0" {
            digits.removeFirst()
            point -= 1
        }
        while digits.last == "0" { digits.removeLast() }
        if digits.isEmpty { point = 0 }
        return (number.sign == .minus, digits, point)
    }

    /// Go's `strconv.Quote` (or `QuoteRune` with a single quote).
    static func quote(_ text: String, quote: Character = "\"", asciiOnly: Bool = false) -> String {
        var result = String(quote)
        for scalar in text.unicodeScalars {
            if Character(scalar) == quote || scalar == "\\" {
                result += "\\" + String(scalar)
            } else if asciiOnly ? scalar.isASCII && GoQuoting.isPrint(scalar) : GoQuoting.isPrint(scalar) {
                result.unicodeScalars.append(scalar)
            } else {
                switch scalar {
                case "\u{07}": result += "\\a"
                case "\u{08}": result += "\\b"
                case "\u{0C}": result += "\\f"
                case "\n": result += "\\n"
                case "\r": result += "\\r"
                case "\t": result += "\\t"
                case "\u{0B}": result += "\\v"
                default:
                    let hex = String(scalar.value, radix: 16)
                    if scalar.value < 0x20 || scalar.value == 0x7F { result += "\\x" + zeroPadded(hex, 2) }
                    else if scalar.value < 0x10000 { result += "\\u" + zeroPadded(hex, 4) }
                    else { result += "\\U" + zeroPadded(hex, 8) }
                }
            }
        }
        return result + String(quote)
    }

    static func zeroPadded(_ text: String, _ width: Int) -> String {
        String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
