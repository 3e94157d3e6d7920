extension TemplateLexer {
    // MARK: Tokens inside an action, following Go's lexer state functions.

    mutating func lexQuoted(closing: UInt8, kind: Token.Kind, what: String) throws(TemplateError) {
        let start = pos
        pos += 1
        while true {
            guard pos < bytes.count, bytes[pos] != UInt8(ascii: "\n") else {
                throw source.error(.syntax, "unterminated \(what)", atByte: start)
            }
            let byte = bytes[pos]
            pos += 1
            if byte == UInt8(ascii: "\\") {
                guard pos < bytes.count, bytes[pos] != UInt8(ascii: "\n") else {
                    throw source.error(.syntax, "unterminated \(what)", atByte: start)
                }
                pos += 1
            } else if byte == closing {
                break
            }
        }
        emit(kind, from: start)
    }

    mutating func lexFieldOrVariable(from start: Int, kind: Token.Kind) throws(TemplateError) {
        if atTerminator(pos) {
            emit(kind == .variable ? .variable : .dot, from: start)
            return
        }
        while pos < bytes.count {
            let (scalar, length) = scalar(at: pos)
            guard Self.isAlphanumeric(scalar) else { break }
            pos += length
        }
        try expectTerminator()
        emit(kind, from: start)
    }

    mutating func lexIdentifier() throws(TemplateError) {
        let start = pos
        while pos < bytes.count {
            let (scalar, length) = scalar(at: pos)
            guard Self.isAlphanumeric(scalar) else { break }
            pos += length
        }
        try expectTerminator()
        let word = source.text(start..<pos)
        let kind: Token.Kind =
            if let keyword = Token.Keyword(rawValue: word) { .keyword(keyword) }
            else if word == "true" || word == "false" { .bool }
            else if word == "nil" { .nilKeyword }
            else { .identifier }
        emit(kind, from: start)
    }

    /// Go's `scanNumber`: sign, base prefix, digits with underscores, fraction, exponent, `i`.
    mutating func lexNumber() throws(TemplateError) {
        let start = pos
        try scanNumber(from: start)
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-") {
            try scanNumber(from: start)
            guard bytes[pos - 1] == UInt8(ascii: "i") else {
                throw source.error(.syntax, "bad number syntax: \"\(source.text(start..<pos))\"", atByte: start)
            }
        }
        emit(.number, from: start)
    }

    mutating func scanNumber(from start: Int) throws(TemplateError) {
        accept("+-")
        var digits = "0123456789_"
        if accept("0") {
            if accept("xX") { digits = "0123456789abcdefABCDEF_" }
            else if accept("oO") { digits = "01234567_" }
            else if accept("bB") { digits = "01_" }
        }
        acceptRun(digits)
        if accept(".") { acceptRun(digits) }
        if digits.count == 11, accept("eE") {
            accept("+-")
            acceptRun("0123456789_")
        }
        if digits.count == 23, accept("pP") {
            accept("+-")
            acceptRun("0123456789_")
        }
        accept("i")
        if pos < bytes.count, Self.isAlphanumeric(scalar(at: pos).0) {
            pos += scalar(at: pos).1
            throw source.error(.syntax, "bad number syntax: \"\(source.text(start..<pos))\"", atByte: start)
        }
    }

    @discardableResult
    mutating func accept(_ valid: String) -> Bool {
        guard pos < bytes.count, valid.utf8.contains(bytes[pos]) else { return false }
        pos += 1
        return true
    }

    mutating func acceptRun(_ valid: String) {
        while accept(valid) {}
    }

    mutating func expectTerminator() throws(TemplateError) {
        guard atTerminator(pos) else {
            let scalar = scalar(at: pos).0
            let code = "U+" + String(scalar.value, radix: 16, uppercase: true)
            throw source.error(.syntax, "bad character \(code) '\(Character(scalar))'", atByte: pos)
        }
    }

    func atTerminator(_ index: Int) -> Bool {
        guard index < bytes.count else { return true }
        let byte = bytes[index]
        if Self.isSpace(byte) { return true }
        switch byte {
        case UInt8(ascii: "."), UInt8(ascii: ","), UInt8(ascii: "|"), UInt8(ascii: ":"), UInt8(ascii: ")"), UInt8(ascii: "("):
            return true
        default:
            return starts(with: "}}", at: index)
        }
    }

    /// nil when `index` is not at `}}`; true for ` -}}` (which also trims the following text).
    func rightDelimiter(at index: Int) -> Bool? {
        if hasRightTrimMarker(at: index), starts(with: "}}", at: index + 2) { return true }
        return starts(with: "}}", at: index) ? false : nil
    }

    func hasLeftTrimMarker(at index: Int) -> Bool {
        index + 1 < bytes.count && bytes[index] == UInt8(ascii: "-") && Self.isSpace(bytes[index + 1])
    }

    func hasRightTrimMarker(at index: Int) -> Bool {
        index >= 0 && index + 1 < bytes.count && Self.isSpace(bytes[index]) && bytes[index + 1] == UInt8(ascii: "-")
    }

    func skipSpaces(from index: Int) -> Int {
        var index = index
        while index < bytes.count, Self.isSpace(bytes[index]) { index += 1 }
        return index
    }

    func starts(with prefix: StaticString, at index: Int) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard index >= 0, index + count <= bytes.count else { return false }
        return prefix.withUTF8Buffer { buffer in
            (0..<count).allSatisfy { bytes[index + $0] == buffer[$0] }
        }
    }

    func find(_ needle: StaticString, from index: Int) -> Int? {
        var index = index
        while index + 1 < bytes.count {
            if starts(with: needle, at: index) { return index }
            index += 1
        }
        return nil
    }

    mutating func emit(_ kind: Token.Kind, from start: Int) {
        tokens.append(Token(kind: kind, text: source.text(start..<pos), offset: start))
    }

    mutating func emitText(from start: Int, to end: Int) {
        guard end > start else { return }
        tokens.append(Token(kind: .text, text: source.text(start..<end), offset: start))
    }

    func scalar(at index: Int) -> (Unicode.Scalar, Int) {
        var iterator = bytes[index...].makeIterator()
        var decoder = UTF8()
        if case .scalarValue(let scalar) = decoder.decode(&iterator) {
            return (scalar, UTF8.width(scalar))
        }
        return ("\u{FFFD}", 1)
    }

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n")
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// Go's `isAlphaNumeric`: underscore, Unicode letters and decimal digits.
    static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "_" { return true }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .decimalNumber:
            return true
        default:
            return false
        }
    }
}
