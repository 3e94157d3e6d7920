import Foundation
import Testing
import VigilAlerting
@testable import VigilNotify

/// `tls_config` against a local HTTPS server whose certificate names `alerts.internal` only.
/// Needs `openssl` (installed by scripts/test) to make the certificates.
@Suite struct TLSTests {
    let certificates: TestCertificates

    init() throws {
        certificates = try TestCertificates.make()
    }

    func attempt(_ tls: TLSConfig, on server: TestHTTPServer) async throws -> NotifyError? {
        try await Fixtures.withFactory { factory in
            let config = WebhookConfig(url: URL(string: "\(server.baseURL)/hook")!, httpConfig: HTTPClientConfig(tlsConfig: tls))
            return await Fixtures.attempt(try Fixtures.webhook(config, factory: factory))
        }
    }

    @Test func caFileAndServerNameVerifyThePrivateCertificate() async throws {
        let server = try await TestHTTPServer.start(tls: try certificates.serverContext())
        let error = try await attempt(TLSConfig(caFile: certificates.caFile, serverName: TestCertificates.serverName), on: server)
        #expect(error == nil, "\(error.map(\.message) ?? "")")
        let request = try #require(server.requests.first)
        #expect(request.header("Host") == "127.0.0.1:\(server.port)", "the Host header keeps the URL's host")
        #expect(request.body == PayloadEncodingTests.alertmanagerWebhookBody)
        try await server.stop()
    }

    @Test func theServerCertificateIsVerified() async throws {
        let server = try await TestHTTPServer.start(tls: try certificates.serverContext())
        // Unknown CA.
        let untrusted = try #require(try await attempt(TLSConfig(serverName: TestCertificates.serverName), on: server))
        #expect(untrusted.isRetryable && untrusted.code == .transport)
        // Known CA, but the certificate is not for 127.0.0.1.
        let wrongName = try #require(try await attempt(TLSConfig(caFile: certificates.caFile), on: server))
        #expect(wrongName.code == .transport)
        #expect(server.requests.isEmpty)
        try await server.stop()
    }

    @Test func insecureSkipVerifyAcceptsAnyCertificate() async throws {
        let server = try await TestHTTPServer.start(tls: try certificates.serverContext())
        #expect(try await attempt(TLSConfig(insecureSkipVerify: true), on: server) == nil)
        #expect(server.requests.count == 1)
        try await server.stop()
    }

    @Test func clientCertificatesAreOffered() async throws {
        let server = try await TestHTTPServer.start(tls: try certificates.serverContext(requireClientCertificate: true))
        let trusted = TLSConfig(caFile: certificates.caFile, serverName: TestCertificates.serverName)
        #expect(try await attempt(trusted, on: server) != nil, "the server requires a client certificate")
        var mutual = trusted
        mutual.certFile = certificates.clientCertificate
        mutual.keyFile = certificates.clientKey
        #expect(try await attempt(mutual, on: server) == nil)
        #expect(server.requests.count == 1)
        try await server.stop()
    }

    @Test func unusableTLSFilesFailWhenTheNotifierIsBuilt() async throws {
        let templates = try TemplateSet(files: [])
        try await Fixtures.withFactory { factory in
            for tls in [
                TLSConfig(caFile: "/nonexistent/ca.pem"),
                TLSConfig(caFile: certificates.clientKey),
                TLSConfig(certFile: certificates.clientCertificate, keyFile: "/nonexistent/client.key"),
            ] {
                let config = WebhookConfig(url: URL(string: "https://alerts.internal/hook")!, httpConfig: HTTPClientConfig(tlsConfig: tls))
                do throws(NotifyError) {
                    _ = try factory.integrations(for: ReceiverConfig(name: "tls", webhookConfigs: [config]), templates: templates)
                    Issue.record("no error for \(tls)")
                } catch {
                    #expect(error.code == .configuration)
                    #expect(!error.isRetryable)
                    #expect(error.message.hasPrefix("receiver tls, webhook[0]: "))
                }
            }
        }
    }
}
