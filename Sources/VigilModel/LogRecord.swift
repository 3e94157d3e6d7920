/// An OTLP log record with every field of the wire format.
public struct LogRecord: Sendable, Hashable {
    public var timeUnixNano: UInt64
    public var observedTimeUnixNano: UInt64
    public var severityNumber: Int32
    public var severityText: String
    /// `nil` when the record has no body; `.empty` when the body is an `AnyValue` with nothing set.
    public var body: AttributeValue?
    public var attributes: [Attribute]
    public var droppedAttributesCount: UInt32
    public var flags: UInt32
    public var traceID: TraceID?
    public var spanID: SpanID?
    public var eventName: String

    public init(
        timeUnixNano: UInt64 = 0, observedTimeUnixNano: UInt64 = 0, severityNumber: Int32 = 0, severityText: String = "",
        body: AttributeValue? = nil, attributes: [Attribute] = [], droppedAttributesCount: UInt32 = 0, flags: UInt32 = 0,
        traceID: TraceID? = nil, spanID: SpanID? = nil, eventName: String = ""
    ) {
        self.timeUnixNano = timeUnixNano
        self.observedTimeUnixNano = observedTimeUnixNano
        self.severityNumber = severityNumber
        self.severityText = severityText
        self.body = body
        self.attributes = attributes
        self.droppedAttributesCount = droppedAttributesCount
        self.flags = flags
        self.traceID = traceID
        self.spanID = spanID
        self.eventName = eventName
    }
}
