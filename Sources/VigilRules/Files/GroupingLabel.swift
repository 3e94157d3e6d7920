/// One entry of a rule's `by:` list: what the results are grouped by, and the label it becomes on
/// the alert (one alert per distinct combination of values).
///
/// The built-in names of a kind (`service`, `operation`, `span_kind` for RED rules) keep their
/// name. Anything else is an attribute key (of the span, data point or log record, or of its
/// resource); its label name is the key with every character outside `[a-zA-Z0-9_]` replaced by
/// `_`, and `_` in front of a leading digit, as OpenTelemetry's Prometheus exporters name labels:
/// `http.route` → `http_route`, `k8s.pod.name` → `k8s_pod_name`.
public struct GroupingLabel: Sendable, Hashable {
    /// Where the value of the label comes from.
    public enum Source: Sendable, Hashable {
        /// `service.name` of the resource.
        case service
        /// The span name (RED rules).
        case operation
        /// The span kind, as `server`, `client`, `producer`, `consumer`, `internal` or `unspecified` (RED rules).
        case spanKind
        /// An attribute of the item or of its resource, by key; a missing attribute gives `""`.
        case attribute(String)
    }

    /// The name as written in `by:`.
    public var key: String
    /// Where the label's value comes from.
    public var source: Source
    /// The label name on the alert.
    public var name: String

    /// A `by` entry as given; parsing derives `source` and `name` from `key`.
    public init(key: String, source: Source, name: String) {
        self.key = key
        self.source = source
        self.name = name
    }

    /// Resolves `key` against the kind's built-in names, else as an attribute key.
    init(key: String, builtins: [String: Source]) {
        self.key = key
        if let source = builtins[key] {
            self.source = source
            self.name = key
        } else {
            self.source = .attribute(key)
            self.name = Self.labelName(forAttribute: key)
        }
    }

    /// `http.route` → `http_route`; `1st` → `_1st`.
    public static func labelName(forAttribute key: String) -> String {
        var name = String(String.UnicodeScalarView(key.unicodeScalars.map { scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "_": scalar
            default: "_"
            }
        }))
        if let first = name.unicodeScalars.first, ("0"..."9").contains(first) { name = "_" + name }
        return name
    }
}
