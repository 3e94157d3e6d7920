#if canImport(Glibc)
import Glibc
#endif
import Logging

/// Everything `vigil.yaml` can set, with the defaults documented in `docs/configuration.md`.
/// Values are validated when loaded (``ConfigurationLoader``), so a value of this type is usable as is.
public struct VigilConfiguration: Sendable, Equatable {
    public struct Database: Sendable, Equatable {
        /// libpq connection URL or conninfo; empty uses libpq defaults and `PG*` variables.
        public var url = ""
        /// Connections (and threads) for API reads and maintenance.
        public var readConnections = 4
    }

    public struct OTLP: Sendable, Equatable {
        public var grpcEndpoint = Endpoint(host: "0.0.0.0", port: 4317)
        public var httpEndpoint = Endpoint(host: "0.0.0.0", port: 4318)
        /// Largest export body after decompression, in bytes.
        public var maxRequestBodySize = 64 << 20
    }

    public struct API: Sendable, Equatable {
        public var endpoint = Endpoint(host: "0.0.0.0", port: 8080)
    }

    public struct Ingest: Sendable, Equatable {
        /// Rows waiting for the writer beyond which exports are refused with 503 / UNAVAILABLE.
        public var maxQueuedRows = 500_000
        /// Most rows merged into one transaction.
        public var maxTransactionRows = 50_000
        /// What `Retry-After` / `RetryInfo` tell clients, in seconds.
        public var retryAfterSeconds: Int64 = 5
    }

    public struct Storage: Sendable, Equatable {
        /// Days of spans, logs and metric points kept; whole daily partitions are dropped after that.
        public var retentionDays = 7
        /// Days of RED rollups kept (they serve 30-day SLO windows, so longer than the raw data).
        public var rollupRetentionDays = 40
        /// How far in the future an item's time may be, in seconds.
        public var maxFutureSkewSeconds: Int64 = 86_400
        /// Daily partitions created ahead of today.
        public var partitionsAhead = 2
        /// Seconds between partition maintenance runs.
        public var maintenanceIntervalSeconds: Int64 = 3_600
    }

    public struct Alerting: Sendable, Equatable {
        /// Path of the Alertmanager configuration file; `nil` runs no alerting pipeline.
        public var configFile: String?
        /// Vigil's URL as users reach it: `externalURL` in notifications. Empty means
        /// `http://<api endpoint>`.
        public var externalURL = ""
        /// How long resolved alerts, expired silences, notification log entries and history are kept.
        public var retention: Duration = .seconds(120 * 3_600)
    }

    /// The `rules:` section: how rule alerts are sent and restored, and leadership among processes.
    public struct Rules: Sendable, Equatable {
        /// `rule_files`: paths or globs of rule files, relative to ``directory``.
        public var files: [String] = []
        /// The folder of vigil.yaml: relative `rule_files` are resolved against it.
        public var directory = ""
        /// A firing alert is re-sent after this long without a send.
        public var resendDelay: Duration = .seconds(60)
        /// A pending alert last evaluated longer ago than this starts its `for` again after a restart.
        public var forOutageTolerance: Duration = .seconds(3_600)
        /// After a restart, no pending alert fires sooner than this.
        public var forGracePeriod: Duration = .seconds(600)
        /// How often a process that does not evaluate rules tries to take the lead.
        public var leaderCheckInterval: Duration = .seconds(5)
        /// Labels added to every rule alert that lacks them; `$externalLabels` in templates.
        public var externalLabels: [String: String] = [:]
    }

    public var database = Database()
    public var otlp = OTLP()
    public var api = API()
    public var ingest = Ingest()
    public var storage = Storage()
    public var alerting = Alerting()
    public var rules = Rules()
    public var logLevel = Logger.Level.info

    public init() {}
}

/// A `host:port` to listen on.
public struct Endpoint: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port`, `:port` (all interfaces) or `[v6]:port`.
    public init?(parsing text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65_535).contains(port) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.init(host: host.isEmpty ? "0.0.0.0" : host, port: port)
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// The same endpoint with an IP address for a host: `localhost` becomes `127.0.0.1`; any
    /// other name is `nil` (the gRPC listener binds addresses, it does not resolve names).
    public var withIPAddress: Endpoint? {
        if host == "localhost" { return Endpoint(host: "127.0.0.1", port: port) }
        var buffer = [UInt8](repeating: 0, count: 16)
        let family = host.contains(":") ? AF_INET6 : AF_INET
        return inet_pton(family, host, &buffer) == 1 ? self : nil
    }
}
