import VigilAlerting
import VigilYAML

/// Which spans a RED rule or a span-based SLI counts: by service, operation (span name), span
/// kind and attribute matchers, all of which must match.
public struct SpanSelector: Sendable, Hashable {
    /// `service.name` values, exactly; empty means every service.
    public var services: [String]
    /// Span names, exactly; empty means every operation.
    public var operations: [String]
    /// The span kinds counted; by default `server` and `consumer`, the spans that measure the
    /// requests a service handles (as `GET /api/v1/red` counts them).
    public var spanKinds: [SpanKind]
    /// Matchers on span or resource attributes (an attribute matches when the span's own
    /// attribute or its resource's has the value, compared as text).
    public var attributeMatchers: Matchers

    /// The default `span_kind`: server and consumer.
    public static let defaultSpanKinds: [SpanKind] = [.server, .consumer]

    /// Selects spans; by default the server and consumer spans of every service and operation.
    public init(services: [String] = [], operations: [String] = [], spanKinds: [SpanKind] = SpanSelector.defaultSpanKinds, attributeMatchers: Matchers = []) {
        self.services = services
        self.operations = operations
        self.spanKinds = spanKinds
        self.attributeMatchers = attributeMatchers
    }

    /// True when the per-minute RED rollups can answer for these spans (service, operation and
    /// kind only); attribute matchers need the spans themselves, which are kept for
    /// `storage.retention` only.
    public var canUseRollups: Bool { attributeMatchers.isEmpty }

    /// Reads `service` (unless `fixedService` is given), `operation`, `span_kind` and `matchers`.
    static func parse(_ section: inout YAMLSection, fixedService: String? = nil) throws(ConfigurationError) -> SpanSelector {
        var selector = SpanSelector()
        if let fixedService {
            selector.services = [fixedService]
        } else {
            selector.services = try section.oneOrMore("service") ?? []
        }
        selector.operations = try section.oneOrMore("operation") ?? []
        if let kinds = try section.oneOrMore("span_kind") {
            var parsed: [SpanKind] = []
            for text in kinds {
                guard let kind = SpanKind(parsing: text) else {
                    throw section.error("span_kind", "\"\(text)\" is not a span kind: server, consumer, client, producer, internal, unspecified or 0-5")
                }
                if !parsed.contains(kind) { parsed.append(kind) }
            }
            selector.spanKinds = parsed
        }
        selector.attributeMatchers = try section.attributeMatchers("matchers")
        return selector
    }
}

/// OpenTelemetry's `SpanKind`, with the numbers stored in `spans.kind` and the RED rollups.
public enum SpanKind: Int, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case unspecified = 0
    case `internal` = 1
    case server = 2
    case client = 3
    case producer = 4
    case consumer = 5

    /// Reads a name in any case (`server`, `SERVER`, `SPAN_KIND_SERVER`) or a number 0-5, as the
    /// `spanKind` parameter of `GET /api/v1/red` does.
    public init?(parsing text: String) {
        if let number = Int(text), let kind = SpanKind(rawValue: number) {
            self = kind
            return
        }
        var name = text.lowercased()
        if name.hasPrefix("span_kind_") { name.removeFirst("span_kind_".count) }
        guard let kind = Self.allCases.first(where: { $0.description == name }) else { return nil }
        self = kind
    }

    /// `server`, `client`, …: the value of a `span_kind` alert label.
    public var description: String {
        switch self {
        case .unspecified: "unspecified"
        case .internal: "internal"
        case .server: "server"
        case .client: "client"
        case .producer: "producer"
        case .consumer: "consumer"
        }
    }
}
