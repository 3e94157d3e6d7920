import ArgumentParser
import Foundation
import Logging
import Metrics
import NIOCore
import NIOPosix
import Prometheus
import VigilServer

@main
enum VigilMain {
    static func main() async {
        // Swift tasks run on SwiftNIO's event-loop threads instead of a separate pool: a request
        // is read, decoded and answered without hopping between threads. This has to happen
        // before any task is scheduled. Blocking work (libpq) runs on threads of its own.
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        await Vigil.main()
    }
}

struct Vigil: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vigil",
        abstract: "Observability backend: OTLP receiver, PostgreSQL storage, trace API, Alertmanager-compatible alerting.",
        subcommands: [Serve.self, Migrate.self, CheckConfig.self, Routes.self, Rules.self, Version.self],
        defaultSubcommand: Serve.self)
}

struct ConfigOption: ParsableArguments {
    @Option(name: .long, help: "Path of vigil.yaml. Without it, defaults and VIGIL_* environment variables apply.")
    var config: String?

    func load() throws -> VigilConfiguration {
        do {
            return try ConfigurationLoader().load(path: config)
        } catch {
            FileHandle.standardError.write(Data("vigil: invalid configuration: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}

func makeLogger(level: Logger.Level) -> Logger {
    LoggingSystem.bootstrap { label in
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = level
        return handler
    }
    var logger = Logger(label: "vigil")
    logger.logLevel = level
    return logger
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Migrate the database, then receive OTLP and serve the API until SIGTERM or SIGINT.")

    @OptionGroup var options: ConfigOption

    func run() async throws {
        let configuration = try options.load()
        let logger = makeLogger(level: configuration.logLevel)
        logger.info("starting vigil", metadata: [
            "vigil.version": "\(VigilVersion.current)", "otlp.grpc": "\(configuration.otlp.grpcEndpoint)",
            "otlp.http": "\(configuration.otlp.httpEndpoint)", "api": "\(configuration.api.endpoint)",
        ])
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        do {
            try await VigilApplication(configuration: configuration, logger: logger, metrics: registry).run()
        } catch {
            logger.critical("vigil stopped", metadata: ["error": "\(error)"])
            throw ExitCode(1)
        }
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending schema migrations from schemas/ and exit.")

    @OptionGroup var options: ConfigOption

    func run() async throws {
        let configuration = try options.load()
        let logger = makeLogger(level: configuration.logLevel)
        do {
            try await VigilApplication.migrate(conninfo: configuration.database.url, logger: logger)
            print("schema is up to date")
        } catch {
            logger.critical("migration failed", metadata: ["error": "\(error)"])
            throw ExitCode(1)
        }
    }
}

struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the version.")

    func run() {
        print("vigil \(VigilVersion.current)")
    }
}
