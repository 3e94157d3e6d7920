import VigilYAML

extension RuleTest {
    /// One entry of `input_spans`: spans that all look alike, a number of them ending at each
    /// step.
    public struct InputSpans: Sendable, Hashable {
        /// `status`: the span status.
        public enum Status: String, Sendable, Hashable, CaseIterable {
            case unset, ok, error
        }

        /// `service`: `service.name` of the spans' resource; required.
        public var service: String
        /// `operation`: the span name; default `operation`.
        public var operation: String
        /// `kind`: default `server`.
        public var kind: SpanKind
        /// `status`: default `unset`.
        public var status: Status
        /// `duration`: each span's duration; default 100 milliseconds. A span starts `duration`
        /// before it ends.
        public var duration: Duration
        /// `attributes`: the spans' attributes, as text (numbers as written).
        public var attributes: [String: String]
        /// `count`: per step, how many spans end at that step's time.
        public var counts: [Int]
        /// The line of the entry in its file.
        public var line: Int?

        /// `duration` when an entry gives none.
        public static let defaultDuration: Duration = .milliseconds(100)

        /// Spans with the defaults of the YAML keys.
        public init(
            service: String, operation: String = "operation", kind: SpanKind = .server, status: Status = .unset,
            duration: Duration = InputSpans.defaultDuration, attributes: [String: String] = [:], counts: [Int], line: Int? = nil
        ) {
            self.service = service
            self.operation = operation
            self.kind = kind
            self.status = status
            self.duration = duration
            self.attributes = attributes
            self.counts = counts
            self.line = line
        }

        static func parse(_ section: inout YAMLSection) throws(ConfigurationError) -> InputSpans {
            let service = try section.requiredText("service")
            var spans = InputSpans(service: service, counts: [], line: section.line)
            spans.operation = try section.scalar("operation") ?? spans.operation
            if let text = try section.scalar("kind") {
                guard let kind = SpanKind(parsing: text) else {
                    throw section.error("kind", "\"\(text)\" is not a span kind: server, consumer, client, producer, internal, unspecified or 0-5")
                }
                spans.kind = kind
            }
            if let text = try section.scalar("status") {
                guard let status = Status(rawValue: text.lowercased()) else {
                    throw section.error("status", "\"\(text)\" is not one of ok, error, unset")
                }
                spans.status = status
            }
            spans.duration = try section.ruleDuration("duration") ?? spans.duration
            try section.stringMap("attributes") { spans.attributes = Dictionary($0, uniquingKeysWith: { _, last in last }) }
            spans.counts = try section.itemCounts("count")
            return spans
        }
    }

    /// One entry of `input_logs`: log records that all look alike, a number of them at each step.
    public struct InputLogs: Sendable, Hashable {
        /// `service`: `service.name` of the records' resource; required.
        public var service: String
        /// `attributes`: the records' attributes, as text.
        public var attributes: [String: String]
        /// `count`: per step, how many records have that step's time.
        public var counts: [Int]
        /// The line of the entry in its file.
        public var line: Int?

        /// Log records of a service.
        public init(service: String, attributes: [String: String] = [:], counts: [Int], line: Int? = nil) {
            self.service = service
            self.attributes = attributes
            self.counts = counts
            self.line = line
        }

        static func parse(_ section: inout YAMLSection) throws(ConfigurationError) -> InputLogs {
            let service = try section.requiredText("service")
            var attributes: [String: String] = [:]
            try section.stringMap("attributes") { attributes = Dictionary($0, uniquingKeysWith: { _, last in last }) }
            return InputLogs(service: service, attributes: attributes, counts: try section.itemCounts("count"), line: section.line)
        }
    }
}
