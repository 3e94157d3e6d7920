import Foundation
import VigilYAML

/// An Alertmanager configuration file (`alertmanager.yml`), validated as Alertmanager validates it.
/// A value of this type is usable as is: every receiver and time interval a route names exists,
/// every regex compiles and every template parses.
public struct AlertmanagerConfig: Sendable {
    public var global: GlobalConfig
    public var route: RouteConfig
    public var inhibitRules: [InhibitRuleConfig]
    public var receivers: [ReceiverConfig]
    /// The `templates:` globs as written, and the template set built from the files they matched.
    public var templatePatterns: [String]
    public var templates: TemplateSet
    /// Named time intervals from `time_intervals` and the deprecated `mute_time_intervals`.
    public var timeIntervals: [String: [TimeIntervalSpec]]
    /// The file's text, as `GET /api/v2/status` shows it.
    public var original: String

    /// Loads and validates the file at `path`; template globs resolve against its folder.
    public static func load(path: String) throws(ConfigurationError) -> AlertmanagerConfig {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError(file: path, line: nil, key: "", reason: "cannot read the file: \(error.localizedDescription)")
        }
        return try parse(text, file: path, directory: (path as NSString).deletingLastPathComponent)
    }

    public func receiver(named name: String) -> ReceiverConfig? { receivers.first { $0.name == name } }
}
