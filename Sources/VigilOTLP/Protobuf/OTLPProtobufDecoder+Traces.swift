import COTLP
import VigilModel

extension OTLPProtobufDecoder {
    typealias CSpan = Opentelemetry__Proto__Trace__V1__Span

    /// Decodes an `ExportTraceServiceRequest`.
    public static func decodeTraces(_ body: [UInt8]) throws(OTLPDecodingError) -> ExportBatch<Span> {
        try withUnpacked(
            body,
            unpack: { opentelemetry__proto__collector__trace__v1__export_trace_service_request__unpack($0, $1, $2) },
            name: "ExportTraceServiceRequest"
        ) { request in
            var batch = ExportBatch<Span>()
            for (r, resourceSpans) in array(request.pointee.resource_spans, request.pointee.n_resource_spans, { $0 }).enumerated() {
                let resource = resource(resourceSpans.pointee.resource, schemaURL: resourceSpans.pointee.schema_url)
                for (s, scopeSpans) in array(resourceSpans.pointee.scope_spans, resourceSpans.pointee.n_scope_spans, { $0 }).enumerated() {
                    let scope = scope(scopeSpans.pointee.scope, schemaURL: scopeSpans.pointee.schema_url)
                    var spans: [Span] = []
                    spans.reserveCapacity(scopeSpans.pointee.n_spans)
                    for (i, cSpan) in array(scopeSpans.pointee.spans, scopeSpans.pointee.n_spans, { $0 }).enumerated() {
                        switch span(cSpan.pointee) {
                        case .success(let span): spans.append(span)
                        case .failure(let rejection):
                            batch.rejected.record("resourceSpans[\(r)].scopeSpans[\(s)].spans[\(i)]: \(rejection.reason)")
                        }
                    }
                    batch.groups.append(ScopedItems(resource: resource, scope: scope, items: spans))
                }
            }
            return batch
        }
    }

    private static func span(_ span: CSpan) -> Result<Span, ItemRejection> {
        let traceID: TraceID
        let spanID: SpanID
        let parentSpanID: SpanID?
        switch requiredTraceID(span.trace_id, field: "traceId") {
        case .success(let id): traceID = id
        case .failure(let rejection): return .failure(rejection)
        }
        switch requiredSpanID(span.span_id, field: "spanId") {
        case .success(let id): spanID = id
        case .failure(let rejection): return .failure(rejection)
        }
        switch optionalSpanID(span.parent_span_id, field: "parentSpanId") {
        case .success(let id): parentSpanID = id
        case .failure(let rejection): return .failure(rejection)
        }
        var links: [Span.Link] = []
        if let cLinks = span.links {
            for index in 0..<span.n_links {
                guard let link = cLinks[index]?.pointee else { continue }
                guard case .success(let linkTrace) = requiredTraceID(link.trace_id, field: "links[\(index)].traceId") else {
                    return .failure(ItemRejection("links[\(index)].traceId is not a valid 16-byte ID"))
                }
                guard case .success(let linkSpan) = requiredSpanID(link.span_id, field: "links[\(index)].spanId") else {
                    return .failure(ItemRejection("links[\(index)].spanId is not a valid 8-byte ID"))
                }
                links.append(Span.Link(
                    traceID: linkTrace, spanID: linkSpan, traceState: string(link.trace_state),
                    attributes: attributes(link.attributes, link.n_attributes), droppedAttributesCount: link.dropped_attributes_count,
                    flags: link.flags))
            }
        }
        let events = array(span.events, span.n_events) { event in
            Span.Event(
                timeUnixNano: event.pointee.time_unix_nano, name: string(event.pointee.name),
                attributes: attributes(event.pointee.attributes, event.pointee.n_attributes),
                droppedAttributesCount: event.pointee.dropped_attributes_count)
        }
        let status = span.status?.pointee
        return .success(Span(
            traceID: traceID, spanID: spanID, traceState: string(span.trace_state), parentSpanID: parentSpanID, flags: span.flags,
            name: string(span.name), kind: Int32(span.kind.rawValue), startTimeUnixNano: span.start_time_unix_nano,
            endTimeUnixNano: span.end_time_unix_nano, attributes: attributes(span.attributes, span.n_attributes),
            droppedAttributesCount: span.dropped_attributes_count, events: events, droppedEventsCount: span.dropped_events_count,
            links: links, droppedLinksCount: span.dropped_links_count,
            status: Span.Status(code: Int32(status?.code.rawValue ?? 0), message: string(status?.message))))
    }
}
