import COTLP
import VigilModel

extension OTLPProtobufDecoder {
    typealias CSpan = Opentelemetry__Proto__Trace__V1__Span

    /// Decodes an `ExportTraceServiceRequest` into ``Span`` values.
    public static func decodeTraces(_ body: some OTLPRequestBytes) throws(OTLPDecodingError) -> ExportBatch<Span> {
        try withTraces(body) { batch in
            ExportBatch(
                groups: batch.groups.map { ScopedItems(resource: $0.resource, scope: $0.scope, items: $0.items.map(\.span)) },
                rejected: batch.rejected)
        }
    }

    /// Unpacks an `ExportTraceServiceRequest` and runs `body` over its spans read in place
    /// (``ProtobufSpan``), which is how the receiver stores them without building ``Span``
    /// values first. Spans with malformed IDs are left out and counted. The spans are valid only
    /// inside `body`.
    public static func withTraces<Result>(_ body: some OTLPRequestBytes, _ visit: (ExportBatch<ProtobufSpan>) -> Result) throws(OTLPDecodingError) -> Result {
        try withUnpacked(
            body,
            unpack: { opentelemetry__proto__collector__trace__v1__export_trace_service_request__unpack($0, $1, $2) },
            name: "ExportTraceServiceRequest"
        ) { request in
            var batch = ExportBatch<ProtobufSpan>()
            for (r, resourceSpans) in array(request.pointee.resource_spans, request.pointee.n_resource_spans, { $0 }).enumerated() {
                let resource = resource(resourceSpans.pointee.resource, schemaURL: resourceSpans.pointee.schema_url)
                for (s, scopeSpans) in array(resourceSpans.pointee.scope_spans, resourceSpans.pointee.n_scope_spans, { $0 }).enumerated() {
                    let scope = scope(scopeSpans.pointee.scope, schemaURL: scopeSpans.pointee.schema_url)
                    var spans: [ProtobufSpan] = []
                    spans.reserveCapacity(scopeSpans.pointee.n_spans)
                    for (i, cSpan) in array(scopeSpans.pointee.spans, scopeSpans.pointee.n_spans, { $0 }).enumerated() {
                        switch ProtobufSpan.checked(cSpan) {
                        case .success(let span): spans.append(span)
                        case .failure(let rejection):
                            batch.rejected.record("resourceSpans[\(r)].scopeSpans[\(s)].spans[\(i)]: \(rejection.reason)")
                        }
                    }
                    batch.groups.append(ScopedItems(resource: resource, scope: scope, items: spans))
                }
            }
            return visit(batch)
        }
    }
}

/// A span of an unpacked `ExportTraceServiceRequest`, read in place: strings and attributes
/// are read from the protobuf-c structures when asked for. Made only by
/// ``OTLPProtobufDecoder/withTraces(_:_:)`` once its IDs and its links' IDs are checked, and
/// valid only inside that call.
public struct ProtobufSpan: SpanRecord, @unchecked Sendable {
    private typealias Decoder = OTLPProtobufDecoder
    private let pointer: UnsafeMutablePointer<OTLPProtobufDecoder.CSpan>
    public let traceID: TraceID
    public let spanID: SpanID
    public let parentSpanID: SpanID?

    static func checked(_ pointer: UnsafeMutablePointer<OTLPProtobufDecoder.CSpan>) -> Result<ProtobufSpan, ItemRejection> {
        let span = pointer.pointee
        let traceID: TraceID, spanID: SpanID, parentSpanID: SpanID?
        switch Decoder.requiredTraceID(span.trace_id, field: "traceId") {
        case .success(let id): traceID = id
        case .failure(let rejection): return .failure(rejection)
        }
        switch Decoder.requiredSpanID(span.span_id, field: "spanId") {
        case .success(let id): spanID = id
        case .failure(let rejection): return .failure(rejection)
        }
        switch Decoder.optionalSpanID(span.parent_span_id, field: "parentSpanId") {
        case .success(let id): parentSpanID = id
        case .failure(let rejection): return .failure(rejection)
        }
        if let links = span.links {
            for index in 0..<span.n_links {
                guard let link = links[index]?.pointee else { continue }
                guard case .success = Decoder.requiredTraceID(link.trace_id, field: "links[\(index)].traceId") else {
                    return .failure(ItemRejection("links[\(index)].traceId is not a valid 16-byte ID"))
                }
                guard case .success = Decoder.requiredSpanID(link.span_id, field: "links[\(index)].spanId") else {
                    return .failure(ItemRejection("links[\(index)].spanId is not a valid 8-byte ID"))
                }
            }
        }
        return .success(ProtobufSpan(pointer: pointer, traceID: traceID, spanID: spanID, parentSpanID: parentSpanID))
    }

    public var traceState: String { Decoder.string(pointer.pointee.trace_state) }
    public var flags: UInt32 { pointer.pointee.flags }
    public var name: String { Decoder.string(pointer.pointee.name) }
    public var kind: Int32 { Int32(pointer.pointee.kind.rawValue) }
    public var startTimeUnixNano: UInt64 { pointer.pointee.start_time_unix_nano }
    public var endTimeUnixNano: UInt64 { pointer.pointee.end_time_unix_nano }
    public var droppedAttributesCount: UInt32 { pointer.pointee.dropped_attributes_count }
    public var droppedEventsCount: UInt32 { pointer.pointee.dropped_events_count }
    public var droppedLinksCount: UInt32 { pointer.pointee.dropped_links_count }
    public var statusCode: Int32 { Int32(pointer.pointee.status?.pointee.code.rawValue ?? 0) }
    public var statusMessage: String { Decoder.string(pointer.pointee.status?.pointee.message) }

    public func writeAttributes(to writer: inout JSONWriter) {
        ProtobufAttributeJSON.write(pointer.pointee.attributes, pointer.pointee.n_attributes, to: &writer)
    }

    public func writeEvents(to writer: inout JSONWriter) {
        let events = Decoder.array(pointer.pointee.events, pointer.pointee.n_events) { $0 }
        SpanJSON.writeArray(to: &writer, count: events.count) { index, writer in
            let event = events[index].pointee
            SpanJSON.writeEvent(
                to: &writer, timeUnixNano: event.time_unix_nano, name: { $0.string(cString: event.name) },
                attributes: { ProtobufAttributeJSON.write(event.attributes, event.n_attributes, to: &$0) },
                droppedAttributesCount: event.dropped_attributes_count)
        }
    }

    public func writeLinks(to writer: inout JSONWriter) {
        let links = Decoder.array(pointer.pointee.links, pointer.pointee.n_links) { $0 }
        SpanJSON.writeArray(to: &writer, count: links.count) { index, writer in
            let link = links[index].pointee
            // Checked when the span was made.
            guard let traceID = TraceID(Decoder.buffer(link.trace_id)), let spanID = SpanID(Decoder.buffer(link.span_id)) else { return }
            SpanJSON.writeLink(
                to: &writer, traceID: traceID, spanID: spanID, traceState: { $0.string(cString: link.trace_state) },
                attributes: { ProtobufAttributeJSON.write(link.attributes, link.n_attributes, to: &$0) },
                droppedAttributesCount: link.dropped_attributes_count, flags: link.flags)
        }
    }

    /// The span as a ``Span`` value.
    public var span: Span {
        let span = pointer.pointee
        let links = Decoder.array(span.links, span.n_links) { link in
            Span.Link(
                traceID: TraceID(Decoder.buffer(link.pointee.trace_id)) ?? traceID, spanID: SpanID(Decoder.buffer(link.pointee.span_id)) ?? spanID,
                traceState: Decoder.string(link.pointee.trace_state),
                attributes: Decoder.attributes(link.pointee.attributes, link.pointee.n_attributes),
                droppedAttributesCount: link.pointee.dropped_attributes_count, flags: link.pointee.flags)
        }
        let events = Decoder.array(span.events, span.n_events) { event in
            Span.Event(
                timeUnixNano: event.pointee.time_unix_nano, name: Decoder.string(event.pointee.name),
                attributes: Decoder.attributes(event.pointee.attributes, event.pointee.n_attributes),
                droppedAttributesCount: event.pointee.dropped_attributes_count)
        }
        return Span(
            traceID: traceID, spanID: spanID, traceState: traceState, parentSpanID: parentSpanID, flags: flags,
            name: name, kind: kind, startTimeUnixNano: startTimeUnixNano, endTimeUnixNano: endTimeUnixNano,
            attributes: Decoder.attributes(span.attributes, span.n_attributes), droppedAttributesCount: droppedAttributesCount,
            events: events, droppedEventsCount: droppedEventsCount, links: links, droppedLinksCount: droppedLinksCount,
            status: Span.Status(code: statusCode, message: statusMessage))
    }
}
