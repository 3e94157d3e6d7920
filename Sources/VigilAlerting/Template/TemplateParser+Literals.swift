import Foundation

extension TemplateParser {
    /// The value of a string, raw string or character literal, with Go's escapes.
    func unquote(_ token: TemplateLexer.Token) throws(TemplateError) -> String {
        var bytes = Array(token.text.utf8.dropFirst().dropLast())
        if token.kind == .rawString {
            // Go drops carriage returns from raw strings.
            bytes.removeAll { $0 == UInt8(ascii: "\r") }
            return String(decoding: bytes, as: UTF8.self)
        }
        let quote = token.text.utf8.first ?? UInt8(ascii: "\"")
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            guard byte == UInt8(ascii: "\\") else {
                output.append(byte)
                continue
            }
            guard index < bytes.count else { throw invalidLiteral(token) }
            let escape = bytes[index]
            index += 1
            switch escape {
            case UInt8(ascii: "a"): output.append(0x07)
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "v"): output.append(0x0B)
            case UInt8(ascii: "\\"): output.append(escape)
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                guard escape == quote else { throw invalidLiteral(token) }
                output.append(escape)
            case UInt8(ascii: "x"):
                let value = try digits(bytes, &index, count: 2, radix: 16, token)
                appendByteOrScalar(value, quote: quote, to: &output)
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                index -= 1
                let value = try digits(bytes, &index, count: 3, radix: 8, token)
                guard value <= 255 else { throw invalidLiteral(token) }
                appendByteOrScalar(value, quote: quote, to: &output)
            case UInt8(ascii: "u"), UInt8(ascii: "U"):
                let value = try digits(bytes, &index, count: escape == UInt8(ascii: "u") ? 4 : 8, radix: 16, token)
                guard let scalar = Unicode.Scalar(value) else { throw invalidLiteral(token) }
                output.append(contentsOf: Array(String(Character(scalar)).utf8))
            default:
                throw invalidLiteral(token)
            }
        }
        let text = String(decoding: output, as: UTF8.self)
        if quote == UInt8(ascii: "'"), text.unicodeScalars.count != 1 { throw invalidLiteral(token) }
        return text
    }

    /// A number or character literal with every reading Go gives it (see ``TemplateAST/Number``).
    func number(_ token: TemplateLexer.Token) throws(TemplateError) -> TemplateAST.Number {
        let text = token.text
        if token.kind == .charConstant {
            let value = Int(try unquote(token).unicodeScalars.first?.value ?? 0)
            return TemplateAST.Number(text: text, integer: value, float: Double(value), isFloatSyntax: false)
        }
        if text.hasSuffix("i") {
            throw error("complex number \(text) is not supported", at: token, code: .unsupported)
        }
        var body = Substring(text)
        let negative = body.first == "-"
        if body.first == "-" || body.first == "+" { body = body.dropFirst() }
        let lower = body.lowercased()
        let isHex = lower.hasPrefix("0x")
        let digitsOnly = lower.replacingOccurrences(of: "_", with: "")
        var magnitude: Int?
        if isHex { magnitude = Int(digitsOnly.dropFirst(2), radix: 16) }
        else if lower.hasPrefix("0o") { magnitude = Int(digitsOnly.dropFirst(2), radix: 8) }
        else if lower.hasPrefix("0b") { magnitude = Int(digitsOnly.dropFirst(2), radix: 2) }
        else if digitsOnly.count > 1, digitsOnly.hasPrefix("0") { magnitude = Int(digitsOnly.dropFirst(), radix: 8) }
        else { magnitude = Int(digitsOnly, radix: 10) }
        var integer = magnitude.map { negative ? -$0 : $0 }
        let isHexInteger = isHex && !lower.contains("p")
        var float: Double?
        if !isHexInteger, let value = Double((negative ? "-" : "") + digitsOnly) {
            float = value
            if integer == nil, value.rounded() == value, abs(value) < 9.2e18 { integer = Int(value) }
        } else if let integer {
            float = Double(integer)
        }
        guard integer != nil || float != nil else {
            throw error("illegal number syntax: \"\(text)\"", at: token)
        }
        let isFloatSyntax = !isHexInteger && text.contains { ".eEpP".contains($0) }
        return TemplateAST.Number(text: text, integer: integer, float: float, isFloatSyntax: isFloatSyntax)
    }

    private func digits(_ bytes: [UInt8], _ index: inout Int, count: Int, radix: Int, _ token: TemplateLexer.Token) throws(TemplateError) -> UInt32 {
        guard index + count <= bytes.count,
              let value = UInt32(String(decoding: bytes[index..<(index + count)], as: UTF8.self), radix: radix)
        else { throw invalidLiteral(token) }
        index += count
        return value
    }

    /// `\x` and octal escapes are bytes in strings (they may build UTF-8 by hand) but code points in
    /// character literals.
    private func appendByteOrScalar(_ value: UInt32, quote: UInt8, to output: inout [UInt8]) {
        if quote == UInt8(ascii: "'"), let scalar = Unicode.Scalar(value) {
            output.append(contentsOf: Array(String(Character(scalar)).utf8))
        } else {
            output.append(UInt8(truncatingIfNeeded: value))
        }
    }

    private func invalidLiteral(_ token: TemplateLexer.Token) -> TemplateError {
        error("invalid syntax in literal \(token.text)", at: token)
    }
}
