/// An OTLP span with every field of the wire format.
public struct Span: Sendable, Hashable {
    public var traceID: TraceID
    public var spanID: SpanID
    public var traceState: String
    public var parentSpanID: SpanID?
    public var flags: UInt32
    public var name: String
    /// `Span.SpanKind` as its wire number (0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer).
    public var kind: Int32
    public var startTimeUnixNano: UInt64
    public var endTimeUnixNano: UInt64
    public var attributes: [Attribute]
    public var droppedAttributesCount: UInt32
    public var events: [Event]
    public var droppedEventsCount: UInt32
    public var links: [Link]
    public var droppedLinksCount: UInt32
    public var status: Status

    public init(
        traceID: TraceID, spanID: SpanID, traceState: String = "", parentSpanID: SpanID? = nil, flags: UInt32 = 0,
        name: String = "", kind: Int32 = 0, startTimeUnixNano: UInt64 = 0, endTimeUnixNano: UInt64 = 0,
        attributes: [Attribute] = [], droppedAttributesCount: UInt32 = 0, events: [Event] = [], droppedEventsCount: UInt32 = 0,
        links: [Link] = [], droppedLinksCount: UInt32 = 0, status: Status = Status()
    ) {
        self.traceID = traceID
        self.spanID = spanID
        self.traceState = traceState
        self.parentSpanID = parentSpanID
        self.flags = flags
        self.name = name
        self.kind = kind
        self.startTimeUnixNano = startTimeUnixNano
        self.endTimeUnixNano = endTimeUnixNano
        self.attributes = attributes
        self.droppedAttributesCount = droppedAttributesCount
        self.events = events
        self.droppedEventsCount = droppedEventsCount
        self.links = links
        self.droppedLinksCount = droppedLinksCount
        self.status = status
    }

    /// A timestamped annotation of a span.
    public struct Event: Sendable, Hashable {
        public var timeUnixNano: UInt64
        public var name: String
        public var attributes: [Attribute]
        public var droppedAttributesCount: UInt32

        public init(timeUnixNano: UInt64 = 0, name: String = "", attributes: [Attribute] = [], droppedAttributesCount: UInt32 = 0) {
            self.timeUnixNano = timeUnixNano
            self.name = name
            self.attributes = attributes
            self.droppedAttributesCount = droppedAttributesCount
        }
    }

    /// A pointer from a span to another span, in the same trace or another.
    public struct Link: Sendable, Hashable {
        public var traceID: TraceID
        public var spanID: SpanID
        public var traceState: String
        public var attributes: [Attribute]
        public var droppedAttributesCount: UInt32
        public var flags: UInt32

        public init(traceID: TraceID, spanID: SpanID, traceState: String = "", attributes: [Attribute] = [], droppedAttributesCount: UInt32 = 0, flags: UInt32 = 0) {
            self.traceID = traceID
            self.spanID = spanID
            self.traceState = traceState
            self.attributes = attributes
            self.droppedAttributesCount = droppedAttributesCount
            self.flags = flags
        }
    }

    /// The span's outcome: code 0 unset, 1 ok, 2 error.
    public struct Status: Sendable, Hashable {
        public var code: Int32
        public var message: String

        public init(code: Int32 = 0, message: String = "") {
            self.code = code
            self.message = message
        }
    }
}
