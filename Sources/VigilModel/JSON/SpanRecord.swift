/// A span as storage reads it: its scalar fields, and its attributes, events and links written
/// as Vigil's JSON (``AttributeJSON``, ``SpanJSON``). ``Span`` is one; the protobuf receiver
/// reads spans straight out of the unpacked request without building a ``Span`` first.
public protocol SpanRecord {
    var traceID: TraceID { get }
    var spanID: SpanID { get }
    var parentSpanID: SpanID? { get }
    var traceState: String { get }
    var flags: UInt32 { get }
    var name: String { get }
    var kind: Int32 { get }
    var startTimeUnixNano: UInt64 { get }
    var endTimeUnixNano: UInt64 { get }
    var droppedAttributesCount: UInt32 { get }
    var droppedEventsCount: UInt32 { get }
    var droppedLinksCount: UInt32 { get }
    var statusCode: Int32 { get }
    var statusMessage: String { get }
    /// The attributes as one JSON object.
    func writeAttributes(to writer: inout JSONWriter)
    /// The events as a JSON array of ``SpanJSON/writeEvent(to:timeUnixNano:name:attributes:droppedAttributesCount:)`` objects.
    func writeEvents(to writer: inout JSONWriter)
    /// The links as a JSON array of ``SpanJSON/writeLink(to:traceID:spanID:traceState:attributes:droppedAttributesCount:flags:)`` objects.
    func writeLinks(to writer: inout JSONWriter)
}

/// The JSON layout of span events and links in storage, whatever the span was read from.
public enum SpanJSON {
    /// `{"timeUnixNano":…,"name":…,"attributes":{…},"droppedAttributesCount":…}`
    public static func writeEvent(
        to writer: inout JSONWriter, timeUnixNano: UInt64, name: (inout JSONWriter) -> Void,
        attributes: (inout JSONWriter) -> Void, droppedAttributesCount: UInt32
    ) {
        writer.raw("{\"timeUnixNano\":"); writer.integer(timeUnixNano)
        writer.raw(",\"name\":"); name(&writer)
        writer.raw(",\"attributes\":"); attributes(&writer)
        writer.raw(",\"droppedAttributesCount\":"); writer.integer(droppedAttributesCount)
        writer.byte(UInt8(ascii: "}"))
    }

    /// `{"traceId":…,"spanId":…,"traceState":…,"attributes":{…},"droppedAttributesCount":…,"flags":…}`
    public static func writeLink(
        to writer: inout JSONWriter, traceID: TraceID, spanID: SpanID, traceState: (inout JSONWriter) -> Void,
        attributes: (inout JSONWriter) -> Void, droppedAttributesCount: UInt32, flags: UInt32
    ) {
        writer.raw("{\"traceId\":"); writer.string(traceID.hex)
        writer.raw(",\"spanId\":"); writer.string(spanID.hex)
        writer.raw(",\"traceState\":"); traceState(&writer)
        writer.raw(",\"attributes\":"); attributes(&writer)
        writer.raw(",\"droppedAttributesCount\":"); writer.integer(droppedAttributesCount)
        writer.raw(",\"flags\":"); writer.integer(flags)
        writer.byte(UInt8(ascii: "}"))
    }

    /// `[item, item, …]` for `count` items written by `item(index)`.
    public static func writeArray(to writer: inout JSONWriter, count: Int, _ item: (Int, inout JSONWriter) -> Void) {
        writer.byte(UInt8(ascii: "["))
        for index in 0..<count {
            if index > 0 { writer.byte(UInt8(ascii: ",")) }
            item(index, &writer)
        }
        writer.byte(UInt8(ascii: "]"))
    }
}

extension Span: SpanRecord {
    public var statusCode: Int32 { status.code }
    public var statusMessage: String { status.message }

    public func writeAttributes(to writer: inout JSONWriter) {
        AttributeJSON.write(attributes, to: &writer)
    }

    public func writeEvents(to writer: inout JSONWriter) {
        SpanJSON.writeArray(to: &writer, count: events.count) { index, writer in
            let event = events[index]
            SpanJSON.writeEvent(
                to: &writer, timeUnixNano: event.timeUnixNano, name: { $0.string(event.name) },
                attributes: { AttributeJSON.write(event.attributes, to: &$0) }, droppedAttributesCount: event.droppedAttributesCount)
        }
    }

    public func writeLinks(to writer: inout JSONWriter) {
        SpanJSON.writeArray(to: &writer, count: links.count) { index, writer in
            let link = links[index]
            SpanJSON.writeLink(
                to: &writer, traceID: link.traceID, spanID: link.spanID, traceState: { $0.string(link.traceState) },
                attributes: { AttributeJSON.write(link.attributes, to: &$0) }, droppedAttributesCount: link.droppedAttributesCount, flags: link.flags)
        }
    }
}
