/// The text of one template file or config field, kept as UTF-8 bytes (Go's lexer works on
/// bytes) with enough line information to turn a byte offset into a line and column.
struct TemplateSource: Sendable {
    /// A file name, or "" for a config field's text.
    let name: String
    let bytes: [UInt8]
    private let lineStarts: [Int]

    init(name: String, text: String) {
        self.name = name
        bytes = Array(text.utf8)
        var starts = [0]
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            starts.append(index + 1)
        }
        lineStarts = starts
    }

    func position(ofByte offset: Int) -> TemplateAST.Position {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        let start = lineStarts[low]
        let end = min(max(offset, start), bytes.count)
        let column = String(decoding: bytes[start..<end], as: UTF8.self).unicodeScalars.count + 1
        return TemplateAST.Position(line: low + 1, column: column)
    }

    /// `name:line:column`, or `line:column` for a config field.
    func location(_ position: TemplateAST.Position) -> String {
        Self.location(source: name, position)
    }

    static func location(source: String, _ position: TemplateAST.Position) -> String {
        source.isEmpty ? position.description : "\(source):\(position)"
    }

    func error(_ code: TemplateError.Code, _ message: String, atByte offset: Int) -> TemplateError {
        error(code, message, at: position(ofByte: offset))
    }

    func error(_ code: TemplateError.Code, _ message: String, at position: TemplateAST.Position) -> TemplateError {
        TemplateError(code: code, message: "\(location(position)): \(message)")
    }

    func text(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }
}
