import Foundation
import VigilYAML

/// One `slack_configs` entry: an attachment posted to a Slack incoming webhook, every text field
/// a template. Defaults are Alertmanager 0.25's `DefaultSlackConfig`, which name the
/// `slack.default.*` templates of its `default.tmpl`.
public struct SlackConfig: Sendable {
    /// An attachment field: `title` and `value` are templates; `short` falls back to ``SlackConfig/shortFields``.
    public struct Field: Sendable, Hashable {
        public var title: String
        public var value: String
        public var short: Bool?

        /// A field; `short: nil` takes the entry's `short_fields`.
        public init(title: String, value: String, short: Bool? = nil) {
            self.title = title
            self.value = value
            self.short = short
        }
    }

    /// A button: a link (`url`) or a message action (`name`, `value`, `confirm`). All text is templated.
    public struct Action: Sendable, Hashable {
        public var type: String
        public var text: String
        public var url = ""
        public var style = ""
        public var name = ""
        public var value = ""
        public var confirm: Confirmation?

        /// A link button when `url` is set, else a message action named `name`.
        public init(type: String, text: String, url: String = "", style: String = "", name: String = "", value: String = "", confirm: Confirmation? = nil) {
            self.type = type
            self.text = text
            self.url = url
            self.style = style
            self.name = name
            self.value = value
            self.confirm = confirm
        }
    }

    /// The confirmation dialog of a message action.
    public struct Confirmation: Sendable, Hashable {
        public var text: String
        public var title = ""
        public var okText = ""
        public var dismissText = ""

        /// A confirmation dialog; `text` is required.
        public init(text: String, title: String = "", okText: String = "", dismissText: String = "") {
            self.text = text
            self.title = title
            self.okText = okText
            self.dismissText = dismissText
        }
    }

    /// Default `false`.
    public var sendResolved = false
    /// The entry's `http_config`, or `global.http_config`.
    public var httpConfig = HTTPClientConfig()
    /// `api_url` or `api_url_file`, else `global.slack_api_url` or `global.slack_api_url_file`.
    public var apiURL: SecretSource<URL>

    /// `channel` overrides the webhook's channel (`#other` or `@user`); empty keeps it.
    public var channel = ""
    /// Templated message fields, defaulting to the `slack.default.*` templates as in Alertmanager.
    public var username = #"{{ template "slack.default.username" . }}"#
    public var color = #"{{ if eq .Status "firing" }}danger{{ else }}good{{ end }}"#
    public var title = #"{{ template "slack.default.title" . }}"#
    public var titleLink = #"{{ template "slack.default.titlelink" . }}"#
    public var pretext = #"{{ template "slack.default.pretext" . }}"#
    public var text = #"{{ template "slack.default.text" . }}"#
    /// Attachment fields and their default width.
    public var fields: [Field] = []
    public var shortFields = false
    public var footer = #"{{ template "slack.default.footer" . }}"#
    public var fallback = #"{{ template "slack.default.fallback" . }}"#
    public var callbackID = #"{{ template "slack.default.callbackid" . }}"#
    public var iconEmoji = #"{{ template "slack.default.iconemoji" . }}"#
    public var iconURL = #"{{ template "slack.default.iconurl" . }}"#
    /// Templated image links; empty by default.
    public var imageURL = ""
    public var thumbURL = ""
    /// Slack's `link_names`: turn `@user` and `#channel` in the text into links.
    public var linkNames = false
    /// Empty sends Alertmanager's `["fallback", "pretext", "text"]`.
    public var mrkdwnIn: [String] = []
    /// Buttons of the attachment.
    public var actions: [Action] = []

    /// An entry with Alertmanager's defaults.
    public init(apiURL: SecretSource<URL>) {
        self.apiURL = apiURL
    }

    /// Reads one entry as Alertmanager's `SlackConfig.UnmarshalYAML` does, then checks every
    /// templated field the file sets with `templates.validate`.
    public static func parse(_ section: inout YAMLSection, global: GlobalConfig, templates: TemplateSet) throws(ConfigurationError) -> SlackConfig {
        var apiURL: Secret<URL>?
        var apiURLFile: String?
        try section.httpURL("api_url", isSecret: true) { apiURL = Secret($0) }
        try section.filePath("api_url_file") { apiURLFile = $0 }
        if apiURL != nil, apiURLFile != nil {
            throw section.error("api_url_file", "at most one of api_url & api_url_file must be configured")
        }
        let source: SecretSource<URL>
        if let apiURL {
            source = .inline(apiURL)
        } else if let apiURLFile {
            source = .file(apiURLFile)
        } else if let global = global.slackAPIURL {
            source = .inline(global)
        } else if let global = global.slackAPIURLFile {
            source = .file(global)
        } else {
            throw section.error("api_url", "no global Slack API URL set either inline or in a file")
        }

        var config = SlackConfig(apiURL: source)
        config.httpConfig = global.httpConfig
        try section.bool("send_resolved") { config.sendResolved = $0 }
        try section.section("http_config") { (http: inout YAMLSection) throws(ConfigurationError) in
            config.httpConfig = try HTTPClientConfig.parse(&http)
        }
        let templated: [(String, WritableKeyPath<SlackConfig, String>)] = [
            ("channel", \.channel), ("username", \.username), ("color", \.color), ("title", \.title),
            ("title_link", \.titleLink), ("pretext", \.pretext), ("text", \.text), ("footer", \.footer),
            ("fallback", \.fallback), ("callback_id", \.callbackID), ("icon_emoji", \.iconEmoji),
            ("icon_url", \.iconURL), ("image_url", \.imageURL), ("thumb_url", \.thumbURL),
        ]
        for (key, path) in templated {
            var value: String?
            try section.string(key) { value = $0 }
            guard let value else { continue }
            try section.validateTemplate(value, key: key, templates: templates)
            config[keyPath: path] = value
        }
        try section.bool("short_fields") { config.shortFields = $0 }
        try section.bool("link_names") { config.linkNames = $0 }
        try section.strings("mrkdwn_in") { config.mrkdwnIn = $0 }
        try section.sections("fields") { (field: inout YAMLSection, _: Int) throws(ConfigurationError) in
            config.fields.append(try parseField(&field, templates: templates))
        }
        try section.sections("actions") { (action: inout YAMLSection, _: Int) throws(ConfigurationError) in
            config.actions.append(try parseAction(&action, templates: templates))
        }
        return config
    }

    private static func parseField(_ section: inout YAMLSection, templates: TemplateSet) throws(ConfigurationError) -> Field {
        var title = ""
        var value = ""
        var short: Bool?
        try section.string("title") { title = $0 }
        try section.string("value") { value = $0 }
        try section.bool("short") { short = $0 }
        guard !title.isEmpty else { throw section.error("title", "missing title in Slack field configuration") }
        guard !value.isEmpty else { throw section.error("value", "missing value in Slack field configuration") }
        try section.validateTemplate(title, key: "title", templates: templates)
        try section.validateTemplate(value, key: "value", templates: templates)
        return Field(title: title, value: value, short: short)
    }

    private static func parseAction(_ section: inout YAMLSection, templates: TemplateSet) throws(ConfigurationError) -> Action {
        var action = Action(type: "", text: "")
        let keys: [(String, WritableKeyPath<Action, String>)] = [
            ("type", \.type), ("text", \.text), ("url", \.url), ("style", \.style), ("name", \.name), ("value", \.value),
        ]
        for (key, path) in keys {
            var value: String?
            try section.string(key) { value = $0 }
            guard let value else { continue }
            try section.validateTemplate(value, key: key, templates: templates)
            action[keyPath: path] = value
        }
        try section.section("confirm") { (confirm: inout YAMLSection) throws(ConfigurationError) in
            var confirmation = Confirmation(text: "")
            let keys: [(String, WritableKeyPath<Confirmation, String>)] = [
                ("text", \.text), ("title", \.title), ("ok_text", \.okText), ("dismiss_text", \.dismissText),
            ]
            for (key, path) in keys {
                var value: String?
                try confirm.string(key) { value = $0 }
                guard let value else { continue }
                try confirm.validateTemplate(value, key: key, templates: templates)
                confirmation[keyPath: path] = value
            }
            guard !confirmation.text.isEmpty else { throw confirm.error("text", "missing text in Slack confirmation configuration") }
            action.confirm = confirmation
        }
        guard !action.type.isEmpty else { throw section.error("type", "missing type in Slack action configuration") }
        guard !action.text.isEmpty else { throw section.error("text", "missing text in Slack action configuration") }
        // A link button drops the message-action fields; a message action drops the link.
        if !action.url.isEmpty {
            action.name = ""
            action.value = ""
            action.confirm = nil
        } else if action.name.isEmpty {
            throw section.error("name", "missing name or url in Slack action configuration")
        }
        return action
    }
}
