import Foundation
import VigilYAML

/// One `alertmanager_configs` entry, a Vigil extension: forward the group's alerts to another
/// Alertmanager (or Vigil) with `POST <url>/api/v2/alerts`.
///
/// ```yaml
/// alertmanager_configs:
///   - url: https://alertmanager.example.com   # path prefix kept: /am -> /am/api/v2/alerts
///     send_resolved: true                      # default
///     http_config: { basic_auth: { username: vigil, password_file: /etc/vigil/am-password } }
/// ```
public struct AlertmanagerForwardConfig: Sendable {
    /// Default `true`: the other Alertmanager learns of resolutions at once instead of after its `resolve_timeout`.
    public var sendResolved = true
    /// The entry's `http_config`, or `global.http_config`.
    public var httpConfig: HTTPClientConfig
    /// The other Alertmanager's base URL, as `--web.external-url` would give it.
    public var url: URL

    /// An entry forwarding to `url`; `httpConfig` is usually `global.http_config`.
    public init(url: URL, httpConfig: HTTPClientConfig = HTTPClientConfig(), sendResolved: Bool = true) {
        self.url = url
        self.httpConfig = httpConfig
        self.sendResolved = sendResolved
    }

    /// `<url>/api/v2/alerts`, keeping any path prefix of `url`.
    public var alertsEndpoint: URL {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else {
            return url.appendingPathComponent("api/v2/alerts")
        }
        var path = components.percentEncodedPath
        while path.hasSuffix("/") { path.removeLast() }
        components.percentEncodedPath = path + "/api/v2/alerts"
        components.query = nil
        components.fragment = nil
        return components.url ?? url.appendingPathComponent("api/v2/alerts")
    }

    /// Reads one entry; without `http_config` it takes `global.http_config`. A URL carrying credentials is refused.
    public static func parse(_ section: inout YAMLSection, global: GlobalConfig) throws(ConfigurationError) -> AlertmanagerForwardConfig {
        var sendResolved = true
        var httpConfig = global.httpConfig
        var url: URL?
        try section.bool("send_resolved") { sendResolved = $0 }
        try section.section("http_config") { (http: inout YAMLSection) throws(ConfigurationError) in
            httpConfig = try HTTPClientConfig.parse(&http)
        }
        let credentialsInURL = section.error("url", "the URL must not carry credentials; use http_config.basic_auth")
        try section.httpURL("url") { (parsed: URL) throws(ConfigurationError) in
            guard parsed.user == nil, parsed.password == nil else { throw credentialsInURL }
            url = parsed
        }
        guard let url else { throw section.error("url", "missing URL in alertmanager config") }
        return AlertmanagerForwardConfig(url: url, httpConfig: httpConfig, sendResolved: sendResolved)
    }
}
