import Foundation
public import Yams

/// One mapping of a YAML document, read key by key. Keys that no reader asked for are
/// reported by ``finish()`` as unknown, with their line.
///
/// Every reader is optional: a missing key, or one set to `null`/`~`/empty, leaves the
/// caller's default in place. Values of the wrong shape throw a ``ConfigurationError`` naming
/// the file, the line and the dotted key path (`route.routes[2].matchers`).
public struct YAMLSection {
    private let pairs: [(key: String, value: Node, line: Int?)]
    private var consumed = Set<String>()
    /// The dotted path of this mapping in the document; empty for the root.
    public let path: String
    /// The file name used in errors.
    public let file: String
    /// The line of this mapping, when known.
    public let line: Int?

    public init(node: Node, path: String, file: String) throws(ConfigurationError) {
        self.path = path
        self.file = file
        self.line = node.mark.map { $0.line }
        switch node {
        case .mapping(let mapping):
            pairs = mapping.map { (key: $0.key.string ?? "", value: $0.value, line: $0.key.mark.map { $0.line }) }
        case .scalar(let scalar) where Self.isNull(scalar):
            pairs = []
        default:
            throw ConfigurationError(file: file, line: node.mark.map { $0.line }, key: path, reason: "expected a mapping of keys to values")
        }
        var seen = Set<String>()
        for pair in pairs where !seen.insert(pair.key).inserted {
            throw ConfigurationError(file: file, line: pair.line, key: Self.join(path, pair.key), reason: "the key is given twice")
        }
    }

    /// Parses a whole document; an empty document is an empty mapping.
    public static func document(_ text: String, file: String) throws(ConfigurationError) -> YAMLSection {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw ConfigurationError(file: file, line: nil, key: "", reason: "not valid YAML: \(error)")
        }
        return try YAMLSection(node: root ?? Node(""), path: "", file: file)
    }

    static func isNull(_ scalar: Node.Scalar) -> Bool {
        (scalar.style == .plain || scalar.style == .any) && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The dotted path of `key` inside this mapping.
    public func qualified(_ key: String) -> String { Self.join(path, key) }

    /// The keys present in this mapping, in document order.
    public var keys: [String] { pairs.map(\.key) }

    /// Whether `key` is present with a non-null value.
    public func contains(_ key: String) -> Bool {
        guard let pair = pairs.first(where: { $0.key == key }) else { return false }
        if case .scalar(let scalar) = pair.value, Self.isNull(scalar) { return false }
        return true
    }

    /// An error about `key`, located at its line (or this mapping's line when it is absent).
    public func error(_ key: String, _ reason: String) -> ConfigurationError {
        ConfigurationError(file: file, line: pairs.first { $0.key == key }?.line ?? line, key: qualified(key), reason: reason)
    }

    /// Marks `key` as read and returns its value, or `nil` when it is absent or null.
    public mutating func take(_ key: String) -> (value: Node, line: Int?)? {
        guard let pair = pairs.first(where: { $0.key == key }) else { return nil }
        consumed.insert(key)
        if case .scalar(let scalar) = pair.value, Self.isNull(scalar) { return nil }
        return (pair.value, pair.line)
    }

    /// The scalar text of `key`, or `nil` when absent; a list or mapping is an error.
    public mutating func scalar(_ key: String) throws(ConfigurationError) -> String? {
        guard let (value, _) = take(key) else { return nil }
        guard case .scalar(let scalar) = value else { throw error(key, "expected a single value, not a list or mapping") }
        return scalar.string
    }

    public mutating func section(_ key: String, _ body: (inout YAMLSection) throws(ConfigurationError) -> Void) throws(ConfigurationError) {
        guard let (value, _) = take(key) else { return }
        var child = try YAMLSection(node: value, path: qualified(key), file: file)
        try body(&child)
        try child.finish()
    }

    /// Reads a list of mappings; each element is read by `body` and then checked for unknown keys.
    public mutating func sections(_ key: String, _ body: (inout YAMLSection, Int) throws(ConfigurationError) -> Void) throws(ConfigurationError) {
        guard let (value, _) = take(key) else { return }
        guard case .sequence(let sequence) = value else { throw error(key, "expected a list") }
        for (index, element) in sequence.enumerated() {
            var child = try YAMLSection(node: element, path: "\(qualified(key))[\(index)]", file: file)
            try body(&child, index)
            try child.finish()
        }
    }

    public mutating func string(_ key: String, _ apply: (String) throws(ConfigurationError) -> Void) throws(ConfigurationError) {
        guard let text = try scalar(key) else { return }
        try apply(text)
    }

    /// A list of scalars; a single scalar is an error.
    public mutating func strings(_ key: String, _ apply: ([String]) throws(ConfigurationError) -> Void) throws(ConfigurationError) {
        guard let (value, _) = take(key) else { return }
        guard case .sequence(let sequence) = value else { throw error(key, "expected a list") }
        var result: [String] = []
        for element in sequence {
            guard case .scalar(let scalar) = element else { throw error(key, "expected a list of single values") }
            result.append(scalar.string)
        }
        try apply(result)
    }

    /// A mapping of scalar keys to scalar values, in document order.
    public mutating func stringMap(_ key: String, _ apply: ([(String, String)]) throws(ConfigurationError) -> Void) throws(ConfigurationError) {
        guard let (value, _) = take(key) else { return }
        guard case .mapping(let mapping) = value else { throw error(key, "expected a mapping of names to values") }
        var result: [(String, String)] = []
        for (name, element) in mapping {
            guard case .scalar(let scalar) = element else { throw error(key, "the value of \(name.string ?? "?") must be a single value") }
            result.append((name.string ?? "", scalar.string))
        }
        try apply(result)
    }

    public mutating func bool(_ key: String, _ apply: (Bool) -> Void) throws(ConfigurationError) {
        guard let text = try scalar(key) else { return }
        switch text.lowercased() {
        case "true", "yes", "on": apply(true)
        case "false", "no", "off": apply(false)
        default: throw error(key, "\"\(text)\" is not true or false")
        }
    }

    public mutating func integer(_ key: String, in range: ClosedRange<Int>, _ apply: (Int) -> Void) throws(ConfigurationError) {
        guard let text = try scalar(key) else { return }
        guard let value = Int(text.replacingOccurrences(of: "_", with: "")) else { throw error(key, "\"\(text)\" is not an integer") }
        guard range.contains(value) else { throw error(key, "\(value) is outside \(range.lowerBound)...\(range.upperBound)") }
        apply(value)
    }

    /// A size: bytes, or a number with KB/MB/GB (powers of 1000) or KiB/MiB/GiB (powers of 1024).
    public mutating func size(_ key: String, _ apply: (Int) -> Void) throws(ConfigurationError) {
        guard let text = try scalar(key) else { return }
        guard let bytes = Self.parseSize(text), bytes > 0 else { throw error(key, "\"\(text)\" is not a size such as 64MiB or 1048576") }
        apply(bytes)
    }

    /// A duration in whole seconds: a number with s, m, h, d or w (`30s`, `5m`, `24h`, `7d`); combinations such as `1h30m` work too.
    public mutating func duration(_ key: String, atLeast minimum: Int64, _ apply: (Int64) throws(ConfigurationError) -> Void) throws(ConfigurationError) {
        guard let text = try scalar(key) else { return }
        guard let milliseconds = Self.parseDuration(text), milliseconds % 1_000 == 0 else {
            throw error(key, "\"\(text)\" is not a duration such as 30s, 5m, 24h or 7d")
        }
        let seconds = milliseconds / 1_000
        guard seconds >= minimum else { throw error(key, "\(text) is shorter than the minimum of \(minimum)s") }
        try apply(seconds)
    }

    /// A Prometheus duration (`1h30m`, `500ms`, `2d`, `1w`, `1y` = 365d), as a `Duration`.
    public mutating func promDuration(_ key: String, _ apply: (Duration) throws(ConfigurationError) -> Void) throws(ConfigurationError) {
        guard let text = try scalar(key) else { return }
        guard let milliseconds = Self.parseDuration(text) else {
            throw error(key, "\"\(text)\" is not a duration such as 500ms, 30s, 5m, 4h or 7d")
        }
        try apply(.milliseconds(milliseconds))
    }

    /// Fails on the first key nobody read.
    public func finish() throws(ConfigurationError) {
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

    /// Milliseconds of a Prometheus duration: units y, w, d, h, m, s, ms, largest first, each at most once.
    public static func parseDuration(_ text: String) -> Int64? {
        let units: [(String, Int64)] = [("y", 31_536_000_000), ("w", 604_800_000), ("d", 86_400_000), ("h", 3_600_000), ("ms", 1), ("m", 60_000), ("s", 1_000)]
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        guard !rest.isEmpty else { return nil }
        if rest == "0" { return 0 }
        var total: Int64 = 0
        var lastUnit = -1
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, let value = Int64(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            guard let unit = units.indices.first(where: { rest.hasPrefix(units[$0].0) && !(units[$0].0 == "m" && rest.hasPrefix("ms")) }) else { return nil }
            // ms and m share a prefix; order is y w d h m s ms.
            let order = ["y", "w", "d", "h", "m", "s", "ms"].firstIndex(of: units[unit].0)!
            guard order > lastUnit else { return nil }
            lastUnit = order
            rest = rest.dropFirst(units[unit].0.count)
            let (product, overflow) = value.multipliedReportingOverflow(by: units[unit].1)
            guard !overflow else { return nil }
            total += product
        }
        return total
    }
}
