import VigilModel

extension OTLPJSONDecoder {
    static let spanKindNames = [
        "SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER", "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER",
    ]
    static let statusCodeNames = ["STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"]

    /// Decodes an `ExportTraceServiceRequest` in OTLP/JSON.
    public static func decodeTraces(_ body: [UInt8]) throws(OTLPDecodingError) -> ExportBatch<Span> {
        let root = try parse(body)
        var batch = ExportBatch<Span>()
        for resourceSpans in try root.objects("resourceSpans", "resource_spans") {
            let resource = try resource(resourceSpans)
            for scopeSpans in try resourceSpans.objects("scopeSpans", "scope_spans") {
                let scope = try scope(scopeSpans)
                var spans: [Span] = []
                for object in try scopeSpans.objects("spans") {
                    switch try span(object) {
                    case .success(let span): spans.append(span)
                    case .failure(let rejection): batch.rejected.record(rejection.reason)
                    }
                }
                batch.groups.append(ScopedItems(resource: resource, scope: scope, items: spans))
            }
        }
        return batch
    }

    private static func span(_ object: JSONObject) throws(OTLPDecodingError) -> Result<Span, ItemRejection> {
        let traceID: TraceID
        let spanID: SpanID
        let parentSpanID: SpanID?
        switch try Self.traceID(object, "traceId", "trace_id") {
        case .success(let id?) where !id.isZero: traceID = id
        case .success: return .failure(ItemRejection("\(object.fieldPath("traceId")) is missing or all zeros"))
        case .failure(let rejection): return .failure(rejection)
        }
        switch try Self.spanID(object, "spanId", "span_id") {
        case .success(let id?) where !id.isZero: spanID = id
        case .success: return .failure(ItemRejection("\(object.fieldPath("spanId")) is missing or all zeros"))
        case .failure(let rejection): return .failure(rejection)
        }
        switch try Self.spanID(object, "parentSpanId", "parent_span_id") {
        case .success(let id): parentSpanID = id
        case .failure(let rejection): return .failure(rejection)
        }
        var events: [Span.Event] = []
        for event in try object.objects("events") {
            events.append(Span.Event(
                timeUnixNano: try event.uint64("timeUnixNano", "time_unix_nano"), name: try event.string("name"),
                attributes: try attributes(event, "attributes"),
                droppedAttributesCount: try event.uint32("droppedAttributesCount", "dropped_attributes_count")))
        }
        var links: [Span.Link] = []
        for link in try object.objects("links") {
            guard case .success(let linkTrace?) = try Self.traceID(link, "traceId", "trace_id") else {
                return .failure(ItemRejection("\(link.path).traceId is not a 16-byte ID"))
            }
            guard case .success(let linkSpan?) = try Self.spanID(link, "spanId", "span_id") else {
                return .failure(ItemRejection("\(link.path).spanId is not an 8-byte ID"))
            }
            links.append(Span.Link(
                traceID: linkTrace, spanID: linkSpan, traceState: try link.string("traceState", "trace_state"),
                attributes: try attributes(link, "attributes"),
                droppedAttributesCount: try link.uint32("droppedAttributesCount", "dropped_attributes_count"),
                flags: try link.uint32("flags")))
        }
        let status = try object.object("status")
        return .success(Span(
            traceID: traceID, spanID: spanID, traceState: try object.string("traceState", "trace_state"), parentSpanID: parentSpanID,
            flags: try object.uint32("flags"), name: try object.string("name"), kind: try object.enumValue("kind", names: spanKindNames),
            startTimeUnixNano: try object.uint64("startTimeUnixNano", "start_time_unix_nano"),
            endTimeUnixNano: try object.uint64("endTimeUnixNano", "end_time_unix_nano"),
            attributes: try attributes(object, "attributes"),
            droppedAttributesCount: try object.uint32("droppedAttributesCount", "dropped_attributes_count"),
            events: events, droppedEventsCount: try object.uint32("droppedEventsCount", "dropped_events_count"),
            links: links, droppedLinksCount: try object.uint32("droppedLinksCount", "dropped_links_count"),
            status: Span.Status(
                code: try status?.enumValue("code", names: statusCodeNames) ?? 0,
                message: try status?.string("message") ?? "")))
    }
}
