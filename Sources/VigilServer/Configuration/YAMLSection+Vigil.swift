import Logging
import VigilYAML

/// Readers for the value types only `vigil.yaml` has.
extension YAMLSection {
    mutating func endpoint(_ key: String, _ apply: (Endpoint) throws(ConfigurationError) -> Void) throws(ConfigurationError) {
        guard let text = try scalar(key) else { return }
        guard let endpoint = Endpoint(parsing: text) else { throw error(key, "\"\(text)\" is not host:port (port 0-65535)") }
        try apply(endpoint)
    }

    mutating func logLevel(_ key: String, _ apply: (Logger.Level) -> Void) throws(ConfigurationError) {
        guard let text = try scalar(key) else { return }
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            throw error(key, "\"\(text)\" is not one of trace, debug, info, notice, warning, error, critical")
        }
        apply(level)
    }
}
