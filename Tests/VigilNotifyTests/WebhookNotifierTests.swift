import Foundation
import Testing
import VigilAlerting
import VigilYAML
@testable import VigilNotify

@Suite struct WebhookNotifierTests {
    @Test func postsAlertmanagersVersion4Message() async throws {
        let server = try await TestHTTPServer.start()
        try await Fixtures.withFactory { factory in
            let integration = try Fixtures.webhook(WebhookConfig(url: URL(string: "\(server.baseURL)/hooks/alerts?team=x")!), factory: factory)
            #expect(integration.description == "webhook[0]")
            #expect(integration.sendsResolved)
            #expect(await Fixtures.attempt(integration) == nil)
        }
        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.uri == "/hooks/alerts?team=x")
        #expect(request.header("Content-Type") == "application/json")
        #expect(request.header("User-Agent") == "Vigil/test")
        #expect(request.header("Authorization") == nil)
        #expect(request.body == PayloadEncodingTests.alertmanagerWebhookBody)
        try await server.stop()
    }

    @Test func maxAlertsTruncatesBeforeTheStatusIsComputed() async throws {
        let server = try await TestHTTPServer.start()
        try await Fixtures.withFactory { factory in
            let integration = try Fixtures.webhook(WebhookConfig(url: URL(string: server.baseURL)!, maxAlerts: 1), factory: factory)
            #expect(await Fixtures.attempt(integration, Fixtures.request([Fixtures.resolved, Fixtures.firing, Fixtures.firing])) == nil)
        }
        let sent = try #require(server.requests.first)
        let body = try #require(try Fixtures.parseJSON(sent.body) as? [String: Any])
        #expect(body["truncatedAlerts"] as? Int == 2)
        #expect((body["alerts"] as? [Any])?.count == 1)
        #expect(body["status"] as? String == "resolved", "Alertmanager describes the alerts it sends, not the truncated ones")
        #expect(body["commonAnnotations"] as? [String: String] == ["runbook": "r", "summary": "p99 > 1s <b>"])
        try await server.stop()
    }

    @Test(arguments: [
        (500, true), (502, true), (503, true), (429, true), (400, false), (401, false), (404, false), (410, false),
    ])
    func statusCodesAreClassifiedForRetrying(status: Int, retryable: Bool) async throws {
        let server = try await TestHTTPServer.start(replies: [.init(status: status, body: "try later\n")])
        let error = try await Fixtures.withFactory { factory in
            let integration = try Fixtures.webhook(WebhookConfig(url: URL(string: "\(server.baseURL)/x?token=hook-secret")!), factory: factory)
            return await Fixtures.attempt(integration)
        }
        let failure = try #require(error)
        #expect(failure.isRetryable == retryable)
        #expect(failure.statusCode == status)
        #expect(failure.code == .unexpectedStatus)
        #expect(failure.message == "webhook: unexpected status code \(status): try later")
        #expect(!failure.description.contains("hook-secret"))
        try await server.stop()
    }

    @Test func anUnreachableReceiverIsRetryable() async throws {
        let server = try await TestHTTPServer.start()
        let url = URL(string: "\(server.baseURL)/gone")!
        try await server.stop()
        let error = try await Fixtures.withFactory { factory in
            await Fixtures.attempt(try Fixtures.webhook(WebhookConfig(url: url), factory: factory))
        }
        let failure = try #require(error)
        #expect(failure.isRetryable)
        #expect(failure.code == .transport)
        #expect(failure.statusCode == nil)
    }

    @Test func aReceiverFromTheConfigurationFileSendsToItsURL() async throws {
        let server = try await TestHTTPServer.start()
        let yaml = """
            receivers:
              - name: ops
                webhook_configs:
                  - url: \(server.baseURL)/first
                  - url: \(server.baseURL)/second
                    send_resolved: false
                alertmanager_configs:
                  - url: \(server.baseURL)/am
            """
        var root = try YAMLSection.document(yaml, file: "alertmanager.yml")
        var receivers: [ReceiverConfig] = []
        let templates = try TemplateSet(files: [])
        try root.sections("receivers") { (section: inout YAMLSection, _: Int) throws(ConfigurationError) in
            receivers.append(try ReceiverConfig.parse(&section, global: GlobalConfig(), templates: templates))
        }
        let receiver = try #require(receivers.first)
        try await Fixtures.withFactory { factory in
            let integrations = try factory.integrations(for: receiver, templates: templates)
            #expect(integrations.map(\.description) == ["webhook[0]", "webhook[1]", "alertmanager[0]"])
            #expect(integrations.map(\.sendsResolved) == [true, false, true])
            for integration in integrations {
                #expect(await Fixtures.attempt(integration) == nil)
            }
        }
        #expect(server.requests.map(\.uri) == ["/first", "/second", "/am/api/v2/alerts"])
        try await server.stop()
    }
}
