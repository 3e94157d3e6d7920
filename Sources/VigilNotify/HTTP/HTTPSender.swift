import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import VigilAlerting

/// Posts a notifier's JSON with its `http_config`: credentials (files read at each request, as
/// Prometheus's round trippers do), TLS settings, proxy and redirect policy.
struct HTTPSender: Sendable {
    /// The part of an answer a notifier looks at.
    struct Response: Sendable {
        var status: Int
        /// The first ``HTTPSender/keptBodyBytes`` bytes of the body, for error messages.
        var body: String

        /// Alertmanager's `Retrier.Check`: 2xx succeeds; 5xx and 429 may succeed later; any other
        /// status will not. `context` prefixes the message (`channel "#ops"`).
        func failure(context: String? = nil) -> NotifyError? {
            guard status / 100 != 2 else { return nil }
            var message = "unexpected status code \(status)"
            let details = body.trimmingCharacters(in: .whitespacesAndNewlines)
            if !details.isEmpty { message += ": \(details)" }
            if let context { message = "\(context): \(message)" }
            return NotifyError(code: .unexpectedStatus, message: message, isRetryable: status / 100 == 5 || status == 429, statusCode: status)
        }
    }

    static let keptBodyBytes = 1_024
    /// Bodies are read to this size so the connection can be reused, then abandoned.
    static let drainedBodyBytes = 1 << 20

    let pool: HTTPClientPool
    let config: HTTPClientConfig
    let userAgent: String
    let logger: Logger

    /// POSTs `body` as `application/json` to `url`. Failures without an answer are retryable and
    /// their message never contains the URL.
    func postJSON(_ body: String, to url: URL) async throws(NotifyError) -> Response {
        var target = url
        var headers = HTTPHeaders()
        var dnsOverride: [String: String] = [:]
        var tls: TLSConfiguration?
        if url.scheme?.lowercased() == "https", !config.tlsConfig.isDefault {
            tls = try config.tlsConfig.makeClientConfiguration(retryable: true)
            if let serverName = config.tlsConfig.serverName, let host = url.host, serverName != host,
               var components = URLComponents(url: url, resolvingAgainstBaseURL: false) {
                // AsyncHTTPClient verifies and sends as SNI the URL's host: connect to the real host
                // through a DNS override while the URL names `server_name`, and keep the real Host header.
                components.host = serverName
                if let rewritten = components.url {
                    target = rewritten
                    dnsOverride[serverName] = host
                    headers.add(name: "Host", value: url.port.map { "\(host):\($0)" } ?? host)
                }
            }
        }
        headers.add(name: "User-Agent", value: userAgent)
        headers.add(name: "Content-Type", value: "application/json")
        if let authorization = try authorizationHeader() {
            headers.add(name: "Authorization", value: authorization)
        }

        let client = try pool.client(for: HTTPClientPool.Key(
            proxy: config.proxy, followRedirects: config.followRedirects, enableHTTP2: config.enableHTTP2, dnsOverride: dnsOverride))
        var request = HTTPClientRequest(url: target.absoluteString)
        request.method = .POST
        request.headers = headers
        request.body = .bytes(ByteBuffer(string: body))
        request.tlsConfiguration = tls
        do {
            let response = try await client.execute(request, deadline: .distantFuture, logger: logger)
            return Response(status: Int(response.status.code), body: try await Self.read(response.body))
        } catch is CancellationError {
            throw NotifyError(code: .cancelled, message: "the request was cancelled", isRetryable: true)
        } catch let error as HTTPClientError where error == .cancelled {
            throw NotifyError(code: .cancelled, message: "the request was cancelled", isRetryable: true)
        } catch {
            throw NotifyError(code: .transport, message: "request failed: \(error)", isRetryable: true)
        }
    }

    /// The `Authorization` header of `basic_auth` or `authorization` (and the bearer tokens folded into it).
    func authorizationHeader() throws(NotifyError) -> String? {
        if let basicAuth = config.basicAuth {
            let password = try basicAuth.password.map { source throws(NotifyError) in try Self.read(source, what: "basic auth password") } ?? ""
            let credentials = Data("\(basicAuth.username):\(password)".utf8).base64EncodedString()
            return "Basic \(credentials)"
        }
        if let authorization = config.authorization, let credentials = authorization.credentials {
            return "\(authorization.type) \(try Self.read(credentials, what: "authorization credentials", trimInline: false))"
        }
        return nil
    }

    /// A secret's value: inline, or the trimmed content of its file, read now. Prometheus trims
    /// inline basic-auth passwords too, but sends inline authorization credentials as written.
    static func read(_ source: SecretSource<String>, what: String, trimInline: Bool = true) throws(NotifyError) -> String {
        switch source {
        case .inline(let secret):
            return trimInline ? secret.value.trimmingCharacters(in: .whitespacesAndNewlines) : secret.value
        case .file(let path):
            do {
                return try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            } catch {
                throw NotifyError(code: .configuration, message: "unable to read \(what) file \(path)", isRetryable: true)
            }
        }
    }

    private static func read(_ body: HTTPClientResponse.Body) async throws -> String {
        var kept: [UInt8] = []
        var total = 0
        for try await chunk in body {
            if kept.count < keptBodyBytes {
                kept += chunk.readableBytesView.prefix(keptBodyBytes - kept.count)
            }
            total += chunk.readableBytes
            if total > drainedBodyBytes { break }
        }
        return String(decoding: kept, as: UTF8.self)
    }
}
