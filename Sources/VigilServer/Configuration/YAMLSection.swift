import Foundation
import Logging
import Yams

/// One mapping of a YAML document, read key by key. Keys that no reader asked for are
/// reported by ``finish()`` as unknown, with their line.
struct YAMLSection {
    private let pairs: [(key: String, value: Node, line: Int?)]
    private var consumed = Set<String>()
    let path: String
    let file: String
    private let line: Int?

    init(node: Node, path: String, file: String) throws(ConfigurationError) {
        self.path = path
        self.file = file
        self.line = node.mark.map { $0.line }
        switch node {
        case .mapping(let mapping):
            pairs = mapping.map { (key: $0.key.string ?? "", value: $0.value, line: $0.key.mark.map { $0.line }) }
        case .scalar(let scalar) where scalar.string.isEmpty || scalar.string == "~" || scalar.string == "null":
            pairs = []
        default:
            throw ConfigurationError(file: file, line: node.mark.map { $0.line }, key: path, reason: "expected a mapping of keys to values")
        }
    }

    private func qualified(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func error(_ key: String, _ reason: String) -> ConfigurationError {
        ConfigurationError(file: file, line: pairs.first { $0.key == key }?.line ?? line, key: qualified(key), reason: reason)
    }

    private mutating func take(_ key: String) -> (value: Node, line: Int?)? {
        guard let pair = pairs.first(where: { $0.key == key }) else { return nil }
        consumed.insert(key)
        if case .scalar(let scalar) = pair.value, scalar.style == .plain, ["", "~", "null"].contains(scalar.string) { return nil }
        return (pair.value, pair.line)
    }

    private mutating func scalar(_ key: String) throws(ConfigurationError) -> String? {
        guard let (value, _) = take(key) else { return nil }
        guard case .scalar(let scalar) = value else { throw error(key, "expected a single value, not a list or mapping") }
        return scalar.string
    }

    mutating func section(_ key: String, _ body: (inout YAMLSection) throws(ConfigurationError) -> Void) throws(ConfigurationError) {
        guard let (value, _) = take(key) else { return }
        var child = try YAMLSection(node: value, path: qualified(key), file: file)
        try body(&child)
        try child.finish()
    }

    mutating func string(_ key: String, _ apply: (String) throws(ConfigurationError) -> Void) throws(ConfigurationError) {
        guard let text = try scalar(key) else { return }
        try apply(text)
    }

    mutating func integer(_ key: String, in range: ClosedRange<Int>, _ apply: (Int) -> Void) throws(ConfigurationError) {
        guard let text = try scalar(key) else { return }
        guard let value = Int(text.replacingOccurrences(of: "_", with: "")) else { throw error(key, "\"\(text)\" is not an integer") }
        guard range.contains(value) else { throw error(key, "\(value) is outside \(range.lowerBound)...\(range.upperBound)") }
        apply(value)
    }

    mutating func endpoint(_ key: String, _ apply: (Endpoint) throws(ConfigurationError) -> Void) throws(ConfigurationError) {
        guard let text = try scalar(key) else { return }
        guard let endpoint = Endpoint(parsing: text) else { throw error(key, "\"\(text)\" is not host:port (port 0-65535)") }
        try apply(endpoint)
    }

    /// A size: bytes, or a number with KB/MB/GB (powers of 1000) or KiB/MiB/GiB (powers of 1024).
    mutating func size(_ key: String, _ apply: (Int) -> Void) throws(ConfigurationError) {
        guard let text = try scalar(key) else { return }
        guard let bytes = Self.parseSize(text), bytes > 0 else { throw error(key, "\"\(text)\" is not a size such as 64MiB or 1048576") }
        apply(bytes)
    }

    /// A duration in seconds: a number with s, m, h or d (`30s`, `5m`, `24h`, `7d`); combinations such as `1h30m` work too.
    mutating func duration(_ key: String, atLeast minimum: Int64, _ apply: (Int64) throws(ConfigurationError) -> Void) throws(ConfigurationError) {
        guard let text = try scalar(key) else { return }
        guard let seconds = Self.parseDuration(text) else { throw error(key, "\"\(text)\" is not a duration such as 30s, 5m, 24h or 7d") }
        guard seconds >= minimum else { throw error(key, "\(text) is shorter than the minimum of \(minimum)s") }
        try apply(seconds)
    }

    mutating func logLevel(_ key: String, _ apply: (Logger.Level) -> Void) throws(ConfigurationError) {
        guard let text = try scalar(key) else { return }
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            throw error(key, "\"\(text)\" is not one of trace, debug, info, notice, warning, error, critical")
        }
        apply(level)
    }

    /// Fails on the first key nobody read.
    func finish() throws(ConfigurationError) {
        for pair in pairs where !consumed.contains(pair.key) {
            throw ConfigurationError(file: file, line: pair.line, key: qualified(pair.key), reason: "unknown key")
        }
    }

    static func parseSize(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let units: [(String, Int)] = [("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("KB", 1_000), ("MB", 1_000_000), ("GB", 1_000_000_000), ("B", 1)]
        for (suffix, factor) in units where trimmed.hasSuffix(suffix) {
            guard let number = Int(trimmed.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)) else { return nil }
            let (product, overflow) = number.multipliedReportingOverflow(by: factor)
            return overflow ? nil : product
        }
        return Int(trimmed)
    }

    static func parseDuration(_ text: String) -> Int64? {
        var total: Int64 = 0
        var number = ""
        var sawUnit = false
        for character in text.trimmingCharacters(in: .whitespaces) {
            if character.isNumber {
                number.append(character)
                continue
            }
            guard let value = Int64(number) else { return nil }
            let factor: Int64
            switch character {
            case "s": factor = 1
            case "m": factor = 60
            case "h": factor = 3_600
            case "d": factor = 86_400
            case "w": factor = 604_800
            default: return nil
            }
            total += value * factor
            number = ""
            sawUnit = true
        }
        guard number.isEmpty, sawUnit else { return nil }
        return total
    }
}
