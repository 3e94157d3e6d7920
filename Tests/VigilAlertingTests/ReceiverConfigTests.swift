import Foundation
import Testing
import VigilYAML
@testable import VigilAlerting

@Suite struct ReceiverConfigTests {
    static let file = "/etc/alertmanager/alertmanager.yml"

    let templates: TemplateSet

    init() throws {
        templates = try TemplateSet(files: [])
    }

    func global(_ yaml: String) throws(ConfigurationError) -> GlobalConfig {
        var root = try YAMLSection.document(yaml, file: Self.file)
        var config = GlobalConfig()
        try root.section("global") { (section: inout YAMLSection) throws(ConfigurationError) in
            config = try GlobalConfig.parse(&section)
        }
        try root.finish()
        return config
    }

    /// The receivers of a document, read after its `global:` section as the whole file is.
    func receivers(_ yaml: String) throws(ConfigurationError) -> [ReceiverConfig] {
        var root = try YAMLSection.document(yaml, file: Self.file)
        var globalConfig = GlobalConfig()
        try root.section("global") { (section: inout YAMLSection) throws(ConfigurationError) in
            globalConfig = try GlobalConfig.parse(&section)
        }
        var result: [ReceiverConfig] = []
        let templates = templates
        try root.sections("receivers") { (section: inout YAMLSection, _: Int) throws(ConfigurationError) in
            result.append(try ReceiverConfig.parse(&section, global: globalConfig, templates: templates))
        }
        try root.finish()
        return result
    }

    func receiver(_ yaml: String) throws -> ReceiverConfig {
        try #require(try receivers(yaml).first)
    }

    func failure(_ yaml: String) -> String? {
        do {
            _ = try receivers(yaml)
            return nil
        } catch {
            return error.description
        }
    }

    // MARK: global

    @Test func globalDefaultsAreAlertmanagers() throws {
        for config in [GlobalConfig(), try global("{}"), try global("global:\n")] {
            #expect(config.resolveTimeout == .seconds(300))
            #expect(config.httpConfig == HTTPClientConfig())
            #expect(config.httpConfig.followRedirects && config.httpConfig.enableHTTP2)
            #expect(config.smtpHello == "localhost")
            #expect(config.smtpRequireTLS)
            #expect(config.slackAPIURL == nil && config.slackAPIURLFile == nil)
            #expect(config.pagerdutyURL.absoluteString == "https://events.pagerduty.com/v2/enqueue")
            #expect(config.opsgenieAPIURL.absoluteString == "https://api.opsgenie.com/")
            #expect(config.wechatAPIURL.absoluteString == "https://qyapi.weixin.qq.com/cgi-bin/")
            #expect(config.victoropsAPIURL.absoluteString == "https://alert.victorops.com/integrations/generic/20131114/alert/")
            #expect(config.telegramAPIURL.absoluteString == "https://api.telegram.org")
            #expect(config.webexAPIURL.absoluteString == "https://webexapis.com/v1/messages")
        }
    }

    @Test func globalReadsEveryAlertmanager025Key() throws {
        let config = try global("""
            global:
              resolve_timeout: 2m
              http_config:
                follow_redirects: false
                bearer_token: global-token
              smtp_from: am@example.com
              smtp_hello: mail.example.com
              smtp_smarthost: smtp.example.com:587
              smtp_auth_username: am
              smtp_auth_password: smtp-password
              smtp_auth_secret: smtp-secret
              smtp_auth_identity: am-identity
              smtp_require_tls: false
              slack_api_url: https://hooks.slack.com/services/T0/B0/slack-token
              pagerduty_url: https://pd.example.com/v2/enqueue
              opsgenie_api_url: https://og.example.com/
              opsgenie_api_key_file: secrets/opsgenie
              wechat_api_url: https://wechat.example.com/
              wechat_api_secret: wechat-secret
              wechat_api_corp_id: corp
              victorops_api_url: https://vo.example.com/
              victorops_api_key: vo-key
              telegram_api_url: https://tg.example.com
              webex_api_url: https://webex.example.com/v1/messages
            """)
        #expect(config.resolveTimeout == .seconds(120))
        #expect(!config.httpConfig.followRedirects)
        #expect(config.httpConfig.authorization == .init(type: "Bearer", credentials: .inline(Secret("global-token"))))
        #expect(config.smtpFrom == "am@example.com")
        #expect(config.smtpHello == "mail.example.com")
        #expect(config.smtpSmarthost == "smtp.example.com:587")
        #expect(config.smtpAuthUsername == "am")
        #expect(config.smtpAuthPassword == .inline(Secret("smtp-password")))
        #expect(config.smtpAuthSecret == Secret("smtp-secret"))
        #expect(config.smtpAuthIdentity == "am-identity")
        #expect(!config.smtpRequireTLS)
        #expect(config.slackAPIURL?.value.absoluteString == "https://hooks.slack.com/services/T0/B0/slack-token")
        #expect(config.pagerdutyURL.absoluteString == "https://pd.example.com/v2/enqueue")
        #expect(config.opsgenieAPIURL.absoluteString == "https://og.example.com/")
        #expect(config.opsgenieAPIKey == .file("/etc/alertmanager/secrets/opsgenie"))
        #expect(config.wechatAPIURL.absoluteString == "https://wechat.example.com/")
        #expect(config.wechatAPISecret == Secret("wechat-secret"))
        #expect(config.wechatAPICorpID == "corp")
        #expect(config.victoropsAPIURL.absoluteString == "https://vo.example.com/")
        #expect(config.victoropsAPIKey == .inline(Secret("vo-key")))
        #expect(config.telegramAPIURL.absoluteString == "https://tg.example.com")
        #expect(config.webexAPIURL.absoluteString == "https://webex.example.com/v1/messages")

        var dumped = ""
        dump(config, to: &dumped)
        for secret in ["global-token", "smtp-password", "smtp-secret", "slack-token", "wechat-secret", "vo-key"] {
            #expect(!"\(config)".contains(secret))
            #expect(!dumped.contains(secret))
        }
    }

    @Test(arguments: [
        ("global:\n  slack_api_url: https://hooks.slack.com/x\n  slack_api_url_file: /x\n",
         "alertmanager.yml:3: global.slack_api_url_file: at most one of slack_api_url & slack_api_url_file must be configured"),
        ("global:\n  opsgenie_api_key: a\n  opsgenie_api_key_file: /x\n",
         "alertmanager.yml:3: global.opsgenie_api_key_file: at most one of opsgenie_api_key & opsgenie_api_key_file must be configured"),
        ("global:\n  smtp_auth_password: a\n  smtp_auth_password_file: /x\n",
         "alertmanager.yml:3: global.smtp_auth_password_file: at most one of smtp_auth_password & smtp_auth_password_file must be configured"),
        ("global:\n  smtp_smarthost: smtp.example.com\n", "alertmanager.yml:2: global.smtp_smarthost: address \"smtp.example.com\": expected host:port with a port"),
        ("global:\n  pagerduty_url: ftp://pd.example.com\n", "alertmanager.yml:2: global.pagerduty_url: unsupported scheme \"ftp\" for URL"),
        ("global:\n  resolve_timeout: soon\n", "alertmanager.yml:2: global.resolve_timeout: \"soon\" is not a duration such as 500ms, 30s, 5m, 4h or 7d"),
        ("global:\n  slack_api_uri: https://hooks.slack.com/x\n", "alertmanager.yml:2: global.slack_api_uri: unknown key"),
        ("global:\n  slack_api_url: hooks.slack.com/T0/secret-path\n", "alertmanager.yml:2: global.slack_api_url: the URL is not a valid URL"),
    ])
    func globalErrors(yaml: String, expected: String) {
        do {
            _ = try global(yaml)
            Issue.record("no error for \(yaml)")
        } catch {
            #expect(error.description == "/etc/alertmanager/" + expected)
            #expect(!error.description.contains("secret-path"))
        }
    }

    // MARK: receivers

    @Test func webhookDefaultsAndGlobalHTTPConfig() throws {
        let receiver = try receiver("""
            global:
              http_config:
                basic_auth: {username: am, password: pw}
            receivers:
              - name: hooks
                webhook_configs:
                  - url: http://hooks.example.com/alerts
                  - url: https://other.example.com/a?token=hook-token
                    send_resolved: false
                    max_alerts: 10
                    http_config:
                      authorization: {credentials_file: token}
            """)
        #expect(receiver.name == "hooks")
        #expect(receiver.integrationCount == 2)
        let first = receiver.webhookConfigs[0]
        #expect(first.url.value.absoluteString == "http://hooks.example.com/alerts")
        #expect(first.sendResolved)
        #expect(first.maxAlerts == 0)
        #expect(first.httpConfig.basicAuth == .init(username: "am", password: .inline(Secret("pw"))))
        let second = receiver.webhookConfigs[1]
        #expect(!second.sendResolved)
        #expect(second.maxAlerts == 10)
        #expect(second.httpConfig.basicAuth == nil, "an entry's http_config replaces the global one")
        #expect(second.httpConfig.authorization == .init(type: "Bearer", credentials: .file("/etc/alertmanager/token")))
        #expect(second.httpConfig.followRedirects)
        #expect(!"\(receiver)".contains("hook-token"))
    }

    @Test func slackDefaultsAreAlertmanagers() throws {
        let receiver = try receiver("""
            global:
              slack_api_url: https://hooks.slack.com/services/T0/B0/global-secret
            receivers:
              - name: chat
                slack_configs:
                  - channel: '#alerts'
                  - api_url_file: slack-url
                    send_resolved: true
                    title: '{{ .CommonLabels.alertname }}'
                    short_fields: true
                    link_names: true
                    mrkdwn_in: [text]
                    fields:
                      - {title: Severity, value: '{{ .CommonLabels.severity }}', short: false}
                    actions:
                      - {type: button, text: Runbook, url: 'https://runbooks/{{ .GroupLabels.alertname }}', name: dropped, value: dropped}
                      - type: button
                        text: Ack
                        name: ack
                        value: '1'
                        confirm: {text: Sure?, ok_text: 'Yes'}
            """)
        let first = receiver.slackConfigs[0]
        #expect(first.apiURL == .inline(Secret(URL(string: "https://hooks.slack.com/services/T0/B0/global-secret")!)))
        #expect(!first.sendResolved)
        #expect(first.channel == "#alerts")
        #expect(first.color == #"{{ if eq .Status "firing" }}danger{{ else }}good{{ end }}"#)
        #expect(first.username == #"{{ template "slack.default.username" . }}"#)
        #expect(first.title == #"{{ template "slack.default.title" . }}"#)
        #expect(first.titleLink == #"{{ template "slack.default.titlelink" . }}"#)
        #expect(first.pretext == #"{{ template "slack.default.pretext" . }}"#)
        #expect(first.text == #"{{ template "slack.default.text" . }}"#)
        #expect(first.fallback == #"{{ template "slack.default.fallback" . }}"#)
        #expect(first.callbackID == #"{{ template "slack.default.callbackid" . }}"#)
        #expect(first.footer == #"{{ template "slack.default.footer" . }}"#)
        #expect(first.iconEmoji == #"{{ template "slack.default.iconemoji" . }}"#)
        #expect(first.iconURL == #"{{ template "slack.default.iconurl" . }}"#)
        #expect(first.imageURL.isEmpty && first.thumbURL.isEmpty && first.mrkdwnIn.isEmpty)

        let second = receiver.slackConfigs[1]
        #expect(second.apiURL == .file("/etc/alertmanager/slack-url"))
        #expect(second.sendResolved && second.shortFields && second.linkNames)
        #expect(second.title == "{{ .CommonLabels.alertname }}")
        #expect(second.mrkdwnIn == ["text"])
        #expect(second.fields == [.init(title: "Severity", value: "{{ .CommonLabels.severity }}", short: false)])
        #expect(second.actions == [
            .init(type: "button", text: "Runbook", url: "https://runbooks/{{ .GroupLabels.alertname }}"),
            .init(type: "button", text: "Ack", name: "ack", value: "1", confirm: .init(text: "Sure?", okText: "Yes")),
        ])
        var dumped = ""
        dump(receiver, to: &dumped)
        #expect(!dumped.contains("global-secret"))
        #expect(!"\(receiver)".contains("global-secret"))
    }

    @Test func alertmanagerForwardingKeepsThePathPrefix() throws {
        let receiver = try receiver("""
            receivers:
              - name: upstream
                alertmanager_configs:
                  - url: https://am.example.com/prefix/
                    send_resolved: false
                  - url: http://am2.example.com:9093
            """)
        #expect(receiver.alertmanagerConfigs.map(\.alertsEndpoint.absoluteString) == [
            "https://am.example.com/prefix/api/v2/alerts", "http://am2.example.com:9093/api/v2/alerts",
        ])
        #expect(receiver.alertmanagerConfigs.map(\.sendResolved) == [false, true])
        #expect(receiver.integrationCount == 2)
    }

    @Test func aReceiverWithoutIntegrationsIsAllowed() throws {
        let receiver = try receiver("receivers:\n  - name: blackhole\n    email_configs: []\n")
        #expect(receiver.integrationCount == 0)
    }

    @Test(arguments: ReceiverConfig.unsupportedKeys)
    func unsupportedReceiverTypesAreNamed(key: String) throws {
        let message = try #require(failure("receivers:\n  - name: r\n    \(key):\n      - to: x\n"))
        #expect(message.contains("receivers[0].\(key)"))
        #expect(message.contains("webhook_configs, slack_configs, alertmanager_configs"))
        #expect(message.hasPrefix("\(Self.file):3: "))
    }

    @Test(arguments: [
        ("receivers:\n  - webhook_configs: []\n", "alertmanager.yml:2: receivers[0].name: missing name in receiver"),
        ("receivers:\n  - name: r\n    webhook_configs:\n      - send_resolved: true\n", "receivers[0].webhook_configs[0].url: missing URL in webhook config"),
        ("receivers:\n  - name: r\n    webhook_configs:\n      - url: ftp://x/y\n", "receivers[0].webhook_configs[0].url: unsupported scheme \"ftp\" for URL"),
        ("receivers:\n  - name: r\n    webhook_configs:\n      - url: http://x/y\n        max_alerts: -1\n", "max_alerts: -1 is outside"),
        ("receivers:\n  - name: r\n    webhook_configs:\n      - url: http://x/y\n        urls: [a]\n", "alertmanager.yml:5: receivers[0].webhook_configs[0].urls: unknown key"),
        ("receivers:\n  - name: r\n    slack_configs:\n      - channel: '#a'\n", "receivers[0].slack_configs[0].api_url: no global Slack API URL set either inline or in a file"),
        ("receivers:\n  - name: r\n    slack_configs:\n      - api_url: https://h/x\n        api_url_file: /x\n", "at most one of api_url & api_url_file must be configured"),
        ("global:\n  slack_api_url: https://h/x\nreceivers:\n  - name: r\n    slack_configs:\n      - fields: [{title: a}]\n", "receivers[0].slack_configs[0].fields[0].value: missing value in Slack field configuration"),
        ("global:\n  slack_api_url: https://h/x\nreceivers:\n  - name: r\n    slack_configs:\n      - actions: [{type: button, text: a}]\n", "actions[0].name: missing name or url in Slack action configuration"),
        ("global:\n  slack_api_url: https://h/x\nreceivers:\n  - name: r\n    slack_configs:\n      - actions: [{type: button, text: a, name: n, confirm: {title: t}}]\n", "confirm.text: missing text in Slack confirmation configuration"),
        ("global:\n  slack_api_url: https://h/x\nreceivers:\n  - name: r\n    slack_configs:\n      - title: '{{ .CommonLabels.alertname '\n", "alertmanager.yml:6: receivers[0].slack_configs[0].title: invalid template"),
        ("global:\n  slack_api_url: https://h/x\nreceivers:\n  - name: r\n    slack_configs:\n      - fields: [{title: a, value: '{{ end }}'}]\n", "receivers[0].slack_configs[0].fields[0].value: invalid template"),
        ("receivers:\n  - name: r\n    alertmanager_configs:\n      - url: http://user:pw@am:9093\n", "receivers[0].alertmanager_configs[0].url: the URL must not carry credentials"),
        ("receivers:\n  - name: r\n    alertmanager_configs:\n      - send_resolved: true\n", "missing URL in alertmanager config"),
    ])
    func receiverErrors(yaml: String, expected: String) throws {
        let message = try #require(failure(yaml))
        #expect(message.contains(expected), "\(message)")
    }

    // MARK: http_config

    func httpConfig(_ body: String) throws(ConfigurationError) -> HTTPClientConfig {
        let yaml = "receivers:\n  - name: r\n    webhook_configs:\n      - url: http://h/x\n        http_config:\n"
            + body.split(separator: "\n").map { "          " + $0 }.joined(separator: "\n") + "\n"
        return try receivers(yaml)[0].webhookConfigs[0].httpConfig
    }

    @Test func httpConfigReadsEveryKey() throws {
        let config = try httpConfig("""
            authorization:
              type: Token
              credentials: api-credential
            proxy_url: http://proxy-user:proxy%20pass@proxy.example.com:3128
            proxy_connect_header:
              X-Proxy-Token: [proxy-token]
            follow_redirects: false
            enable_http2: false
            tls_config:
              ca_file: certs/ca.pem
              cert_file: /abs/client.pem
              key_file: certs/client.key
              server_name: alerts.internal
              insecure_skip_verify: true
              min_version: TLS12
              max_version: TLS13
            """)
        #expect(config.authorization == .init(type: "Token", credentials: .inline(Secret("api-credential"))))
        #expect(config.basicAuth == nil)
        let proxy = try #require(config.proxy)
        #expect(proxy.kind == .http && proxy.host == "proxy.example.com" && proxy.port == 3128)
        #expect(proxy.username == "proxy-user" && proxy.password == Secret("proxy pass"))
        #expect(proxy.connectHeaders == ["X-Proxy-Token": [Secret("proxy-token")]])
        #expect("\(proxy)" == "http://proxy.example.com:3128")
        #expect(!config.followRedirects && !config.enableHTTP2)
        #expect(config.tlsConfig == TLSConfig(
            caFile: "/etc/alertmanager/certs/ca.pem", certFile: "/abs/client.pem", keyFile: "/etc/alertmanager/certs/client.key",
            serverName: "alerts.internal", insecureSkipVerify: true, minVersion: .tls12, maxVersion: .tls13))
        var dumped = ""
        dump(config, to: &dumped)
        for secret in ["api-credential", "proxy pass", "proxy-token"] {
            #expect(!dumped.contains(secret) && !"\(config)".contains(secret))
        }
    }

    @Test func bearerTokensBecomeAuthorization() throws {
        #expect(try httpConfig("bearer_token: t").authorization == .init(type: "Bearer", credentials: .inline(Secret("t"))))
        #expect(try httpConfig("bearer_token_file: /run/token").authorization == .init(type: "Bearer", credentials: .file("/run/token")))
        #expect(try httpConfig("authorization: {credentials: c}").authorization == .init(type: "Bearer", credentials: .inline(Secret("c"))))
        #expect(try httpConfig("basic_auth: {username: u, password_file: pw}").basicAuth == .init(username: "u", password: .file("/etc/alertmanager/pw")))
        #expect(try httpConfig("proxy_url: socks5://socks.example.com").proxy == .init(kind: .socks5, host: "socks.example.com", port: 1080))
    }

    @Test(arguments: [
        ("bearer_token: a\nbearer_token_file: /b", "at most one of bearer_token & bearer_token_file must be configured"),
        ("basic_auth: {username: u}\nbearer_token: a", "at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured"),
        ("basic_auth: {username: u, password: p, password_file: /f}", "at most one of basic_auth password & password_file must be configured"),
        ("authorization: {credentials: a}\nbearer_token: b", "authorization is not compatible with bearer_token & bearer_token_file"),
        ("authorization: {credentials: a, credentials_file: /f}", "at most one of authorization credentials & credentials_file must be configured"),
        ("authorization: {type: basic, credentials: a}", "authorization type cannot be set to \"basic\", use \"basic_auth\" instead"),
        ("authorization: {credentials: a}\nbasic_auth: {username: u}", "at most one of basic_auth, oauth2 & authorization must be configured"),
        ("oauth2: {client_id: a, client_secret: b, token_url: http://t}", "Vigil does not support oauth2"),
        ("proxy_connect_header: {X-A: [b]}", "if proxy_connect_header is configured proxy_url must also be configured"),
        ("proxy_url: https://proxy:3128", "Vigil supports http:// and socks5:// proxies"),
        ("tls_config: {cert_file: /c}", "client cert file \"/c\" specified without client key file"),
        ("tls_config: {key_file: /k}", "client key file \"/k\" specified without client cert file"),
        ("tls_config: {min_version: TLS14}", "unknown TLS version: TLS14"),
        ("tls_config: {min_version: TLS13, max_version: TLS12}", "tls_config.max_version must be greater than or equal to tls_config.min_version"),
        ("tls_config: {ca: /c}", "http_config.tls_config.ca: unknown key"),
        ("follow_redirect: true", "http_config.follow_redirect: unknown key"),
    ])
    func httpConfigErrors(body: String, expected: String) {
        do {
            _ = try httpConfig(body)
            Issue.record("no error for \(body)")
        } catch {
            #expect(error.description.contains(expected), "\(error)")
            #expect(error.description.contains("receivers[0].webhook_configs[0].http_config"), "\(error)")
        }
    }

    @Test func secretsPrintAsPlaceholders() {
        let secret = Secret("hunter2")
        var dumped = ""
        dump(secret, to: &dumped)
        #expect("\(secret)" == "<secret>")
        #expect(String(reflecting: secret) == "<secret>")
        #expect(!dumped.contains("hunter2"))
        #expect("\(SecretSource<String>.inline(secret))" == "<secret>")
        #expect("\(SecretSource<String>.file("/run/pw"))" == "file /run/pw")
    }
}
