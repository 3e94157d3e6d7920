import Foundation

/// Alertmanager-compatible notification templates: Alertmanager's defaults plus the
/// `{{ define }}`s of the configuration's template files, ready to render config field values.
/// It also renders alerting rules' label and annotation templates with Prometheus's variables and
/// functions (``renderRuleTemplate(_:ruleName:labels:value:externalLabels:externalURL:)``).
///
/// The engine follows Go's `text/template` (as Alertmanager runs it, with `missingkey=zero`):
/// actions and trim markers, pipelines, variables, `if`/`else if`/`with`/`range`/`break`/
/// `continue`, `define`/`template`/`block`, Go's builtin functions and Alertmanager's.
/// Rendering is safe to call concurrently; parsed field texts are cached.
public struct TemplateSet: Sendable {
    private let definitions: [String: TemplateAST.Definition]
    private let cache = Cache()
    /// Parsed alerting rule templates, kept apart because they are parsed with Prometheus's functions.
    let ruleCache = Cache()
    let now: @Sendable () -> Date

    /// Alertmanager's default templates plus the definitions of `files` (the config's `templates:`
    /// globs, read by the caller), in order: a later file's `{{ define "x" }}` replaces an earlier
    /// one or a default, unless its body is only whitespace. Each file's own top level is also a
    /// template named after the file's last path component, as in Go's `ParseGlob`.
    ///
    /// - Parameter now: the clock for `since`.
    /// - Throws: ``TemplateError`` naming the file, line and construct for syntax errors, unknown
    ///   functions, undefined variables and two non-empty definitions of one name in one file.
    public init(files: [(name: String, text: String)], now: @escaping @Sendable () -> Date = { Date() }) throws(TemplateError) {
        var definitions: [String: TemplateAST.Definition] = [:]
        let defaults = try TemplateParser.parse(TemplateSource(name: TemplateDefaults.sourceName, text: TemplateDefaults.text), rootName: "")
        for definition in defaults.definitions { Self.add(definition, to: &definitions) }
        for file in files {
            let baseName = file.name.split(separator: "/").last.map(String.init) ?? file.name
            let parsed = try TemplateParser.parse(TemplateSource(name: file.name, text: file.text), rootName: baseName)
            Self.add(parsed.root, to: &definitions)
            for definition in parsed.definitions { Self.add(definition, to: &definitions) }
        }
        self.definitions = definitions
        self.now = now
    }

    /// The names of all templates, defaults included, sorted.
    public var templateNames: [String] {
        definitions.keys.sorted()
    }

    /// Parses a config field value (e.g. a Slack `title:`) without running it.
    ///
    /// - Throws: ``TemplateError`` for syntax errors, unknown functions, undefined variables, calls
    ///   of undefined templates (followed through the templates the text calls), and constructs
    ///   that cannot work on Alertmanager's data, such as `.CommonLabels.Foo.Bar` (a field of a
    ///   string) or `.Alerts.Sorted` (no such method).
    public func validate(_ text: String) throws(TemplateError) {
        let parsed = try parsed(text)
        try checkIncludes(of: parsed)
        try TemplateTypeChecker.check(parsed.root, dot: .data)
    }

    /// Executes a field value against the data as Alertmanager's `ExecuteTextString` does: empty
    /// text renders as "", and the data is both `.` and `$`.
    ///
    /// - Throws: ``TemplateError`` for syntax errors and for failures while running (index out of
    ///   range, a field of a string, a function's error), naming the template and position.
    public func render(_ text: String, data: TemplateData) throws(TemplateError) -> String {
        if text.isEmpty { return "" }
        let parsed = try parsed(text)
        return try TemplateExecutor.render(parsed.root, data: .data(data), now: now()) { name in
            parsed.local[name] ?? definitions[name]
        }
    }

    // MARK: Parsed field texts

    /// A field text's top level and the templates it defines itself, which take precedence over
    /// the set's while it runs (as they do in Alertmanager, which parses the text into a clone).
    struct ParsedText: Sendable {
        var root: TemplateAST.Definition
        var local: [String: TemplateAST.Definition]
    }

    private func parsed(_ text: String) throws(TemplateError) -> ParsedText {
        if let cached = cache.value(for: text) { return cached }
        let result = try TemplateParser.parse(TemplateSource(name: "", text: text), rootName: "")
        var local: [String: TemplateAST.Definition] = [:]
        for definition in result.definitions {
            if definition.isEmpty, let existing = definitions[definition.name], !existing.isEmpty { continue }
            local[definition.name] = definition
        }
        let parsed = ParsedText(root: result.root, local: local)
        cache.store(parsed, for: text)
        return parsed
    }

    /// Every `{{ template "x" }}` reachable from the text must name a defined template.
    private func checkIncludes(of parsed: ParsedText) throws(TemplateError) {
        var visited = Set<String>()
        var pending: [TemplateAST.Definition] = [parsed.root]
        while let definition = pending.popLast() {
            for include in Self.includes(in: definition.body) where !visited.contains(include.name) {
                guard let target = parsed.local[include.name] ?? definitions[include.name] else {
                    let location = TemplateSource.location(source: definition.source, include.position)
                    throw TemplateError(code: .undefinedTemplate, message: "\(location): template \"\(include.name)\" not defined")
                }
                visited.insert(include.name)
                pending.append(target)
            }
        }
    }

    static func includes(in nodes: [TemplateAST.Node]) -> [TemplateAST.Include] {
        nodes.flatMap { node -> [TemplateAST.Include] in
            switch node {
            case .include(let include): [include]
            case .branch(let branch): includes(in: branch.body) + includes(in: branch.elseBody ?? [])
            default: []
            }
        }
    }

    /// Go's rule when templates share a name: the later one wins unless it is empty.
    private static func add(_ definition: TemplateAST.Definition, to definitions: inout [String: TemplateAST.Definition]) {
        if definition.isEmpty, let existing = definitions[definition.name], !existing.isEmpty { return }
        definitions[definition.name] = definition
    }

    /// Parsed field texts by text. Config field values are few and fixed, so entries are kept
    /// until the set is dropped; the bound only guards against unbounded distinct texts.
    final class Cache: @unchecked Sendable {
        // Safe to share: `entries` is only read or written while `lock` is held, and the stored
        // values are immutable.
        private let lock = NSLock()
        private var entries: [String: ParsedText] = [:]
        private static let capacity = 4096

        func value(for text: String) -> ParsedText? {
            lock.withLock { entries[text] }
        }

        func store(_ parsed: ParsedText, for text: String) {
            lock.withLock {
                if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
                entries[text] = parsed
            }
        }
    }
}
