import VigilModel

/// Everything Vigil holds about one trace: spans, their resources and scopes, the log records
/// that carry the trace ID, and the exemplars that point into it. JSON columns are kept as the
/// JSON text PostgreSQL returned.
public struct StoredTrace: Sendable {
    public struct SpanRow: Sendable {
        public var traceID: String
        public var spanID: String
        public var parentSpanID: String?
        public var traceState: String
        public var flags: Int64
        public var name: String
        public var kind: Int
        public var startTimeUnixNano: Int64
        public var endTimeUnixNano: Int64
        public var attributesJSON: String
        public var droppedAttributesCount: Int64
        public var eventsJSON: String
        public var droppedEventsCount: Int64
        public var linksJSON: String
        public var droppedLinksCount: Int64
        public var statusCode: Int
        public var statusMessage: String
        public var serviceName: String
        public var resourceID: Int64
        public var scopeID: Int64
    }

    public struct ResourceRow: Sendable {
        public var resourceID: Int64
        public var serviceName: String
        public var attributesJSON: String
        public var droppedAttributesCount: Int64
        public var entityRefsJSON: String
        public var schemaURL: String
    }

    public struct ScopeRow: Sendable {
        public var scopeID: Int64
        public var name: String
        public var version: String
        public var attributesJSON: String
        public var droppedAttributesCount: Int64
        public var schemaURL: String
    }

    public struct LogRow: Sendable {
        public var timeUnixNano: Int64
        public var observedTimeUnixNano: Int64
        public var severityNumber: Int
        public var severityText: String
        public var bodyJSON: String?
        public var attributesJSON: String
        public var droppedAttributesCount: Int64
        public var flags: Int64
        public var traceID: String?
        public var spanID: String?
        public var eventName: String
        public var serviceName: String
        public var resourceID: Int64
        public var scopeID: Int64
    }

    public struct ExemplarRow: Sendable {
        public var metricName: String
        public var metricType: String
        public var unit: String
        public var seriesID: Int64
        public var seriesAttributesJSON: String
        public var serviceName: String
        public var pointTimeUnixNano: Int64
        public var timeUnixNano: Int64
        public var valueDouble: Double?
        public var valueInt: Int64?
        public var traceID: String?
        public var spanID: String?
        public var filteredAttributesJSON: String
    }

    public var traceID: TraceID
    public var spans: [SpanRow]
    public var resources: [ResourceRow]
    public var scopes: [ScopeRow]
    public var logs: [LogRow]
    public var exemplars: [ExemplarRow]
}
