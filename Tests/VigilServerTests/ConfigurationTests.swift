import Logging
import Testing
@testable import VigilServer
import VigilYAML

@Suite struct ConfigurationTests {
    let loader = ConfigurationLoader(environment: [:])

    @Test func readsEveryKey() throws {
        let configuration = try loader.parse("""
            database:
              url: postgresql://vigil@db/vigil
              read_connections: 8
            otlp:
              grpc:
                endpoint: 127.0.0.1:14317
              http:
                endpoint: "[::1]:14318"
              max_request_body_size: 16MiB
            api:
              endpoint: :9090
            ingest:
              max_queued_rows: 1000
              max_transaction_rows: 500
              retry_after: 1m
            storage:
              retention: 14d
              rollup_retention: 60d
              max_future_skew: 2h
              partitions_ahead: 3
              maintenance_interval: 30m
            logging:
              level: debug
            """, file: "vigil.yaml")
        var expected = VigilConfiguration()
        expected.database = .init(url: "postgresql://vigil@db/vigil", readConnections: 8)
        expected.otlp = .init(grpcEndpoint: Endpoint(host: "127.0.0.1", port: 14317), httpEndpoint: Endpoint(host: "::1", port: 14318), maxRequestBodySize: 16 << 20)
        expected.api = .init(endpoint: Endpoint(host: "0.0.0.0", port: 9090))
        expected.ingest = .init(maxQueuedRows: 1000, maxTransactionRows: 500, retryAfterSeconds: 60)
        expected.storage = .init(retentionDays: 14, rollupRetentionDays: 60, maxFutureSkewSeconds: 7200, partitionsAhead: 3, maintenanceIntervalSeconds: 1800)
        expected.logLevel = .debug
        #expect(configuration == expected)
    }

    @Test func readsRuleFilesAndRulesSettings() throws {
        let configuration = try loader.parse("""
            rule_files: [rules/*.yaml, slos.yaml]
            rules:
              resend_delay: 2m
              for_outage_tolerance: 30m
              for_grace_period: 5m
              leader_check_interval: 1s
              external_labels: {cluster: eu-1}
            """, file: "/etc/vigil/vigil.yaml")
        var expected = VigilConfiguration.Rules()
        expected.files = ["rules/*.yaml", "slos.yaml"]
        expected.directory = "/etc/vigil"
        expected.resendDelay = .seconds(120)
        expected.forOutageTolerance = .seconds(1_800)
        expected.forGracePeriod = .seconds(300)
        expected.leaderCheckInterval = .seconds(1)
        expected.externalLabels = ["cluster": "eu-1"]
        #expect(configuration.rules == expected)
    }

    @Test func anEmptyFileMeansDefaults() throws {
        #expect(try loader.parse("", file: "vigil.yaml") == VigilConfiguration())
        #expect(try loader.parse("otlp:\n", file: "vigil.yaml") == VigilConfiguration())
    }

    @Test(arguments: [
        ("otlp:\n  grpc:\n    endpont: :1\n", "vigil.yaml:3: otlp.grpc.endpont: unknown key"),
        ("databse:\n  url: x\n", "vigil.yaml:1: databse: unknown key"),
        ("storage:\n  retention: 36h\n", "vigil.yaml:2: storage.retention: must be whole days, e.g. 7d"),
        ("storage:\n  retention: soon\n", "vigil.yaml:2: storage.retention: \"soon\" is not a duration such as 30s, 5m, 24h or 7d"),
        ("otlp:\n  max_request_body_size: lots\n", "vigil.yaml:2: otlp.max_request_body_size: \"lots\" is not a size such as 64MiB or 1048576"),
        ("api:\n  endpoint: localhost\n", "vigil.yaml:2: api.endpoint: \"localhost\" is not host:port (port 0-65535)"),
        ("database:\n  read_connections: 0\n", "vigil.yaml:2: database.read_connections: 0 is outside 1...256"),
        ("logging:\n  level: loud\n", "vigil.yaml:2: logging.level: \"loud\" is not one of trace, debug, info, notice, warning, error, critical"),
        ("otlp:\n  grpc:\n    endpoint: collector.internal:4317\n", "vigil.yaml:3: otlp.grpc.endpoint: the gRPC listener needs an IP address (or localhost), not a host name"),
        ("api: [1, 2]\n", "vigil.yaml:1: api: expected a mapping of keys to values"),
        ("rules:\n  resend_delay: 0s\n", "vigil.yaml:2: rules.resend_delay: must be longer than 0"),
        ("rules:\n  resend_dely: 1m\n", "vigil.yaml:2: rules.resend_dely: unknown key"),
    ])
    func rejectsBadFilesNamingFileLineKeyAndReason(text: String, message: String) {
        #expect(throws: ConfigurationError.self) { try loader.parse(text, file: "vigil.yaml") }
        do {
            _ = try loader.parse(text, file: "vigil.yaml")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func duplicateKeysAreRejected() {
        do {
            _ = try loader.parse("otlp:\n  grpc:\n    endpoint: :1\n    endpoint: :2\n", file: "vigil.yaml")
            Issue.record("a duplicate key was accepted")
        } catch {
            #expect(error.description.hasPrefix("vigil.yaml: not valid YAML"))
            #expect(error.description.contains("endpoint"))
        }
    }

    @Test func environmentOverridesTheFile() throws {
        let loader = ConfigurationLoader(environment: [
            "VIGIL_DATABASE_URL": "host=/tmp dbname=x", "VIGIL_OTLP_GRPC_ENDPOINT": "127.0.0.1:1", "VIGIL_OTLP_HTTP_ENDPOINT": "127.0.0.1:2",
            "VIGIL_API_ENDPOINT": "127.0.0.1:3", "VIGIL_LOG_LEVEL": "warning",
        ])
        let configuration = try loader.load(path: nil)
        #expect(configuration.database.url == "host=/tmp dbname=x")
        #expect(configuration.otlp.grpcEndpoint == Endpoint(host: "127.0.0.1", port: 1))
        #expect(configuration.otlp.httpEndpoint == Endpoint(host: "127.0.0.1", port: 2))
        #expect(configuration.api.endpoint == Endpoint(host: "127.0.0.1", port: 3))
        #expect(configuration.logLevel == .warning)
        #expect(throws: ConfigurationError.self) { try ConfigurationLoader(environment: ["VIGIL_API_ENDPOINT": "nowhere"]).load(path: nil) }
    }

    @Test func aMissingFileIsAnError() {
        #expect(throws: ConfigurationError.self) { try loader.load(path: "/nonexistent/vigil.yaml") }
    }
}
