/// JSON written byte for byte as Go's `encoding/json` writes it with `json.NewEncoder(w).Encode`:
/// keys in the order given (struct fields) or sorted by bytes (maps), `<`, `>`, `&`, U+2028 and
/// U+2029 escaped as `\u003c`…, other control characters as `\n`, `\r`, `\t` or `\u00XX`, and a
/// final newline. Receivers that compare payloads with Alertmanager's see the same bytes.
enum GoJSON: Sendable {
    case string(String)
    case integer(Int)
    case bool(Bool)
    case array([GoJSON])
    /// Members in the given order, as Go writes a struct's fields.
    case object([(String, GoJSON)])
    case null

    /// A Go `map[string]string`: members sorted by the bytes of their names.
    static func map(_ dictionary: [String: String]) -> GoJSON {
        .object(dictionary.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }.map { ($0.key, .string($0.value)) })
    }

    /// The value followed by `\n`, as `json.Encoder.Encode` writes it.
    var encoded: String {
        var output = ""
        write(to: &output)
        output.append("\n")
        return output
    }

    private func write(to output: inout String) {
        switch self {
        case .string(let text): Self.writeString(text, to: &output)
        case .integer(let number): output.append(String(number))
        case .bool(let flag): output.append(flag ? "true" : "false")
        case .null: output.append("null")
        case .array(let elements):
            output.append("[")
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(",") }
                element.write(to: &output)
            }
            output.append("]")
        case .object(let members):
            output.append("{")
            for (index, (name, value)) in members.enumerated() {
                if index > 0 { output.append(",") }
                Self.writeString(name, to: &output)
                output.append(":")
                value.write(to: &output)
            }
            output.append("}")
        }
    }

    private static let hexDigits = Array("0123456789abcdef")

    private static func writeString(_ text: String, to output: inout String) {
        output.append("\"")
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output.append("\\\"")
            case "\\": output.append("\\\\")
            case "\n": output.append("\\n")
            case "\r": output.append("\\r")
            case "\t": output.append("\\t")
            case "<", ">", "&", "\u{2028}", "\u{2029}":
                appendEscaped(scalar.value, to: &output)
            default:
                if scalar.value < 0x20 {
                    appendEscaped(scalar.value, to: &output)
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output.append("\"")
    }

    private static func appendEscaped(_ value: UInt32, to output: inout String) {
        output.append("\\u")
        for shift in stride(from: 12, through: 0, by: -4) {
            output.append(hexDigits[Int((value >> UInt32(shift)) & 0xf)])
        }
    }
}
