import Foundation
import Testing
import VigilAlerting
@testable import VigilNotify

/// `http_config` as the notifiers apply it: credentials, redirects and proxies.
@Suite struct HTTPClientConfigTests {
    func send(_ httpConfig: HTTPClientConfig, to server: TestHTTPServer, path: String = "/hook", times: Int = 1, between: () throws -> Void = {}) async throws -> [NotifyError?] {
        try await Fixtures.withFactory { factory in
            let integration = try Fixtures.webhook(WebhookConfig(url: URL(string: server.baseURL + path)!, httpConfig: httpConfig), factory: factory)
            var errors: [NotifyError?] = []
            for _ in 0..<times {
                errors.append(await Fixtures.attempt(integration))
                try between()
            }
            return errors
        }
    }

    @Test func basicAuthReadsItsPasswordFileAtEachRequest() async throws {
        let directory = try Fixtures.temporaryDirectory()
        let passwordFile = directory.appendingPathComponent("password")
        try "first\n".write(to: passwordFile, atomically: true, encoding: .utf8)
        let server = try await TestHTTPServer.start()
        let errors = try await send(
            HTTPClientConfig(basicAuth: .init(username: "vigil", password: .file(passwordFile.path))), to: server, times: 2,
            between: { try "second".write(to: passwordFile, atomically: true, encoding: .utf8) })
        #expect(errors.allSatisfy { $0 == nil })
        #expect(server.requests.map { $0.header("Authorization") } == [
            "Basic " + Data("vigil:first".utf8).base64EncodedString(), "Basic " + Data("vigil:second".utf8).base64EncodedString(),
        ])
        try await server.stop()
    }

    @Test func authorizationSendsItsTypeAndCredentials() async throws {
        let directory = try Fixtures.temporaryDirectory()
        let tokenFile = directory.appendingPathComponent("token")
        try "  file-token \n".write(to: tokenFile, atomically: true, encoding: .utf8)
        let server = try await TestHTTPServer.start()
        _ = try await send(HTTPClientConfig(authorization: .init(type: "Token", credentials: .inline(Secret("inline-token")))), to: server)
        _ = try await send(HTTPClientConfig(authorization: .init(credentials: .file(tokenFile.path))), to: server)
        _ = try await send(HTTPClientConfig(authorization: .init(credentials: nil)), to: server)
        #expect(server.requests.map { $0.header("Authorization") } == ["Token inline-token", "Bearer file-token", nil])
        try await server.stop()
    }

    @Test func aMissingCredentialsFileFailsTheAttemptRetryably() async throws {
        let server = try await TestHTTPServer.start()
        let errors = try await send(HTTPClientConfig(authorization: .init(credentials: .file("/nonexistent/vigil-token"))), to: server)
        let error = try #require(errors.first ?? nil)
        #expect(error.isRetryable)
        #expect(error.message.contains("/nonexistent/vigil-token"))
        #expect(server.requests.isEmpty)
        try await server.stop()
    }

    @Test func redirectsAreFollowedByDefault() async throws {
        let server = try await TestHTTPServer.start()
        let redirecting = try await TestHTTPServer.start(replies: [.init(status: 307, headers: [("Location", "\(server.baseURL)/final")])])
        let errors = try await send(HTTPClientConfig(), to: redirecting)
        #expect(errors.count == 1 && errors.allSatisfy { $0 == nil })
        #expect(server.requests.map(\.uri) == ["/final"])
        #expect(server.requests.first?.body == PayloadEncodingTests.alertmanagerWebhookBody, "a 307 keeps the method and body")
        try await server.stop()
        try await redirecting.stop()
    }

    @Test func withoutFollowRedirectsARedirectIsAFailure() async throws {
        let server = try await TestHTTPServer.start(replies: [.init(status: 302, headers: [("Location", "/elsewhere")])])
        let errors = try await send(HTTPClientConfig(followRedirects: false), to: server)
        let error = try #require(errors.first ?? nil)
        #expect(error.statusCode == 302)
        #expect(!error.isRetryable)
        #expect(server.requests.count == 1)
        try await server.stop()
    }

    @Test func proxyURLTunnelsThroughTheProxyWithItsCredentials() async throws {
        let proxy = try await TestHTTPServer.start()
        let target = try await TestHTTPServer.start()
        let config = HTTPClientConfig(proxy: .init(
            kind: .http, host: "127.0.0.1", port: proxy.port, username: "proxy-user", password: Secret("proxy-pass"),
            connectHeaders: ["X-Proxy-Token": [Secret("abc")]]))
        let errors = try await send(config, to: target)
        // The test proxy refuses every tunnel with 407; the notification fails and may be retried.
        let error = try #require(errors.first ?? nil)
        #expect(error.isRetryable)
        let connect = try #require(proxy.requests.first)
        #expect(connect.method == "CONNECT")
        #expect(connect.uri == "127.0.0.1:\(target.port)")
        #expect(connect.header("Proxy-Authorization") == "Basic " + Data("proxy-user:proxy-pass".utf8).base64EncodedString())
        #expect(connect.header("X-Proxy-Token") == "abc")
        #expect(target.requests.isEmpty)
        try await proxy.stop()
        try await target.stop()
    }
}
