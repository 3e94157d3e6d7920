import Foundation
import Hummingbird
import Logging
import NIOCore
import Prometheus
import ServiceLifecycle
import UnixSignals
import VigilAlerting
import VigilAlertingServer
import VigilIngest
import VigilQuery
import VigilRules
import VigilRulesServer
import VigilStorage
import VigilYAML

/// The whole server: OTLP receivers (gRPC and HTTP), the read API, the group-commit writer and
/// storage maintenance, run by one `ServiceGroup` with graceful shutdown on SIGTERM/SIGINT.
public struct VigilApplication: Sendable {
    /// The listeners, for ``Listening`` notifications.
    public enum Listener: String, Sendable {
        case otlpGRPC = "otlp-grpc"
        case otlpHTTP = "otlp-http"
        case api
    }

    public let configuration: VigilConfiguration
    public let logger: Logger
    private let now: @Sendable () -> Int64
    private let onListening: @Sendable (Listener, Int) -> Void
    private let metrics: PrometheusCollectorRegistry?

    /// - Parameters:
    ///   - metrics: the registry the process bootstrapped swift-metrics with; served on `GET /metrics`.
    ///   - onListening: called with each listener's bound port (useful with port 0).
    public init(
        configuration: VigilConfiguration, logger: Logger, metrics: PrometheusCollectorRegistry? = nil,
        now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1e9) },
        onListening: @escaping @Sendable (Listener, Int) -> Void = { _, _ in }
    ) {
        self.configuration = configuration
        self.logger = logger
        self.now = now
        self.onListening = onListening
        self.metrics = metrics
    }

    /// Applies pending migrations.
    public static func migrate(conninfo: String, logger: Logger) async throws {
        let pool = PostgresReadPool(conninfo: conninfo, size: 1)
        defer { Task { await pool.shutdown() } }
        let migrator = try Migrator.bundled()
        _ = try await pool.withConnection { connection throws(StorageError) in
            try migrator.migrate(connection, logger: logger)
        }
    }

    /// The Alertmanager configuration named by `alerting.config_file`, or, without one, a
    /// configuration that keeps alerts and silences but notifies nobody.
    public static func loadAlertingConfig(_ settings: VigilConfiguration.Alerting) throws(ConfigurationError) -> AlertmanagerConfig {
        guard let path = settings.configFile else {
            return try AlertmanagerConfig.parse("route:\n  receiver: none\nreceivers:\n  - name: none\n", file: "built-in alerting configuration")
        }
        return try AlertmanagerConfig.load(path: path)
    }

    /// The rule files named by `rule_files`, loaded and validated together.
    public static func loadRuleFiles(_ settings: VigilConfiguration.Rules) throws(ConfigurationError) -> RuleFileSet {
        try RuleFileSet.load(patterns: settings.files, relativeTo: settings.directory)
    }

    /// The rules engine's settings from the `rules:` section.
    static func rulesSettings(_ settings: VigilConfiguration.Rules) -> RulesEngine.Settings {
        var result = RulesEngine.Settings()
        result.resendDelay = settings.resendDelay
        result.restorePolicy = .init(outageTolerance: settings.forOutageTolerance, forGracePeriod: settings.forGracePeriod)
        result.leaderCheckInterval = settings.leaderCheckInterval
        return result
    }

    /// Migrates, then serves until SIGTERM/SIGINT (or `gracefulShutdownSignals` is empty and the task is cancelled).
    public func run(gracefulShutdownSignals: [UnixSignal] = [.sigterm, .sigint]) async throws {
        let conninfo = configuration.database.url
        let pool = PostgresReadPool(conninfo: conninfo, size: configuration.database.readConnections)
        let migrator = try Migrator.bundled()
        let logger = self.logger
        _ = try await pool.withConnection { connection throws(StorageError) in
            try migrator.migrate(connection, logger: logger)
        }
        let writer = IngestWriter(
            configuration: .init(conninfo: conninfo, maxQueuedRows: configuration.ingest.maxQueuedRows, maxTransactionRows: configuration.ingest.maxTransactionRows),
            logger: logger)
        let maintenance = StorageMaintenance(pool: pool, storage: configuration.storage, logger: logger, now: now)
        try await maintenance.runOnce()

        let ingestor = OTLPIngestor(
            configuration: .init(
                maxBodyBytes: configuration.otlp.maxRequestBodySize, retentionDays: configuration.storage.retentionDays,
                maxFutureSkewNanos: configuration.storage.maxFutureSkewSeconds * 1_000_000_000, retryAfterSeconds: configuration.ingest.retryAfterSeconds),
            writer: writer, logger: logger, now: now)
        let onListening = self.onListening

        let grpc = OTLPGRPCServer(
            host: configuration.otlp.grpcEndpoint.host, port: configuration.otlp.grpcEndpoint.port,
            maxBodyBytes: configuration.otlp.maxRequestBodySize, service: OTLPGRPCService(ingestor: ingestor)
        ) { port in
            logger.info("OTLP/gRPC listening", metadata: ["net.port": "\(port)"])
            onListening(.otlpGRPC, port)
        }
        let otlpHTTP = Application(
            router: OTLPHTTPReceiver(ingestor: ingestor).makeRouter(),
            configuration: .init(address: .hostname(configuration.otlp.httpEndpoint.host, port: configuration.otlp.httpEndpoint.port), serverName: "vigil"),
            onServerRunning: { channel in onListening(.otlpHTTP, channel.localAddress?.port ?? 0) },
            logger: logger)
        let apiRouter = Router()
        QueryAPI(pool: pool, logger: logger, now: now).register(on: apiRouter)
        let alertingConfig = try Self.loadAlertingConfig(configuration.alerting)
        let externalURL = configuration.alerting.externalURL.isEmpty ? "http://\(configuration.api.endpoint)" : configuration.alerting.externalURL
        let alerting = try await AlertingEngine(
            config: alertingConfig, pool: pool, externalURL: externalURL, retention: configuration.alerting.retention, logger: logger)
        let alertingSettings = configuration.alerting, ruleSettings = configuration.rules
        let rules = try RulesEngine(
            files: Self.loadRuleFiles(ruleSettings), pool: pool, conninfo: conninfo,
            context: RuleServerContext(externalLabels: LabelSet(ruleSettings.externalLabels), externalURL: externalURL),
            settings: Self.rulesSettings(ruleSettings), logger: logger,
            send: { alerts in try await alerting.receive(alerts) },
            onLeadership: {
                do {
                    try await alerting.refreshNotificationLog()
                } catch {
                    logger.warning("could not read the shared notification log", metadata: ["error": "\(error)"])
                }
            })
        let reload: @Sendable () async throws -> Void = {
            do {
                // Both files are read and checked before either is applied.
                let alertingConfig = try Self.loadAlertingConfig(alertingSettings)
                let ruleFiles = try Self.loadRuleFiles(ruleSettings)
                try await alerting.reload(alertingConfig)
                await rules.reload(ruleFiles)
            } catch {
                logger.error("configuration reload failed; the previous configuration stays in force", metadata: ["error": "\(error)"])
                throw error
            }
        }
        AlertmanagerAPI(engine: alerting, version: VigilVersion.current, logger: logger, reload: reload).register(on: apiRouter)
        RulesAPI(engine: rules, logger: logger).register(on: apiRouter)
        if let metrics {
            apiRouter.get("/metrics") { _, _ in
                var bytes: [UInt8] = []
                metrics.emit(into: &bytes)
                return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
            }
        }
        let api = Application(
            router: apiRouter,
            configuration: .init(address: .hostname(configuration.api.endpoint.host, port: configuration.api.endpoint.port), serverName: "vigil"),
            onServerRunning: { channel in onListening(.api, channel.localAddress?.port ?? 0) },
            logger: logger)

        // Graceful shutdown runs in reverse order: receivers stop first, the writer drains last.
        let compaction = RollupCompaction(pool: pool, logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [writer, maintenance, compaction, alerting, rules, ReloadOnHangup(reload: reload), api, grpc, otlpHTTP], gracefulShutdownSignals: gracefulShutdownSignals, logger: logger))
        do {
            try await group.run()
        } catch {
            await pool.shutdown()
            throw error
        }
        await pool.shutdown()
    }
}
