import Foundation
import VigilYAML

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The rule files named by `rule_files`: every file matched by the globs, loaded and validated
/// together (SLO names unique across them).
public struct RuleFileSet: Sendable, Hashable {
    /// The files, in glob order and, within a glob, in name order; each file once.
    public var files: [RuleFile]

    /// A set of already validated files.
    public init(files: [RuleFile] = []) {
        self.files = files
    }

    /// Every group of every file with its file path.
    public var groups: [(file: String, group: RuleGroup)] {
        files.flatMap { file in file.groups.map { (file.path, $0) } }
    }

    /// Loads the files matched by `patterns` (shell globs: `*`, `?`, `[…]`); relative patterns are
    /// resolved against `directory`. A pattern without glob characters must name a file that
    /// exists; a glob that matches nothing is allowed, as in Prometheus.
    ///
    /// - Throws: ``ConfigurationError`` for the first file that cannot be read or is invalid,
    ///   naming its file, line, key and reason.
    public static func load(patterns: [String], relativeTo directory: String) throws(ConfigurationError) -> RuleFileSet {
        var files: [RuleFile] = []
        var seen = Set<String>()
        for path in try expand(patterns, relativeTo: directory) where seen.insert(path).inserted {
            files.append(try RuleFile.load(path: path))
        }
        try RuleFile.checkUniqueSLONames(in: files)
        return RuleFileSet(files: files)
    }

    /// The paths `patterns` match, in pattern order and sorted within each.
    public static func expand(_ patterns: [String], relativeTo directory: String) throws(ConfigurationError) -> [String] {
        var paths: [String] = []
        for pattern in patterns {
            let full = pattern.hasPrefix("/") || directory.isEmpty ? pattern : (directory as NSString).appendingPathComponent(pattern)
            guard pattern.contains(where: { "*?[".contains($0) }) else {
                guard FileManager.default.fileExists(atPath: full) else {
                    throw ConfigurationError(file: full, line: nil, key: "", reason: "cannot read the file: it does not exist")
                }
                paths.append(full)
                continue
            }
            var matches = glob_t()
            defer { globfree(&matches) }
            let status = glob(full, 0, nil, &matches)
            guard status == 0 || status == GLOB_NOMATCH else {
                throw ConfigurationError(file: full, line: nil, key: "", reason: "cannot expand the pattern (glob error \(status))")
            }
            var found: [String] = []
            for index in 0..<Int(matches.gl_pathc) {
                if let path = matches.gl_pathv[index] { found.append(String(cString: path)) }
            }
            paths += found.sorted()
        }
        return paths
    }
}
