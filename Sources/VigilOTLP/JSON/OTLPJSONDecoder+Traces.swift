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

    /// Decodes every field first, so a malformed document fails as a whole even when its IDs
    /// are also invalid; then checks the IDs.
    private static func span(_ object: JSONObject) throws(OTLPDecodingError) -> Result<Span, ItemRejection> {
        let traceIDField = try Self.traceID(object, "traceId", "trace_id")
        let spanIDField = try Self.spanID(object, "spanId", "span_id")
        let parentField = try Self.spanID(object, "parentSpanId", "parent_span_id")
        var events: [Span.Event] = []
        for event in try object.objects("events") {
            events.append(Span.Event(
                timeUnixNano: try event.uint64("timeUnixNano", "time_unix_nano"), name: try event.string("name"),
                attributes: try attributes(event, "attributes"),
                droppedAttributesCount: try event.uint32("droppedAttributesCount", "dropped_attributes_count")))
        }
        var links: [Span.Link] = []
        var linkRejection: ItemRejection?
        for link in try object.objects("links") {
            let linkTrace = try Self.traceID(link, "traceId", "trace_id")
            let linkSpan = try Self.spanID(link, "spanId", "span_id")
            let traceState = try link.string("traceState", "trace_state")
            let attributes = try attributes(link, "attributes")
            let dropped = try link.uint32("droppedAttributesCount", "dropped_attributes_count")
            let flags = try link.uint32("flags")
            guard case .success(let traceID?) = linkTrace, !traceID.isZero, case .success(let spanID?) = linkSpan, !spanID.isZero else {
                linkRejection = linkRejection ?? ItemRejection("\(link.path) does not have a valid 16-byte traceId and 8-byte spanId")
                continue
            }
            links.append(Span.Link(traceID: traceID, spanID: spanID, traceState: traceState, attributes: attributes, droppedAttributesCount: dropped, flags: flags))
        }
        let status = try object.object("status")
        let statusCode = try status?.enumValue("code", names: statusCodeNames) ?? 0
        let statusMessage = try status?.string("message") ?? ""
        let traceState = try object.string("traceState", "trace_state")
        let flags = try object.uint32("flags")
        let name = try object.string("name")
        let kind = try object.enumValue("kind", names: spanKindNames)
        let start = try object.uint64("startTimeUnixNano", "start_time_unix_nano")
        let end = try object.uint64("endTimeUnixNano", "end_time_unix_nano")
        let attributes = try attributes(object, "attributes")
        let droppedAttributes = try object.uint32("droppedAttributesCount", "dropped_attributes_count")
        let droppedEvents = try object.uint32("droppedEventsCount", "dropped_events_count")
        let droppedLinks = try object.uint32("droppedLinksCount", "dropped_links_count")

        let traceID: TraceID
        let spanID: SpanID
        let parentSpanID: SpanID?
        switch traceIDField {
        case .success(let id?) where !id.isZero: traceID = id
        case .success: return .failure(ItemRejection("\(object.fieldPath("traceId")) is missing or all zeros"))
        case .failure(let rejection): return .failure(rejection)
        }
        switch spanIDField {
        case .success(let id?) where !id.isZero: spanID = id
        case .success: return .failure(ItemRejection("\(object.fieldPath("spanId")) is missing or all zeros"))
        case .failure(let rejection): return .failure(rejection)
        }
        switch parentField {
        case .success(let id): parentSpanID = id?.isZero == true ? nil : id
        case .failure(let rejection): return .failure(rejection)
        }
        if let linkRejection { return .failure(linkRejection) }
        return .success(Span(
            traceID: traceID, spanID: spanID, traceState: traceState, parentSpanID: parentSpanID, flags: flags, name: name, kind: kind,
            startTimeUnixNano: start, endTimeUnixNano: end, attributes: attributes, droppedAttributesCount: droppedAttributes,
            events: events, droppedEventsCount: droppedEvents, links: links, droppedLinksCount: droppedLinks,
            status: Span.Status(code: statusCode, message: statusMessage)))
    }
}
