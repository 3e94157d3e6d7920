import Foundation
import VigilYAML

/// One `webhook_configs` entry: POST Alertmanager's version-4 JSON message to `url`.
public struct WebhookConfig: Sendable {
    /// Default `true`.
    public var sendResolved = true
    /// The entry's `http_config`, or `global.http_config`.
    public var httpConfig: HTTPClientConfig
    /// Webhook URLs often carry a token, so the URL is kept out of descriptions and errors.
    public var url: Secret<URL>
    /// Alerts beyond this many are left out of a message and counted in `truncatedAlerts`; 0, the default, sends all.
    public var maxAlerts = 0

    /// An entry posting to `url`; `httpConfig` is usually `global.http_config`.
    public init(url: URL, httpConfig: HTTPClientConfig = HTTPClientConfig(), sendResolved: Bool = true, maxAlerts: Int = 0) {
        self.url = Secret(url)
        self.httpConfig = httpConfig
        self.sendResolved = sendResolved
        self.maxAlerts = maxAlerts
    }

    /// Reads one entry as Alertmanager's `WebhookConfig.UnmarshalYAML` does.
    public static func parse(_ section: inout YAMLSection, global: GlobalConfig) throws(ConfigurationError) -> WebhookConfig {
        var sendResolved = true
        var httpConfig = global.httpConfig
        var url: URL?
        var maxAlerts = 0
        try section.bool("send_resolved") { sendResolved = $0 }
        try section.section("http_config") { (http: inout YAMLSection) throws(ConfigurationError) in
            httpConfig = try HTTPClientConfig.parse(&http)
        }
        try section.httpURL("url", isSecret: true) { url = $0 }
        try section.integer("max_alerts", in: 0...Int.max) { maxAlerts = $0 }
        guard let url else { throw section.error("url", "missing URL in webhook config") }
        return WebhookConfig(url: url, httpConfig: httpConfig, sendResolved: sendResolved, maxAlerts: maxAlerts)
    }
}
