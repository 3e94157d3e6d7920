import Foundation
import VigilYAML

/// Alertmanager's `http_config` (Prometheus `common/config.HTTPClientConfig`, v0.39): how a
/// notifier authenticates, which proxy and TLS settings it uses and whether it follows redirects.
///
/// At most one of `basic_auth` and `authorization` is set; the deprecated `bearer_token` and
/// `bearer_token_file` become an `authorization` of type `Bearer`, as Prometheus does. `oauth2`
/// is refused: Vigil does not fetch OAuth 2 tokens.
public struct HTTPClientConfig: Sendable, Hashable {
    /// `Authorization: Basic` with a user name and a password, inline or from a file.
    public struct BasicAuth: Sendable, Hashable {
        public var username: String
        /// `nil` sends an empty password.
        public var password: SecretSource<String>?

        /// Credentials for `Authorization: Basic`.
        public init(username: String, password: SecretSource<String>? = nil) {
            self.username = username
            self.password = password
        }
    }

    /// `Authorization: <type> <credentials>`.
    public struct Authorization: Sendable, Hashable {
        /// The scheme, `Bearer` by default; never `Basic` (use ``BasicAuth``).
        public var type: String
        /// `nil` sends no header, as Prometheus does when neither `credentials` nor `credentials_file` is set.
        public var credentials: SecretSource<String>?

        /// Credentials for `Authorization: <type> <credentials>`.
        public init(type: String = "Bearer", credentials: SecretSource<String>?) {
            self.type = type
            self.credentials = credentials
        }
    }

    /// `proxy_url`: an HTTP proxy (CONNECT tunnels, optional basic credentials) or a SOCKS5 proxy.
    public struct Proxy: Sendable, Hashable, CustomStringConvertible {
        /// The proxy protocol, from the URL scheme.
        public enum Kind: String, Sendable, Hashable {
            case http
            case socks5
        }

        public var kind: Kind
        public var host: String
        public var port: Int
        public var username: String?
        public var password: Secret<String>?
        /// `proxy_connect_header`: headers sent on the CONNECT request only.
        public var connectHeaders: [String: [Secret<String>]]

        /// A proxy; `username` and `password` apply to HTTP proxies only.
        public init(kind: Kind, host: String, port: Int, username: String? = nil, password: Secret<String>? = nil, connectHeaders: [String: [Secret<String>]] = [:]) {
            self.kind = kind
            self.host = host
            self.port = port
            self.username = username
            self.password = password
            self.connectHeaders = connectHeaders
        }

        /// The proxy without its credentials.
        public var description: String { "\(kind.rawValue)://\(host):\(port)" }
    }

    /// `basic_auth`; exclusive with ``authorization``.
    public var basicAuth: BasicAuth?
    /// `authorization`, or the deprecated `bearer_token` / `bearer_token_file`.
    public var authorization: Authorization?
    /// `proxy_url` with `proxy_connect_header`.
    public var proxy: Proxy?
    /// `tls_config`, used for `https` URLs.
    public var tlsConfig: TLSConfig
    /// Follow 3xx answers (at most 10, as Go's client). Default `true`.
    public var followRedirects: Bool
    /// Negotiate HTTP/2 over TLS when the server offers it. Default `true`.
    public var enableHTTP2: Bool

    /// Prometheus's `DefaultHTTPClientConfig`: no credentials, follow redirects, HTTP/2 enabled.
    public init(basicAuth: BasicAuth? = nil, authorization: Authorization? = nil, proxy: Proxy? = nil, tlsConfig: TLSConfig = TLSConfig(), followRedirects: Bool = true, enableHTTP2: Bool = true) {
        self.basicAuth = basicAuth
        self.authorization = authorization
        self.proxy = proxy
        self.tlsConfig = tlsConfig
        self.followRedirects = followRedirects
        self.enableHTTP2 = enableHTTP2
    }

    /// Reads an `http_config` mapping with Prometheus's defaults and `Validate()` rules.
    public static func parse(_ section: inout YAMLSection) throws(ConfigurationError) -> HTTPClientConfig {
        var config = HTTPClientConfig()

        var basicAuth: BasicAuth?
        try section.section("basic_auth") { (auth: inout YAMLSection) throws(ConfigurationError) in
            var username = ""
            var password: Secret<String>?
            var passwordFile: String?
            try auth.string("username") { username = $0 }
            try auth.secret("password") { password = $0 }
            try auth.filePath("password_file") { passwordFile = $0 }
            if password != nil, passwordFile != nil {
                throw auth.error("password_file", "at most one of basic_auth password & password_file must be configured")
            }
            basicAuth = BasicAuth(username: username, password: password.map { .inline($0) } ?? passwordFile.map { .file($0) })
        }

        var authorization: Authorization?
        try section.section("authorization") { (auth: inout YAMLSection) throws(ConfigurationError) in
            var type = ""
            var credentials: Secret<String>?
            var credentialsFile: String?
            try auth.string("type") { type = $0.trimmingCharacters(in: .whitespaces) }
            try auth.secret("credentials") { credentials = $0 }
            try auth.filePath("credentials_file") { credentialsFile = $0 }
            if credentials != nil, credentialsFile != nil {
                throw auth.error("credentials_file", "at most one of authorization credentials & credentials_file must be configured")
            }
            if type.isEmpty { type = "Bearer" }
            if type.lowercased() == "basic" {
                throw auth.error("type", "authorization type cannot be set to \"basic\", use \"basic_auth\" instead")
            }
            authorization = Authorization(type: type, credentials: credentials.map { .inline($0) } ?? credentialsFile.map { .file($0) })
        }

        if section.contains("oauth2") {
            throw section.error("oauth2", "Vigil does not support oauth2; use authorization, bearer_token_file or basic_auth")
        }
        _ = section.take("oauth2")  // present but null

        var bearerToken: Secret<String>?
        var bearerTokenFile: String?
        try section.secret("bearer_token") { bearerToken = $0 }
        try section.filePath("bearer_token_file") { bearerTokenFile = $0 }
        let bearerKey = bearerToken != nil ? "bearer_token" : "bearer_token_file"
        if bearerToken != nil, bearerTokenFile != nil {
            throw section.error("bearer_token_file", "at most one of bearer_token & bearer_token_file must be configured")
        }
        let hasBearer = bearerToken != nil || bearerTokenFile != nil
        if basicAuth != nil, hasBearer {
            throw section.error(bearerKey, "at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured")
        }
        if authorization != nil {
            if hasBearer {
                throw section.error(bearerKey, "authorization is not compatible with bearer_token & bearer_token_file")
            }
            if basicAuth != nil {
                throw section.error("authorization", "at most one of basic_auth, oauth2 & authorization must be configured")
            }
        } else if let bearerToken {
            authorization = Authorization(type: "Bearer", credentials: .inline(bearerToken))
        } else if let bearerTokenFile {
            authorization = Authorization(type: "Bearer", credentials: .file(bearerTokenFile))
        }
        config.basicAuth = basicAuth
        config.authorization = authorization

        var proxyText = ""
        try section.string("proxy_url") { proxyText = $0 }
        if !proxyText.isEmpty { config.proxy = try Self.parseProxy(proxyText, section: section) }
        var connectHeaders: [String: [Secret<String>]] = [:]
        try section.section("proxy_connect_header") { (headers: inout YAMLSection) throws(ConfigurationError) in
            for name in headers.keys {
                try headers.strings(name) { connectHeaders[name] = $0.map { Secret($0) } }
            }
        }
        if !connectHeaders.isEmpty {
            guard config.proxy != nil else {
                throw section.error("proxy_connect_header", "if proxy_connect_header is configured proxy_url must also be configured")
            }
            config.proxy?.connectHeaders = connectHeaders
        }

        try section.section("tls_config") { (tls: inout YAMLSection) throws(ConfigurationError) in
            config.tlsConfig = try TLSConfig.parse(&tls)
        }
        try section.bool("follow_redirects") { config.followRedirects = $0 }
        try section.bool("enable_http2") { config.enableHTTP2 = $0 }
        return config
    }

    private static func parseProxy(_ text: String, section: YAMLSection) throws(ConfigurationError) -> Proxy {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            throw section.error("proxy_url", "not a valid proxy URL")
        }
        let kind: Proxy.Kind
        switch scheme {
        case "http": kind = .http
        case "socks5": kind = .socks5
        case "https": throw section.error("proxy_url", "Vigil supports http:// and socks5:// proxies, not https://")
        default: throw section.error("proxy_url", "unsupported proxy scheme \"\(scheme)\"; use http:// or socks5://")
        }
        let username = url.user?.removingPercentEncoding
        let password = url.password?.removingPercentEncoding
        if kind == .socks5, username != nil {
            throw section.error("proxy_url", "Vigil does not support credentials for SOCKS5 proxies")
        }
        return Proxy(
            kind: kind, host: host, port: url.port ?? (kind == .http ? 80 : 1080),
            username: username, password: password.map { Secret($0) })
    }
}
