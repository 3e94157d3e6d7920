import ArgumentParser
import Foundation
import VigilAlerting
import VigilServer

struct Routes: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the routing tree of an Alertmanager configuration, or test where labels route (as amtool config routes).",
        subcommands: [Show.self, Test.self])

    /// The Alertmanager configuration: `--config.file`, or `alerting.config_file` of vigil.yaml.
    struct Source: ParsableArguments {
        @Option(name: .customLong("config.file"), help: "Alertmanager configuration file.")
        var configFile: String?

        @OptionGroup var options: ConfigOption

        func load() throws -> AlertmanagerConfig {
            var path = configFile
            if path == nil { path = try options.load().alerting.configFile }
            guard let path else {
                FileHandle.standardError.write(Data("vigil: no Alertmanager configuration: pass --config.file or set alerting.config_file in vigil.yaml\n".utf8))
                throw ExitCode(2)
            }
            do {
                return try AlertmanagerConfig.load(path: path)
            } catch {
                FileHandle.standardError.write(Data("vigil: invalid Alertmanager configuration: \(error)\n".utf8))
                throw ExitCode(2)
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the routing tree.")
        @OptionGroup var source: Source

        func run() throws {
            print(RouteTreePrinter.show(Route(root: try source.load().route)))
        }
    }

    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the receivers, in tree order, that alerts with the given labels go to.")
        @OptionGroup var source: Source

        @Option(name: .customLong("verify.receivers"), help: "Expected receivers, comma-separated; exit 1 when they differ.")
        var verifyReceivers: String?

        @Flag(name: .long, help: "Also print the part of the routing tree the labels walk.")
        var tree = false

        @Argument(help: "Labels as name=value (value may be quoted).")
        var labels: [String] = []

        func run() throws {
            let route = Route(root: try source.load().route)
            var pairs: [String: String] = [:]
            for text in labels {
                let matcher: Matcher
                do {
                    matcher = try Matcher(parsing: text)
                } catch {
                    FileHandle.standardError.write(Data("vigil: \(text): \(error)\n".utf8))
                    throw ExitCode(1)
                }
                guard matcher.kind == .equal else {
                    FileHandle.standardError.write(Data("vigil: \(text): labels must be name=value\n".utf8))
                    throw ExitCode(1)
                }
                pairs[matcher.name] = matcher.value
            }
            // An empty value is the same as no label.
            let labelSet = LabelSet(pairs.filter { !$0.value.isEmpty })
            if tree {
                print("Matching routes:")
                print(RouteTreePrinter.matching(route, labels: labelSet) + "\n")
            }
            let receivers = route.match(labelSet).map(\.options.receiver).joined(separator: ",")
            print(receivers)
            if let verifyReceivers, verifyReceivers != receivers {
                print("WARNING: Expected receivers did not match resolved receivers.")
                throw ExitCode(1)
            }
        }
    }
}
