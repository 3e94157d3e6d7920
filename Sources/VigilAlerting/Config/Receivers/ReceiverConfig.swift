import Foundation
import VigilYAML

/// One `receivers:` entry: a name and the integrations a notification for it goes to.
public struct ReceiverConfig: Sendable {
    /// Receiver types of Alertmanager's configuration that Vigil cannot send to.
    public static let unsupportedKeys = [
        "email_configs", "pagerduty_configs", "opsgenie_configs", "wechat_configs", "pushover_configs",
        "victorops_configs", "sns_configs", "telegram_configs", "webex_configs", "discord_configs",
        "msteams_configs", "msteamsv2_configs", "rocketchat_configs", "jira_configs", "incidentio_configs",
        "mattermost_configs",
    ]
    /// The receiver types Vigil sends to.
    public static let supportedKeys = ["webhook_configs", "slack_configs", "alertmanager_configs"]

    /// The name routes refer to; unique in the file.
    public var name: String
    /// The entries of `webhook_configs`, `slack_configs` and `alertmanager_configs`, in file order.
    public var webhookConfigs: [WebhookConfig] = []
    public var slackConfigs: [SlackConfig] = []
    public var alertmanagerConfigs: [AlertmanagerForwardConfig] = []

    /// A receiver with the given integrations.
    public init(name: String, webhookConfigs: [WebhookConfig] = [], slackConfigs: [SlackConfig] = [], alertmanagerConfigs: [AlertmanagerForwardConfig] = []) {
        self.name = name
        self.webhookConfigs = webhookConfigs
        self.slackConfigs = slackConfigs
        self.alertmanagerConfigs = alertmanagerConfigs
    }

    /// How many integrations (config entries) the receiver sends to; 0 for a receiver that
    /// only silences, as Alertmanager allows.
    public var integrationCount: Int { webhookConfigs.count + slackConfigs.count + alertmanagerConfigs.count }

    /// Reads one `receivers[i]` entry. Receiver types Vigil cannot send to (`email_configs`,
    /// `pagerduty_configs`, …) are errors naming the key and the supported types; an empty list
    /// of them is accepted. Every templated field is checked with `templates.validate`. Entries
    /// without `http_config` take `global.http_config`; Slack entries without `api_url` take
    /// `global.slack_api_url`.
    public static func parse(_ section: inout YAMLSection, global: GlobalConfig, templates: TemplateSet) throws(ConfigurationError) -> ReceiverConfig {
        var name = ""
        try section.string("name") { name = $0 }
        guard !name.isEmpty else { throw section.error("name", "missing name in receiver") }
        var receiver = ReceiverConfig(name: name)

        try section.sections("webhook_configs") { (entry: inout YAMLSection, _: Int) throws(ConfigurationError) in
            receiver.webhookConfigs.append(try WebhookConfig.parse(&entry, global: global))
        }
        try section.sections("slack_configs") { (entry: inout YAMLSection, _: Int) throws(ConfigurationError) in
            receiver.slackConfigs.append(try SlackConfig.parse(&entry, global: global, templates: templates))
        }
        try section.sections("alertmanager_configs") { (entry: inout YAMLSection, _: Int) throws(ConfigurationError) in
            receiver.alertmanagerConfigs.append(try AlertmanagerForwardConfig.parse(&entry, global: global))
        }
        for key in unsupportedKeys where section.contains(key) {
            let kind = key.replacingOccurrences(of: "_configs", with: "")
            let unsupported = section.error(key, "Vigil cannot send \(kind) notifications; the receiver types it supports are \(supportedKeys.joined(separator: ", "))")
            // An empty list configures nothing and is accepted.
            try section.sections(key) { (_: inout YAMLSection, _: Int) throws(ConfigurationError) in throw unsupported }
        }
        return receiver
    }
}
