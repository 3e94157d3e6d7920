import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1
import Synchronization
import VigilAlerting

/// The HTTP clients of all notifiers: one per distinct proxy, redirect, HTTP/2 and `server_name`
/// combination (the settings AsyncHTTPClient takes per client); TLS settings travel with each
/// request, so notifiers that differ only in TLS share a client and its connection pool.
final class HTTPClientPool: Sendable {
    struct Key: Hashable, Sendable {
        var proxy: HTTPClientConfig.Proxy?
        var followRedirects: Bool
        var enableHTTP2: Bool
        /// `server_name` support: the name verified and sent as SNI, mapped to the host to connect to.
        var dnsOverride: [String: String]
    }

    private struct State {
        var clients: [Key: HTTPClient] = [:]
        var isShutDown = false
    }

    private let state = Mutex(State())
    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    /// The client for `key`, made on first use. Fails once ``shutdown()`` has begun.
    func client(for key: Key) throws(NotifyError) -> HTTPClient {
        let client: HTTPClient? = state.withLock { state in
            guard !state.isShutDown else { return nil }
            if let existing = state.clients[key] { return existing }
            let made = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: Self.configuration(for: key), backgroundActivityLogger: logger)
            state.clients[key] = made
            return made
        }
        guard let client else {
            throw NotifyError(code: .cancelled, message: "the notifier is shutting down", isRetryable: false)
        }
        return client
    }

    /// Shuts every client down; later requests fail.
    func shutdown() async {
        let clients = state.withLock { state in
            state.isShutDown = true
            defer { state.clients = [:] }
            return Array(state.clients.values)
        }
        for client in clients {
            do {
                try await client.shutdown()
            } catch {
                logger.debug("HTTP client shutdown failed", metadata: ["error.message": "\(error)"])
            }
        }
    }

    private static func configuration(for key: Key) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        // Go's http.Client stops after 10 redirects.
        configuration.redirectConfiguration = key.followRedirects ? .follow(max: 10, allowCycles: false) : .disallow
        configuration.httpVersion = key.enableHTTP2 ? .automatic : .http1Only
        configuration.decompression = .disabled
        configuration.dnsOverride = key.dnsOverride
        // A refused connection or a failed TLS handshake fails the attempt at once; retrying is
        // RetryingSender's job, with Alertmanager's backoff.
        configuration.connectionPool.retryConnectionEstablishment = false
        if let proxy = key.proxy {
            switch proxy.kind {
            case .http:
                var headers = HTTPHeaders()
                for (name, values) in proxy.connectHeaders.sorted(by: { $0.key < $1.key }) {
                    for value in values { headers.add(name: name, value: value.value) }
                }
                let authorization = proxy.username.map { HTTPClient.Authorization.basic(username: $0, password: proxy.password?.value ?? "") }
                configuration.proxy = .server(host: proxy.host, port: proxy.port, authorization: authorization, connectHeaders: headers)
            case .socks5:
                configuration.proxy = .socksServer(host: proxy.host, port: proxy.port)
            }
        }
        return configuration
    }
}
