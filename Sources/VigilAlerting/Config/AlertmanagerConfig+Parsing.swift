#if canImport(Glibc)
import Glibc
#endif
import Foundation
import VigilYAML

extension AlertmanagerConfig {
    /// Parses and validates configuration text. `directory` resolves relative `templates:` globs.
    public static func parse(_ text: String, file: String, directory: String = ".") throws(ConfigurationError) -> AlertmanagerConfig {
        var root = try YAMLSection.document(text, file: file)
        var global = GlobalConfig()
        try root.section("global") { (section: inout YAMLSection) throws(ConfigurationError) in
            global = try GlobalConfig.parse(&section)
        }

        var patterns: [String] = []
        try root.strings("templates") { patterns = $0 }
        let templateFiles = try expand(patterns, directory: directory, location: root.error("templates", ""))
        let templates: TemplateSet
        do {
            templates = try TemplateSet(files: templateFiles.map { (name: $0.path, text: $0.text) })
        } catch {
            throw root.error("templates", "\(error)")
        }

        var timeIntervals: [String: [TimeIntervalSpec]] = [:]
        for key in ["mute_time_intervals", "time_intervals"] {
            try root.sections(key) { (section: inout YAMLSection, _: Int) throws(ConfigurationError) in
                let (name, intervals) = try TimeIntervalConfig.parseNamed(&section)
                guard timeIntervals[name] == nil else { throw section.error("name", "time interval \"\(name)\" is not unique") }
                timeIntervals[name] = intervals
            }
        }

        var receivers: [ReceiverConfig] = []
        try root.sections("receivers") { (section: inout YAMLSection, _: Int) throws(ConfigurationError) in
            let receiver = try ReceiverConfig.parse(&section, global: global, templates: templates)
            guard !receivers.contains(where: { $0.name == receiver.name }) else {
                throw section.error("name", "notification config name \"\(receiver.name)\" is not unique")
            }
            receivers.append(receiver)
        }

        var inhibitRules: [InhibitRuleConfig] = []
        try root.sections("inhibit_rules") { (section: inout YAMLSection, _: Int) throws(ConfigurationError) in
            inhibitRules.append(try InhibitRuleConfig.parse(&section))
        }

        var route: RouteConfig?
        let routeError = root.error("route", "")
        try root.section("route") { (section: inout YAMLSection) throws(ConfigurationError) in
            route = try RouteConfig.parse(&section)
        }
        try root.finish()

        guard let route else { throw ConfigurationError(file: file, line: nil, key: "route", reason: "no routes provided") }
        func fail(_ reason: String, _ at: RouteConfig? = nil) -> ConfigurationError {
            ConfigurationError(file: file, line: at?.line ?? routeError.line, key: at?.path ?? "route", reason: reason)
        }
        guard let rootReceiver = route.receiver, !rootReceiver.isEmpty else { throw fail("root route must specify a default receiver") }
        guard route.matchers.isEmpty else { throw fail("root route must not have any matchers") }
        guard route.muteTimeIntervals.isEmpty else { throw fail("root route must not have any mute time intervals") }
        guard route.activeTimeIntervals.isEmpty else { throw fail("root route must not have any active time intervals") }
        let receiverNames = Set(receivers.map(\.name))
        for node in route.allRoutes {
            if let name = node.receiver, !name.isEmpty, !receiverNames.contains(name) {
                throw fail("undefined receiver \"\(name)\" used in route", node)
            }
            for name in node.muteTimeIntervals + node.activeTimeIntervals where timeIntervals[name] == nil {
                throw fail("undefined time interval \"\(name)\" used in route", node)
            }
        }
        return AlertmanagerConfig(
            global: global, route: route, inhibitRules: inhibitRules, receivers: receivers,
            templatePatterns: patterns, templates: templates,
            timeIntervals: timeIntervals, original: text)
    }

    /// Files matched by the `templates:` globs, sorted and without duplicates, with their text.
    private static func expand(_ patterns: [String], directory: String, location: ConfigurationError) throws(ConfigurationError) -> [(path: String, text: String)] {
        var paths: [String] = []
        for pattern in patterns {
            let absolute = pattern.hasPrefix("/") ? pattern : (directory as NSString).appendingPathComponent(pattern)
            var matches = glob_t()
            defer { globfree(&matches) }
            let status = glob(absolute, 0, nil, &matches)
            guard status == 0 || status == GLOB_NOMATCH else {
                throw ConfigurationError(file: location.file, line: location.line, key: "templates", reason: "cannot expand \"\(pattern)\"")
            }
            for index in 0..<Int(matches.gl_pathc) {
                if let path = matches.gl_pathv[index].map({ String(cString: $0) }), !paths.contains(path) { paths.append(path) }
            }
        }
        var files: [(path: String, text: String)] = []
        for path in paths.sorted() {
            do {
                files.append((path, try String(contentsOfFile: path, encoding: .utf8)))
            } catch {
                throw ConfigurationError(file: location.file, line: location.line, key: "templates", reason: "cannot read \(path): \(error.localizedDescription)")
            }
        }
        return files
    }
}
