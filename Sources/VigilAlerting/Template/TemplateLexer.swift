/// Splits template text into tokens the way Go's `text/template/parse` lexer does.
///
/// Trim markers (`{{- ` and ` -}}`) are applied here by cutting the whitespace from the
/// neighbouring text, and comments (`{{/* … */}}`) produce no tokens at all. Spaces inside an
/// action are tokens because they separate arguments: `.A.B` is one operand, `.A .B` two.
struct TemplateLexer {
    struct Token: Sendable {
        enum Kind: Equatable, Sendable {
            case text, leftDelim, rightDelim, space
            case identifier, field, variable, dot
            case string, rawString, charConstant, number, bool, nilKeyword
            case pipe, leftParen, rightParen, declare, assign, comma
            /// Another printable ASCII character; always a syntax error in the parser.
            case char
            case keyword(Keyword)
            case eof
        }

        enum Keyword: String, Sendable {
            case block, `break`, `continue`, define, `else`, end, `if`, range, template, with
        }

        var kind: Kind
        var text: String
        var offset: Int
    }

    let source: TemplateSource
    var bytes: [UInt8] { source.bytes }
    var pos = 0
    var tokens: [Token] = []
    private var parenDepth = 0

    static func tokenize(_ source: TemplateSource) throws(TemplateError) -> [Token] {
        var lexer = TemplateLexer(source: source)
        try lexer.run()
        return lexer.tokens
    }

    private init(source: TemplateSource) {
        self.source = source
    }

    private mutating func run() throws(TemplateError) {
        while let delimiter = find("{{", from: pos) {
            let trimsBefore = hasLeftTrimMarker(at: delimiter + 2)
            var textEnd = delimiter
            if trimsBefore {
                while textEnd > pos, Self.isSpace(bytes[textEnd - 1]) { textEnd -= 1 }
            }
            emitText(from: pos, to: textEnd)
            var cursor = delimiter + 2 + (trimsBefore ? 2 : 0)
            if starts(with: "/*", at: cursor) {
                guard let close = find("*/", from: cursor + 2) else {
                    throw source.error(.syntax, "unclosed comment", atByte: delimiter)
                }
                cursor = close + 2
                guard let trimsAfter = rightDelimiter(at: cursor) else {
                    throw source.error(.syntax, "comment ends before closing delimiter", atByte: delimiter)
                }
                cursor += trimsAfter ? 4 : 2
                pos = trimsAfter ? skipSpaces(from: cursor) : cursor
                continue
            }
            tokens.append(Token(kind: .leftDelim, text: "{{", offset: delimiter))
            pos = cursor
            parenDepth = 0
            try lexAction(openedAt: delimiter)
        }
        emitText(from: pos, to: bytes.count)
        tokens.append(Token(kind: .eof, text: "", offset: bytes.count))
    }

    private mutating func lexAction(openedAt opening: Int) throws(TemplateError) {
        while true {
            if let trims = rightDelimiter(at: pos) {
                guard parenDepth == 0 else { throw source.error(.syntax, "unclosed left paren", atByte: pos) }
                let start = trims ? pos + 2 : pos
                tokens.append(Token(kind: .rightDelim, text: "}}", offset: start))
                pos = start + 2
                if trims { pos = skipSpaces(from: pos) }
                return
            }
            guard pos < bytes.count else { throw source.error(.syntax, "unclosed action", atByte: opening) }
            let start = pos
            let byte = bytes[pos]
            switch byte {
            case _ where Self.isSpace(byte):
                lexSpace()
            case UInt8(ascii: "="):
                pos += 1
                emit(.assign, from: start)
            case UInt8(ascii: ":"):
                guard pos + 1 < bytes.count, bytes[pos + 1] == UInt8(ascii: "=") else {
                    throw source.error(.syntax, "expected :=", atByte: pos)
                }
                pos += 2
                emit(.declare, from: start)
            case UInt8(ascii: "|"):
                pos += 1
                emit(.pipe, from: start)
            case UInt8(ascii: ","):
                pos += 1
                emit(.comma, from: start)
            case UInt8(ascii: "\""):
                try lexQuoted(closing: UInt8(ascii: "\""), kind: .string, what: "quoted string")
            case UInt8(ascii: "'"):
                try lexQuoted(closing: UInt8(ascii: "'"), kind: .charConstant, what: "character constant")
            case UInt8(ascii: "`"):
                guard let close = bytes[(pos + 1)...].firstIndex(of: UInt8(ascii: "`")) else {
                    throw source.error(.syntax, "unterminated raw quoted string", atByte: pos)
                }
                pos = close + 1
                emit(.rawString, from: start)
            case UInt8(ascii: "$"):
                pos += 1
                try lexFieldOrVariable(from: start, kind: .variable)
            case UInt8(ascii: ".") where pos + 1 < bytes.count && !Self.isDigit(bytes[pos + 1]):
                pos += 1
                try lexFieldOrVariable(from: start, kind: .field)
            case UInt8(ascii: "."), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                try lexNumber()
            case UInt8(ascii: "("):
                pos += 1
                parenDepth += 1
                emit(.leftParen, from: start)
            case UInt8(ascii: ")"):
                pos += 1
                parenDepth -= 1
                guard parenDepth >= 0 else { throw source.error(.syntax, "unexpected right paren", atByte: start) }
                emit(.rightParen, from: start)
            default:
                let (scalar, _) = scalar(at: pos)
                if Self.isAlphanumeric(scalar) {
                    try lexIdentifier()
                } else if scalar.isASCII, scalar.value >= 0x20, scalar.value < 0x7F {
                    pos += 1
                    emit(.char, from: start)
                } else {
                    let code = "U+" + String(scalar.value, radix: 16, uppercase: true)
                    throw source.error(.syntax, "unrecognized character in action: \(code)", atByte: start)
                }
            }
        }
    }

    private mutating func lexSpace() {
        let start = pos
        while pos < bytes.count, Self.isSpace(bytes[pos]) { pos += 1 }
        // Leave the last space for a ` -}}` trim marker, as Go does.
        if hasRightTrimMarker(at: pos - 1), starts(with: "}}", at: pos + 1) {
            pos -= 1
            if pos == start { return }
        }
        emit(.space, from: start)
    }
}
