import ArgumentParser
import Foundation
import VigilAlerting
import VigilServer

struct CheckConfig: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate vigil.yaml, or Alertmanager configuration files given as arguments (as amtool check-config does).")

    @OptionGroup var options: ConfigOption

    @Argument(help: "Alertmanager configuration files to check instead of vigil.yaml.")
    var files: [String] = []

    func run() throws {
        guard files.isEmpty else { return try checkAlertmanagerFiles() }
        let configuration = try options.load()
        print("configuration OK\(options.config.map { ": \($0)" } ?? " (defaults)")")
        print("  otlp.grpc.endpoint: \(configuration.otlp.grpcEndpoint)")
        print("  otlp.http.endpoint: \(configuration.otlp.httpEndpoint)")
        print("  otlp.max_request_body_size: \(configuration.otlp.maxRequestBodySize) bytes")
        print("  api.endpoint: \(configuration.api.endpoint)")
        print("  database.url: \(configuration.database.url.isEmpty ? "(libpq defaults / PG* variables)" : "(set)")")
        print("  storage.retention: \(configuration.storage.retentionDays)d")
        print("  alerting.config_file: \(configuration.alerting.configFile ?? "(none: alerts are kept, nobody is notified)")")
        if configuration.alerting.configFile != nil {
            do {
                _ = try VigilApplication.loadAlertingConfig(configuration.alerting)
            } catch {
                FileHandle.standardError.write(Data("vigil: invalid alerting configuration: \(error)\n".utf8))
                throw ExitCode(2)
            }
        }
    }

    private func checkAlertmanagerFiles() throws {
        var failed = 0
        for file in files {
            print("Checking '\(file)'", terminator: "")
            do {
                let config = try AlertmanagerConfig.load(path: file)
                print("  SUCCESS")
                print("Found:")
                print(" - global config")
                print(" - route")
                print(" - \(config.inhibitRules.count) inhibit rules")
                print(" - \(config.receivers.count) receivers")
                print(" - \(config.templatePatterns.count) templates")
                if !config.templatePatterns.isEmpty { print("  SUCCESS") }
            } catch {
                print("  FAILED: \(error)")
                failed += 1
            }
            print("")
        }
        if failed > 0 {
            FileHandle.standardError.write(Data("vigil: error: failed to validate \(failed) file(s)\n".utf8))
            throw ExitCode(1)
        }
    }
}
