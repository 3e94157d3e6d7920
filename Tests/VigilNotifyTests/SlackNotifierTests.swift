import Foundation
import Testing
import VigilAlerting
@testable import VigilNotify

@Suite struct SlackNotifierTests {
    /// What Alertmanager 0.25's Slack notifier posts for ``config(apiURL:)`` and the alerts of ``Fixtures``.
    static let alertmanagerSlackBody = #"""
        {"channel":"#ops","username":"vigil-bot","icon_emoji":":fire:","link_names":true,"attachments":[{"title":"HighLatency is firing","text":"a:9090 b:9090 ","fallback":"firing","callback_id":"","fields":[{"title":"Severity","value":"critical","short":true},{"title":"Count","value":"2","short":false}],"actions":[{"type":"button","text":"Runbook","url":"https://runbooks.example.com/HighLatency"},{"type":"button","text":"Ack","name":"ack","value":"team-x\\.ops","confirm":{"text":"Sure?","ok_text":"Yes"}}],"footer":"vigil","color":"danger","mrkdwn_in":["fallback","pretext","text"]}]}

        """#

    static func config(apiURL: SecretSource<URL>) -> SlackConfig {
        var config = SlackConfig(apiURL: apiURL)
        config.channel = "#ops"
        config.username = "vigil-bot"
        config.title = "{{ .CommonLabels.alertname }} is {{ .Status }}"
        config.titleLink = ""
        config.pretext = ""
        config.text = "{{ range .Alerts }}{{ .Labels.instance }} {{ end }}"
        config.fields = [.init(title: "Severity", value: "{{ .CommonLabels.severity }}"), .init(title: "Count", value: "{{ len .Alerts }}", short: false)]
        config.shortFields = true
        config.actions = [
            .init(type: "button", text: "Runbook", url: "https://runbooks.example.com/{{ .GroupLabels.alertname }}"),
            .init(type: "button", text: "Ack", name: "ack", value: "{{ .Receiver }}", confirm: .init(text: "Sure?", okText: "Yes")),
        ]
        config.footer = "vigil"
        config.fallback = "{{ .Status }}"
        config.callbackID = ""
        config.iconEmoji = ":fire:"
        config.iconURL = ""
        config.linkNames = true
        return config
    }

    func slack(_ config: SlackConfig, factory: NotifierFactory) throws -> Integration {
        try factory.integrations(for: ReceiverConfig(name: "team-x.ops", slackConfigs: [config]), templates: TemplateSet(files: []))[0]
    }

    @Test func postsTheAttachmentAlertmanagerPosts() async throws {
        let server = try await TestHTTPServer.start()
        try await Fixtures.withFactory { factory in
            let integration = try slack(Self.config(apiURL: .inline(Secret(URL(string: "\(server.baseURL)/services/T0/B0/XYZ")!))), factory: factory)
            #expect(integration.description == "slack[0]")
            #expect(await Fixtures.attempt(integration) == nil)
        }
        let request = try #require(server.requests.first)
        #expect(request.uri == "/services/T0/B0/XYZ")
        #expect(request.header("Content-Type") == "application/json")
        #expect(request.header("User-Agent") == "Vigil/test")
        #expect(request.body == Self.alertmanagerSlackBody)
        try await server.stop()
    }

    @Test func theAPIURLFileIsReadAtEachNotification() async throws {
        let first = try await TestHTTPServer.start()
        let second = try await TestHTTPServer.start()
        let file = try Fixtures.temporaryDirectory().appendingPathComponent("slack-url")
        try "\(first.baseURL)/one\n".write(to: file, atomically: true, encoding: .utf8)
        try await Fixtures.withFactory { factory in
            let integration = try slack(Self.config(apiURL: .file(file.path)), factory: factory)
            #expect(await Fixtures.attempt(integration) == nil)
            try "\(second.baseURL)/two".write(to: file, atomically: true, encoding: .utf8)
            #expect(await Fixtures.attempt(integration) == nil)
            try FileManager.default.removeItem(at: file)
            let missing = await Fixtures.attempt(integration)
            #expect(missing?.code == .configuration)
            #expect(missing?.isRetryable == false)
        }
        #expect(first.requests.map(\.uri) == ["/one"])
        #expect(second.requests.map(\.uri) == ["/two"])
        try await first.stop()
        try await second.stop()
    }

    @Test func errorsNameTheChannelButNotTheWebhookURL() async throws {
        let server = try await TestHTTPServer.start(replies: [.init(status: 404, body: "channel_not_found")])
        let error = try await Fixtures.withFactory { factory in
            await Fixtures.attempt(try slack(Self.config(apiURL: .inline(Secret(URL(string: "\(server.baseURL)/services/T0/B0/very-secret")!))), factory: factory))
        }
        let failure = try #require(error)
        #expect(failure.message == ##"channel "#ops": unexpected status code 404: channel_not_found"##)
        #expect(!failure.isRetryable)
        #expect(!failure.message.contains("very-secret"))
        try await server.stop()
    }

    @Test func aTemplateThatCannotRenderIsNotRetried() async throws {
        let server = try await TestHTTPServer.start()
        var config = Self.config(apiURL: .inline(Secret(URL(string: server.baseURL)!)))
        config.text = #"{{ template "no.such.template" . }}"#
        let error = try await Fixtures.withFactory { factory in
            await Fixtures.attempt(try slack(config, factory: factory))
        }
        #expect(error?.code == .template)
        #expect(error?.isRetryable == false)
        #expect(server.requests.isEmpty)
        try await server.stop()
    }

    @Test func emptyOptionalFieldsAreLeftOut() async throws {
        let server = try await TestHTTPServer.start()
        var config = SlackConfig(apiURL: .inline(Secret(URL(string: server.baseURL)!)))
        for path in [\SlackConfig.username, \.color, \.title, \.titleLink, \.pretext, \.text, \.footer, \.fallback, \.callbackID, \.iconEmoji, \.iconURL] {
            config[keyPath: path] = ""
        }
        config.mrkdwnIn = ["text"]
        try await Fixtures.withFactory { factory in
            let integration = try slack(config, factory: factory)
            #expect(await Fixtures.attempt(integration) == nil)
        }
        #expect(server.requests.first?.body == #"{"attachments":[{"text":"","fallback":"","callback_id":"","footer":"","mrkdwn_in":["text"]}]}"# + "\n")
        try await server.stop()
    }
}
