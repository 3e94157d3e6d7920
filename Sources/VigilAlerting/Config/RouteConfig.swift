import VigilYAML

/// One node of the `route:` tree as written in the configuration. Unset options are `nil` and
/// inherited from the parent when the tree is built (``Route``).
public struct RouteConfig: Sendable, Equatable {
    public var receiver: String?
    /// Label names from `group_by`, without `...`; `nil` when `group_by` is absent or lists only `...`.
    public var groupBy: [String]?
    /// `group_by: ['...']`: group by every label.
    public var groupByAll = false
    /// `match`, `match_re` and `matchers`, in that order.
    public var matchers: [Matcher] = []
    public var muteTimeIntervals: [String] = []
    public var activeTimeIntervals: [String] = []
    public var `continue` = false
    public var groupWait: Duration?
    public var groupInterval: Duration?
    public var repeatInterval: Duration?
    public var routes: [RouteConfig] = []
    /// Line of the route in the file, for errors found after parsing.
    public var line: Int?
    public var path = "route"

    public init() {}

    /// Reads one route mapping and its children, as Alertmanager's `Route.UnmarshalYAML` validates it.
    public static func parse(_ section: inout YAMLSection) throws(ConfigurationError) -> RouteConfig {
        var route = RouteConfig()
        route.line = section.line
        route.path = section.path
        try section.string("receiver") { route.receiver = $0 }
        var groupBy: [String]?
        try section.strings("group_by") { groupBy = $0 }
        if let groupBy {
            var seen = Set<String>()
            var labels: [String] = []
            for name in groupBy {
                if name == "..." {
                    route.groupByAll = true
                    continue
                }
                guard LabelSet.isValidName(name) else { throw section.error("group_by", "invalid label name \"\(name)\" in group_by list") }
                guard seen.insert(name).inserted else { throw section.error("group_by", "duplicated label \"\(name)\" in group_by") }
                labels.append(name)
            }
            if route.groupByAll, !labels.isEmpty {
                throw section.error("group_by", "cannot have wildcard group_by (`...`) and other labels at the same time")
            }
            if !labels.isEmpty { route.groupBy = labels }
        }
        route.matchers += try section.legacyMatchers(equal: "match", regex: "match_re")
        try section.matchers("matchers") { route.matchers += $0 }
        try section.strings("mute_time_intervals") { route.muteTimeIntervals = $0 }
        try section.strings("active_time_intervals") { route.activeTimeIntervals = $0 }
        try section.bool("continue") { route.continue = $0 }
        try section.promDuration("group_wait") { route.groupWait = $0 }
        let zeroInterval = section.error("group_interval", "group_interval cannot be zero")
        try section.promDuration("group_interval") { duration throws(ConfigurationError) in
            guard duration > .zero else { throw zeroInterval }
            route.groupInterval = duration
        }
        let zeroRepeat = section.error("repeat_interval", "repeat_interval cannot be zero")
        try section.promDuration("repeat_interval") { duration throws(ConfigurationError) in
            guard duration > .zero else { throw zeroRepeat }
            route.repeatInterval = duration
        }
        try section.sections("routes") { (child: inout YAMLSection, _: Int) throws(ConfigurationError) in
            route.routes.append(try RouteConfig.parse(&child))
        }
        return route
    }

    /// Every node of the tree, depth first, this one included.
    public var allRoutes: [RouteConfig] { [self] + routes.flatMap(\.allRoutes) }
}

extension YAMLSection {
    /// The deprecated `match` (label → value) and `match_re` (label → regex) mappings as matchers.
    /// Alertmanager keeps a `match_re` value anchored, `^(?:…)$`, and prints it that way.
    mutating func legacyMatchers(equal equalKey: String, regex regexKey: String) throws(ConfigurationError) -> [Matcher] {
        var matchers: [Matcher] = []
        for (key, kind) in [(equalKey, Matcher.Kind.equal), (regexKey, .regex)] {
            var pairs: [(String, String)] = []
            try stringMap(key) { pairs = $0 }
            for (name, value) in pairs {
                guard LabelSet.isValidName(name) else { throw error(key, "invalid label name \"\(name)\"") }
                do {
                    matchers.append(try Matcher(name: name, kind: kind, value: kind == .regex ? "^(?:\(value))$" : value))
                } catch {
                    throw self.error(key, "\(error)")
                }
            }
        }
        return matchers
    }

    /// A `matchers:` list: each entry is Alertmanager's matcher syntax (`a=b`, `{a=~"x|y"}`, several separated by commas).
    public mutating func matchers(_ key: String, _ apply: ([Matcher]) throws(ConfigurationError) -> Void) throws(ConfigurationError) {
        var entries: [String]?
        try strings(key) { entries = $0 }
        guard let entries else { return }
        var result: [Matcher] = []
        for entry in entries {
            do {
                result += try Matchers(parsing: entry)
            } catch {
                throw self.error(key, "\(error)")
            }
        }
        try apply(result)
    }
}
