import Foundation
import VigilYAML

/// Readers shared by the receiver configurations: URLs as Alertmanager's `config.URL` accepts
/// them, secrets, and file paths resolved against the configuration file's folder.
extension YAMLSection {
    /// Relative paths resolve against the configuration file's folder, as Alertmanager's
    /// `resolveFilepaths` does; an empty or absolute path is kept.
    func resolvePath(_ path: String) -> String {
        guard !path.isEmpty, !path.hasPrefix("/") else { return path }
        let directory = (file as NSString).deletingLastPathComponent
        return directory.isEmpty ? path : (directory as NSString).appendingPathComponent(path)
    }

    /// A file path; an empty value counts as absent.
    mutating func filePath(_ key: String, _ apply: (String) -> Void) throws(ConfigurationError) {
        var path = ""
        try string(key) { path = $0 }
        if !path.isEmpty { apply(resolvePath(path)) }
    }

    /// A secret string; an empty value counts as absent, as Alertmanager's `len(secret) > 0` checks do.
    mutating func secret(_ key: String, _ apply: (Secret<String>) -> Void) throws(ConfigurationError) {
        try string(key) { text in
            if !text.isEmpty { apply(Secret(text)) }
        }
    }

    /// An `http` or `https` URL with a host (Alertmanager's `config.URL`). With `isSecret`, errors
    /// do not repeat the value.
    mutating func httpURL(_ key: String, isSecret: Bool = false, _ apply: (URL) throws(ConfigurationError) -> Void) throws(ConfigurationError) {
        guard let text = try scalar(key) else { return }
        let shown = isSecret ? "the URL" : "\"\(text)\""
        guard text != "<secret>" else {
            throw error(key, "the value is the redacted placeholder <secret>, not a URL")
        }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased() else {
            throw error(key, "\(shown) is not a valid URL")
        }
        guard scheme == "http" || scheme == "https" else {
            throw error(key, "unsupported scheme \"\(scheme)\" for URL")
        }
        guard let host = url.host, !host.isEmpty else {
            throw error(key, "missing host for URL \(isSecret ? "" : shown)".trimmingCharacters(in: .whitespaces))
        }
        try apply(url)
    }

    /// Checks a templated field with `templates.validate` and fails on the key holding it.
    func validateTemplate(_ text: String, key: String, templates: TemplateSet) throws(ConfigurationError) {
        do {
            try templates.validate(text)
        } catch {
            throw self.error(key, "invalid template: \(error)")
        }
    }
}
