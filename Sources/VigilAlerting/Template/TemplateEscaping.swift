/// The escapers behind `html`, `js`, `urlquery` and `urlUnescape`, byte for byte as Go writes them.
enum TemplateEscaping {
    /// Go's `template.HTMLEscapeString`.
    static func html(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "&#34;"
            case "'": result += "&#39;"
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\0": result += "\u{FFFD}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Go's `template.JSEscapeString`.
    static func javaScript(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "'": result += "\\'"
            case "\"": result += "\\\""
            case "<": result += "\\u003C"
            case ">": result += "\\u003E"
            case "&": result += "\\u0026"
            case "=": result += "\\u003D"
            default:
                if scalar.value < 0x20 {
                    result += "\\u00" + TemplateFormatter.zeroPadded(String(scalar.value, radix: 16, uppercase: true), 2)
                } else if scalar.value >= 0x80, !GoQuoting.isPrint(scalar) {
                    result += "\\u" + TemplateFormatter.zeroPadded(String(scalar.value, radix: 16, uppercase: true), 4)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }

    /// Go's `url.QueryEscape`: unreserved bytes kept, space as `+`, the rest as `%XX`.
    static func queryEscape(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "):
                result += "+"
            default:
                result += "%" + TemplateFormatter.zeroPadded(String(byte, radix: 16, uppercase: true), 2)
            }
        }
        return result
    }

    /// Go's `url.QueryUnescape`: `+` is a space and `%XX` a byte; a malformed escape is an error.
    static func queryUnescape(_ text: String) throws(TemplateError) -> String {
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "%"):
                guard index + 2 < bytes.count, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) else {
                    let shown = String(decoding: bytes[index..<min(index + 3, bytes.count)], as: UTF8.self)
                    throw TemplateFunctions.failure("invalid URL escape \"\(shown)\"")
                }
                output.append(high << 4 | low)
                index += 3
            case UInt8(ascii: "+"):
                output.append(UInt8(ascii: " "))
                index += 1
            default:
                output.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
