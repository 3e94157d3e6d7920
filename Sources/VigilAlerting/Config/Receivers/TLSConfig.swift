import VigilYAML

/// `tls_config` of an `http_config` (Prometheus `common/config.TLSConfig`). Files are read when
/// the notifier is built and again for each request, so rotated certificates are picked up.
public struct TLSConfig: Sendable, Hashable {
    /// `min_version` / `max_version`: `TLS10` to `TLS13`.
    public enum Version: String, Sendable, Hashable, Comparable, CaseIterable {
        case tls10 = "TLS10"
        case tls11 = "TLS11"
        case tls12 = "TLS12"
        case tls13 = "TLS13"

        public static func < (lhs: Version, rhs: Version) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    /// PEM file of the certificate authorities that replace the system trust store.
    public var caFile: String?
    /// PEM files of the client certificate and its key; both or neither.
    public var certFile: String?
    public var keyFile: String?
    /// The name the server certificate is verified against and sent as SNI, instead of the URL's host.
    public var serverName: String?
    /// Accept any server certificate. Dangerous; as in Alertmanager.
    public var insecureSkipVerify: Bool
    /// The protocol versions to allow; `nil` keeps NIOSSL's bounds.
    public var minVersion: Version?
    public var maxVersion: Version?

    /// A configuration; every parameter defaults to Prometheus's default.
    public init(caFile: String? = nil, certFile: String? = nil, keyFile: String? = nil, serverName: String? = nil, insecureSkipVerify: Bool = false, minVersion: Version? = nil, maxVersion: Version? = nil) {
        self.caFile = caFile
        self.certFile = certFile
        self.keyFile = keyFile
        self.serverName = serverName
        self.insecureSkipVerify = insecureSkipVerify
        self.minVersion = minVersion
        self.maxVersion = maxVersion
    }

    /// Whether every setting is the default, so the client's own TLS configuration applies.
    public var isDefault: Bool { self == TLSConfig() }

    /// Reads a `tls_config` mapping; relative paths resolve against the configuration file's folder.
    public static func parse(_ section: inout YAMLSection) throws(ConfigurationError) -> TLSConfig {
        var config = TLSConfig()
        try section.filePath("ca_file") { config.caFile = $0 }
        try section.filePath("cert_file") { config.certFile = $0 }
        try section.filePath("key_file") { config.keyFile = $0 }
        try section.string("server_name") { if !$0.isEmpty { config.serverName = $0 } }
        try section.bool("insecure_skip_verify") { config.insecureSkipVerify = $0 }
        for key in ["min_version", "max_version"] {
            var text: String?
            try section.string(key) { text = $0 }
            guard let text else { continue }
            guard let version = Version(rawValue: text) else { throw section.error(key, "unknown TLS version: \(text)") }
            if key == "min_version" { config.minVersion = version } else { config.maxVersion = version }
        }
        if let minVersion = config.minVersion, let maxVersion = config.maxVersion, maxVersion < minVersion {
            throw section.error("max_version", "tls_config.max_version must be greater than or equal to tls_config.min_version if both are specified")
        }
        if let certFile = config.certFile, config.keyFile == nil {
            throw section.error("cert_file", "client cert file \"\(certFile)\" specified without client key file")
        }
        if let keyFile = config.keyFile, config.certFile == nil {
            throw section.error("key_file", "client key file \"\(keyFile)\" specified without client cert file")
        }
        return config
    }
}
