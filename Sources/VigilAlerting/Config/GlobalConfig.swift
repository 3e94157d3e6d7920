import Foundation
import VigilYAML

/// The `global:` section of `alertmanager.yml`, with Alertmanager 0.25's defaults
/// (`DefaultGlobalConfig`). Every 0.25 key is accepted and kept, including those of receivers
/// Vigil cannot send to (e-mail, PagerDuty, OpsGenie, WeChat, VictorOps, Telegram, Webex), so a
/// file written for Alertmanager loads unchanged.
public struct GlobalConfig: Sendable {
    /// How long after its last update an alert without `endsAt` is resolved. Default 5m.
    public var resolveTimeout: Duration = .seconds(300)
    /// The `http_config` of every notifier that sets none.
    public var httpConfig = HTTPClientConfig()

    /// E-mail settings, kept for compatibility: Vigil sends no e-mail.
    public var smtpFrom: String?
    /// Default `localhost`.
    public var smtpHello = "localhost"
    /// `host:port`.
    public var smtpSmarthost: String?
    public var smtpAuthUsername: String?
    public var smtpAuthPassword: SecretSource<String>?
    public var smtpAuthSecret: Secret<String>?
    public var smtpAuthIdentity: String?
    /// Default `true`.
    public var smtpRequireTLS = true

    /// The Slack incoming-webhook URL of every `slack_configs` entry that sets neither `api_url`
    /// nor `api_url_file`: `slack_api_url` or `slack_api_url_file`.
    public var slackAPIURL: Secret<URL>?
    public var slackAPIURLFile: String?

    /// Endpoints and keys of receiver types Vigil does not send to, kept for compatibility.
    public var pagerdutyURL = URL(string: "https://events.pagerduty.com/v2/enqueue")!
    public var opsgenieAPIURL = URL(string: "https://api.opsgenie.com/")!
    public var opsgenieAPIKey: SecretSource<String>?
    public var wechatAPIURL = URL(string: "https://qyapi.weixin.qq.com/cgi-bin/")!
    public var wechatAPISecret: Secret<String>?
    public var wechatAPICorpID: String?
    public var victoropsAPIURL = URL(string: "https://alert.victorops.com/integrations/generic/20131114/alert/")!
    public var victoropsAPIKey: SecretSource<String>?
    public var telegramAPIURL = URL(string: "https://api.telegram.org")!
    public var webexAPIURL = URL(string: "https://webexapis.com/v1/messages")!

    /// Alertmanager's defaults, used when the file has no `global:` section.
    public init() {}

    /// Reads the `global:` mapping over the defaults. The caller reports unknown keys (``YAMLSection/finish()``).
    public static func parse(_ section: inout YAMLSection) throws(ConfigurationError) -> GlobalConfig {
        var config = GlobalConfig()
        try section.promDuration("resolve_timeout") { config.resolveTimeout = $0 }
        try section.section("http_config") { (http: inout YAMLSection) throws(ConfigurationError) in
            config.httpConfig = try HTTPClientConfig.parse(&http)
        }

        try section.string("smtp_from") { if !$0.isEmpty { config.smtpFrom = $0 } }
        try section.string("smtp_hello") { config.smtpHello = $0 }
        var smarthost = ""
        try section.string("smtp_smarthost") { smarthost = $0 }
        if !smarthost.isEmpty {
            guard Self.isHostPort(smarthost) else {
                throw section.error("smtp_smarthost", "address \"\(smarthost)\": expected host:port with a port")
            }
            config.smtpSmarthost = smarthost
        }
        try section.string("smtp_auth_username") { if !$0.isEmpty { config.smtpAuthUsername = $0 } }
        config.smtpAuthPassword = try section.secretPair("smtp_auth_password", "smtp_auth_password_file")
        try section.secret("smtp_auth_secret") { config.smtpAuthSecret = $0 }
        try section.string("smtp_auth_identity") { if !$0.isEmpty { config.smtpAuthIdentity = $0 } }
        try section.bool("smtp_require_tls") { config.smtpRequireTLS = $0 }

        try section.httpURL("slack_api_url", isSecret: true) { config.slackAPIURL = Secret($0) }
        try section.filePath("slack_api_url_file") { config.slackAPIURLFile = $0 }
        if config.slackAPIURL != nil, config.slackAPIURLFile != nil {
            throw section.error("slack_api_url_file", "at most one of slack_api_url & slack_api_url_file must be configured")
        }

        try section.httpURL("pagerduty_url") { config.pagerdutyURL = $0 }
        try section.httpURL("opsgenie_api_url") { config.opsgenieAPIURL = $0 }
        config.opsgenieAPIKey = try section.secretPair("opsgenie_api_key", "opsgenie_api_key_file")
        try section.httpURL("wechat_api_url") { config.wechatAPIURL = $0 }
        try section.secret("wechat_api_secret") { config.wechatAPISecret = $0 }
        try section.string("wechat_api_corp_id") { if !$0.isEmpty { config.wechatAPICorpID = $0 } }
        try section.httpURL("victorops_api_url") { config.victoropsAPIURL = $0 }
        config.victoropsAPIKey = try section.secretPair("victorops_api_key", "victorops_api_key_file")
        try section.httpURL("telegram_api_url") { config.telegramAPIURL = $0 }
        try section.httpURL("webex_api_url") { config.webexAPIURL = $0 }
        return config
    }

    /// Go's `net.SplitHostPort` with a non-empty port: `host:port` or `[v6]:port`.
    static func isHostPort(_ text: String) -> Bool {
        let port: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { return false }
            port = text[text.index(close, offsetBy: 2)...]
        } else {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2 else { return false }
            port = parts[1]
        }
        return !port.isEmpty && !port.contains(":")
    }
}

extension YAMLSection {
    /// A secret given inline under `key` or in the file under `fileKey`, not both.
    mutating func secretPair(_ key: String, _ fileKey: String) throws(ConfigurationError) -> SecretSource<String>? {
        var inline: Secret<String>?
        var file: String?
        try secret(key) { inline = $0 }
        try filePath(fileKey) { file = $0 }
        if inline != nil, file != nil {
            throw error(fileKey, "at most one of \(key) & \(fileKey) must be configured")
        }
        return inline.map { .inline($0) } ?? file.map { .file($0) }
    }
}
