/// Go's `fmt` package as far as templates reach it: `print`, `println`, `printf` and the way an
/// action prints its value (`%v`).
///
/// Verbs, flags, widths, precisions, `*` and explicit argument indexes follow `fmt.Sprintf`,
/// including its in-band error strings (`%!d(string=x)`, `%!s(MISSING)`, `%!(EXTRA int=1)`),
/// because a template with a wrong verb renders that text rather than failing.
struct TemplateFormatter {
    struct Flags {
        var plus = false
        var minus = false
        var sharp = false
        var space = false
        var zero = false
        /// `%+v`: struct fields are printed with their names.
        var plusV = false
        /// `%#v`: Go syntax.
        var sharpV = false
        var width: Int?
        var precision: Int?
    }

    var output = ""
    var flags = Flags()
    /// Set while writing a bad-verb report, which shows values without their `String()` method.
    var erroring = false

    /// `fmt.Sprint(value)`: what `{{ value }}` prints for a non-nil value.
    static func string(of value: TemplateValue) -> String {
        var formatter = TemplateFormatter()
        formatter.printArgument(value, verb: "v")
        return formatter.output
    }

    /// `fmt.Sprint`: a space between operands when neither is a string.
    static func sprint(_ values: [TemplateValue]) -> String {
        var formatter = TemplateFormatter()
        var previousIsString = false
        for (index, value) in values.enumerated() {
            let isString = if case .string = value { true } else { false }
            if index > 0, !isString, !previousIsString { formatter.output += " " }
            formatter.printArgument(value, verb: "v")
            previousIsString = isString
        }
        return formatter.output
    }

    /// `fmt.Sprintln`: spaces between all operands and a final newline.
    static func sprintln(_ values: [TemplateValue]) -> String {
        var formatter = TemplateFormatter()
        for (index, value) in values.enumerated() {
            if index > 0 { formatter.output += " " }
            formatter.printArgument(value, verb: "v")
        }
        return formatter.output + "\n"
    }

    /// `fmt.Sprintf`.
    static func sprintf(_ format: String, _ arguments: [TemplateValue]) -> String {
        var formatter = TemplateFormatter()
        formatter.run(Array(format.unicodeScalars), arguments)
        return formatter.output
    }

    private mutating func run(_ format: [Unicode.Scalar], _ arguments: [TemplateValue]) {
        var argument = 0
        var reordered = false
        var i = 0
        while i < format.count {
            let start = i
            while i < format.count, format[i] != "%" { i += 1 }
            output.unicodeScalars.append(contentsOf: format[start..<i])
            guard i < format.count else { break }
            i += 1
            flags = Flags()
            flagLoop: while i < format.count {
                switch format[i] {
                case "#": flags.sharp = true
                case "0": flags.zero = !flags.minus
                case "+": flags.plus = true
                case "-":
                    flags.minus = true
                    flags.zero = false
                case " ": flags.space = true
                default: break flagLoop
                }
                i += 1
            }
            var goodIndex = true
            var afterIndex = false
            func argumentIndex() {
                guard i < format.count, format[i] == "[" else { return }
                reordered = true
                guard let close = format[i...].firstIndex(of: "]") else {
                    goodIndex = false
                    i += 1
                    return
                }
                let number = Int(String(String.UnicodeScalarView(format[(i + 1)..<close])))
                i = close + 1
                if let number, number >= 1, number <= arguments.count {
                    argument = number - 1
                    afterIndex = true
                } else {
                    goodIndex = false
                }
            }
            func starArgument() -> Int? {
                guard argument < arguments.count else { return nil }
                defer { argument += 1 }
                if case .int(let value) = arguments[argument], abs(value) <= 1_000_000 { return value }
                return nil
            }
            func number() -> Int? {
                let start = i
                while i < format.count, ("0"..."9").contains(format[i]) { i += 1 }
                return i > start ? Int(String(String.UnicodeScalarView(format[start..<i]))) : nil
            }
            argumentIndex()
            if i < format.count, format[i] == "*" {
                i += 1
                afterIndex = false
                if let width = starArgument() {
                    flags.width = abs(width)
                    if width < 0 {
                        flags.minus = true
                        flags.zero = false
                    }
                } else {
                    output += "%!(BADWIDTH)"
                }
            } else {
                flags.width = number()
                if afterIndex, flags.width != nil { goodIndex = false }
            }
            if i + 1 < format.count, format[i] == "." {
                i += 1
                if afterIndex { goodIndex = false }
                argumentIndex()
                if i < format.count, format[i] == "*" {
                    i += 1
                    afterIndex = false
                    if let precision = starArgument(), precision >= 0 {
                        flags.precision = precision
                    } else {
                        output += "%!(BADPREC)"
                    }
                } else {
                    flags.precision = number() ?? 0
                }
            }
            if !afterIndex { argumentIndex() }
            guard i < format.count else {
                output += "%!(NOVERB)"
                break
            }
            let verb = Character(format[i])
            i += 1
            if verb == "%" {
                output += "%"
            } else if !goodIndex {
                output += "%!\(verb)(BADINDEX)"
            } else if argument >= arguments.count {
                output += "%!\(verb)(MISSING)"
            } else {
                if verb == "v" {
                    flags.sharpV = flags.sharp
                    flags.sharp = false
                    flags.plusV = flags.plus
                    flags.plus = false
                }
                printArgument(arguments[argument], verb: verb)
                argument += 1
            }
        }
        if !reordered, argument < arguments.count {
            flags = Flags()
            output += "%!(EXTRA "
            for (index, value) in arguments[argument...].enumerated() {
                if index > 0 { output += ", " }
                if case .none = value {
                    output += "<nil>"
                } else {
                    output += value.typeName + "="
                    printArgument(value, verb: "v")
                }
            }
            output += ")"
        }
    }

    /// Pads to the width in characters: spaces on the left, on the right with `-`, zeros with `0`.
    mutating func pad(_ text: String) {
        guard let width = flags.width, text.count < width else {
            output += text
            return
        }
        let padding = String(repeating: flags.zero && !flags.minus ? "0" : " ", count: width - text.count)
        output += flags.minus ? text + padding : padding + text
    }
}
