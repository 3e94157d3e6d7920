import Foundation
import Logging
public import VigilYAML

/// Reads `vigil.yaml` strictly: unknown keys and bad values are errors naming file, line and key.
/// Then applies environment overrides (`VIGIL_DATABASE_URL`, `VIGIL_OTLP_GRPC_ENDPOINT`,
/// `VIGIL_OTLP_HTTP_ENDPOINT`, `VIGIL_API_ENDPOINT`, `VIGIL_LOG_LEVEL`, `VIGIL_ALERTMANAGER_CONFIG`).
public struct ConfigurationLoader: Sendable {
    public let environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// Loads `path`, or the defaults when `path` is `nil`; then applies the environment.
    public func load(path: String?) throws(ConfigurationError) -> VigilConfiguration {
        var configuration = VigilConfiguration()
        if let path {
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw ConfigurationError(file: path, line: nil, key: "", reason: "cannot read the file: \(error.localizedDescription)")
            }
            configuration = try parse(text, file: path)
        }
        try applyEnvironment(to: &configuration)
        return configuration
    }

    /// Parses YAML text into a configuration (no environment applied).
    public func parse(_ text: String, file: String) throws(ConfigurationError) -> VigilConfiguration {
        var configuration = VigilConfiguration()
        var reader = try YAMLSection.document(text, file: file)
        try reader.section("database") { (s: inout YAMLSection) throws(ConfigurationError) in
            try s.string("url") { configuration.database.url = $0 }
            try s.integer("read_connections", in: 1...256) { configuration.database.readConnections = $0 }
        }
        try reader.section("otlp") { (s: inout YAMLSection) throws(ConfigurationError) in
            try s.section("grpc") { (g: inout YAMLSection) throws(ConfigurationError) in
                let notAnAddress = g.error("endpoint", "the gRPC listener needs an IP address (or localhost), not a host name")
                try g.endpoint("endpoint") { endpoint throws(ConfigurationError) in
                    guard let address = endpoint.withIPAddress else { throw notAnAddress }
                    configuration.otlp.grpcEndpoint = address
                }
            }
            try s.section("http") { (h: inout YAMLSection) throws(ConfigurationError) in
                try h.endpoint("endpoint") { configuration.otlp.httpEndpoint = $0 }
            }
            try s.size("max_request_body_size") { configuration.otlp.maxRequestBodySize = $0 }
        }
        try reader.section("api") { (s: inout YAMLSection) throws(ConfigurationError) in
            try s.endpoint("endpoint") { configuration.api.endpoint = $0 }
        }
        try reader.section("ingest") { (s: inout YAMLSection) throws(ConfigurationError) in
            try s.integer("max_queued_rows", in: 1...100_000_000) { configuration.ingest.maxQueuedRows = $0 }
            try s.integer("max_transaction_rows", in: 1...10_000_000) { configuration.ingest.maxTransactionRows = $0 }
            try s.duration("retry_after", atLeast: 1) { configuration.ingest.retryAfterSeconds = $0 }
        }
        try reader.section("storage") { (s: inout YAMLSection) throws(ConfigurationError) in
            let wholeDays = s.error("retention", "must be whole days, e.g. 7d")
            try s.duration("retention", atLeast: 86_400) { seconds throws(ConfigurationError) in
                guard seconds % 86_400 == 0 else { throw wholeDays }
                configuration.storage.retentionDays = Int(seconds / 86_400)
            }
            let wholeRollupDays = s.error("rollup_retention", "must be whole days, e.g. 40d")
            try s.duration("rollup_retention", atLeast: 86_400) { seconds throws(ConfigurationError) in
                guard seconds % 86_400 == 0 else { throw wholeRollupDays }
                configuration.storage.rollupRetentionDays = Int(seconds / 86_400)
            }
            try s.duration("max_future_skew", atLeast: 0) { configuration.storage.maxFutureSkewSeconds = $0 }
            try s.integer("partitions_ahead", in: 0...30) { configuration.storage.partitionsAhead = $0 }
            try s.duration("maintenance_interval", atLeast: 60) { configuration.storage.maintenanceIntervalSeconds = $0 }
        }
        try reader.section("alerting") { (s: inout YAMLSection) throws(ConfigurationError) in
            let directory = (file as NSString).deletingLastPathComponent
            try s.string("config_file") { path in
                configuration.alerting.configFile = path.hasPrefix("/") || directory.isEmpty ? path : (directory as NSString).appendingPathComponent(path)
            }
            let badURL = s.error("external_url", "must be an absolute http:// or https:// URL")
            try s.string("external_url") { text throws(ConfigurationError) in
                guard let url = URL(string: text), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else { throw badURL }
                configuration.alerting.externalURL = text.hasSuffix("/") ? String(text.dropLast()) : text
            }
            let tooShort = s.error("retention", "must be at least 1h")
            try s.promDuration("retention") { duration throws(ConfigurationError) in
                guard duration >= .seconds(3_600) else { throw tooShort }
                configuration.alerting.retention = duration
            }
        }
        try reader.strings("rule_files") { patterns throws(ConfigurationError) in
            configuration.rules.files = patterns
            configuration.rules.directory = (file as NSString).deletingLastPathComponent
        }
        try reader.section("rules") { (s: inout YAMLSection) throws(ConfigurationError) in
            let durations: [(String, WritableKeyPath<VigilConfiguration.Rules, Duration>)] = [
                ("resend_delay", \.resendDelay), ("for_outage_tolerance", \.forOutageTolerance),
                ("for_grace_period", \.forGracePeriod), ("leader_check_interval", \.leaderCheckInterval),
            ]
            for (key, path) in durations {
                let notPositive = s.error(key, "must be longer than 0")
                try s.promDuration(key) { value throws(ConfigurationError) in
                    guard value > .zero else { throw notPositive }
                    configuration.rules[keyPath: path] = value
                }
            }
            try s.stringMap("external_labels") { pairs in
                configuration.rules.externalLabels = Dictionary(pairs, uniquingKeysWith: { _, last in last })
            }
        }
        try reader.section("logging") { (s: inout YAMLSection) throws(ConfigurationError) in
            try s.logLevel("level") { configuration.logLevel = $0 }
        }
        try reader.finish()
        return configuration
    }

    func applyEnvironment(to configuration: inout VigilConfiguration) throws(ConfigurationError) {
        if let url = environment["VIGIL_DATABASE_URL"], !url.isEmpty { configuration.database.url = url }
        if let path = environment["VIGIL_ALERTMANAGER_CONFIG"], !path.isEmpty { configuration.alerting.configFile = path }
        let endpoints: [(String, WritableKeyPath<VigilConfiguration, Endpoint>)] = [
            ("VIGIL_OTLP_GRPC_ENDPOINT", \.otlp.grpcEndpoint), ("VIGIL_OTLP_HTTP_ENDPOINT", \.otlp.httpEndpoint), ("VIGIL_API_ENDPOINT", \.api.endpoint),
        ]
        for (name, keyPath) in endpoints {
            guard let text = environment[name], !text.isEmpty else { continue }
            guard let endpoint = Endpoint(parsing: text) else {
                throw ConfigurationError(file: "environment", line: nil, key: name, reason: "\"\(text)\" is not host:port")
            }
            guard keyPath != \.otlp.grpcEndpoint else {
                guard let address = endpoint.withIPAddress else {
                    throw ConfigurationError(file: "environment", line: nil, key: name, reason: "the gRPC listener needs an IP address (or localhost), not a host name")
                }
                configuration.otlp.grpcEndpoint = address
                continue
            }
            configuration[keyPath: keyPath] = endpoint
        }
        if let text = environment["VIGIL_LOG_LEVEL"], !text.isEmpty {
            guard let level = Logger.Level(rawValue: text.lowercased()) else {
                throw ConfigurationError(file: "environment", line: nil, key: "VIGIL_LOG_LEVEL", reason: "\"\(text)\" is not one of trace, debug, info, notice, warning, error, critical")
            }
            configuration.logLevel = level
        }
    }
}
