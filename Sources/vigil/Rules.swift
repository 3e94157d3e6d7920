import ArgumentParser
import Foundation
import VigilRules
import VigilServer
import VigilYAML

struct Rules: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check rule files, or run their unit tests (as promtool check rules / test rules).",
        subcommands: [Check.self, Test.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate rule files as a reload would; without files, the rule_files of vigil.yaml.")

        @OptionGroup var options: ConfigOption

        @Argument(help: "Rule files to check.")
        var files: [String] = []

        func run() throws {
            var paths = files
            if paths.isEmpty {
                let settings = try options.load().rules
                do {
                    paths = try RuleFileSet.expand(settings.files, relativeTo: settings.directory)
                } catch {
                    print("\(error)")
                    throw ExitCode(1)
                }
                if paths.isEmpty { print("no rule files (rule_files is empty or matches nothing)") }
            }
            var loaded: [RuleFile] = []
            var failed = false
            for path in paths {
                do {
                    let file = try RuleFile.load(path: path)
                    loaded.append(file)
                    print("\(path): \(Self.summary(file))")
                } catch {
                    print("\(error)")
                    failed = true
                }
            }
            do {
                try RuleFile.checkUniqueSLONames(in: loaded)
            } catch {
                print("\(error)")
                failed = true
            }
            if failed { throw ExitCode(1) }
        }

        /// `2 groups, 5 rules (2 SLOs: 8 alerts)`.
        static func summary(_ file: RuleFile) -> String {
            func count(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }
            var text = "\(count(file.groups.count, "group")), \(count(file.rules.count, "rule"))"
            let slos = file.rules.filter { if case .slo = $0.kind { true } else { false } }
            if !slos.isEmpty {
                text += " (\(count(slos.count, "SLO")): \(count(slos.reduce(0) { $0 + $1.burnRateAlerts.count }, "alert")))"
            }
            return text
        }
    }

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run unit tests for rule files (the format of promtool test rules; see docs/rules-testing.md).")

        @Argument(help: "Test files.")
        var files: [String]

        func run() async throws {
            var failed = false
            for path in files {
                print("Unit Testing: \(path)")
                let result = await RuleTestRunner().run(path: path)
                print(result.report, terminator: "")
                if !result.passed { failed = true }
            }
            if failed { throw ExitCode(1) }
        }
    }
}
