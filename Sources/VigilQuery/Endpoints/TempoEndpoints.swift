import Hummingbird
import NIOCore
import VigilModel
import VigilOTLP
import VigilStorage

extension QueryAPI {
    /// `GET /api/traces/{id}` (Tempo v1: `{"batches": […]}`) and `GET /api/v2/traces/{id}`
    /// (`{"trace": {"resourceSpans": […]}}`); OTLP protobuf when the client accepts `application/protobuf`.
    func tempoTrace(_ id: String, accept: String, version: Int) async throws(APIError) -> Response {
        let traceID = try parseTraceID(id)
        guard let trace = try await storage({ try await traces.trace(traceID) }), !trace.spans.isEmpty else {
            throw APIError.notFound("trace \(traceID.hex) not found")
        }
        let groups = StoredSpans.groups(trace)
        if accept.contains("application/protobuf") || accept.contains("application/x-protobuf") {
            let trace = OTLPTraceEncoder.protobuf(groups)
            // v1 answers Tempo's `Trace` (wire-identical to OTLP `TracesData`); v2 answers
            // `TraceByIDResponse`, whose field 1 is that `Trace`.
            let body = version == 1 ? trace : OTLPTraceEncoder.wrapped(field: 1, trace)
            return Response(status: .ok, headers: [.contentType: "application/protobuf"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
        var w = JSONWriter(capacity: 4096)
        w.raw(version == 1 ? "{\"batches\":" : "{\"trace\":{\"resourceSpans\":")
        OTLPTraceEncoder.json(groups, to: &w)
        w.raw(version == 1 ? "}" : "}}")
        return JSONResponse.make(w.bytes)
    }
}

/// Turns stored span rows back into OTLP values, grouped by resource and scope.
enum StoredSpans {
    static func groups(_ trace: StoredTrace) -> [ScopedItems<Span>] {
        let resources = Dictionary(trace.resources.map { ($0.resourceID, resource($0)) }, uniquingKeysWith: { first, _ in first })
        let scopes = Dictionary(trace.scopes.map { ($0.scopeID, scope($0)) }, uniquingKeysWith: { first, _ in first })
        var order: [String] = []
        var groups: [String: ScopedItems<Span>] = [:]
        for row in trace.spans {
            guard let span = span(row) else { continue }
            let key = "\(row.resourceID)/\(row.scopeID)"
            if groups[key] == nil {
                order.append(key)
                groups[key] = ScopedItems(resource: resources[row.resourceID] ?? Resource(), scope: scopes[row.scopeID] ?? InstrumentationScope(), items: [])
            }
            groups[key]?.items.append(span)
        }
        return order.compactMap { groups[$0] }
    }

    private static func json(_ text: String) -> JSONValue {
        (try? JSONParser.parse(text)) ?? .null
    }

    private static func attributes(_ text: String) -> [Attribute] {
        AttributeJSON.attributes(from: json(text))
    }

    private static func uint32(_ value: JSONValue?) -> UInt32 {
        if case .number(let text) = value { return UInt32(text) ?? 0 }
        return 0
    }

    static func resource(_ row: StoredTrace.ResourceRow) -> Resource {
        let refs = (json(row.entityRefsJSON).arrayValue ?? []).map { ref in
            EntityRef(
                schemaURL: ref["schemaUrl"]?.stringValue ?? "", type: ref["type"]?.stringValue ?? "",
                idKeys: (ref["idKeys"]?.arrayValue ?? []).compactMap(\.stringValue),
                descriptionKeys: (ref["descriptionKeys"]?.arrayValue ?? []).compactMap(\.stringValue))
        }
        return Resource(
            attributes: attributes(row.attributesJSON), droppedAttributesCount: UInt32(clamping: row.droppedAttributesCount), entityRefs: refs,
            schemaURL: row.schemaURL)
    }

    static func scope(_ row: StoredTrace.ScopeRow) -> InstrumentationScope {
        InstrumentationScope(
            name: row.name, version: row.version, attributes: attributes(row.attributesJSON),
            droppedAttributesCount: UInt32(clamping: row.droppedAttributesCount), schemaURL: row.schemaURL)
    }

    static func span(_ row: StoredTrace.SpanRow) -> Span? {
        guard let traceID = TraceID(hex: row.traceID), let spanID = SpanID(hex: row.spanID) else { return nil }
        let events = (json(row.eventsJSON).arrayValue ?? []).map { event in
            Span.Event(
                timeUnixNano: event["timeUnixNano"].flatMap { if case .number(let text) = $0 { UInt64(text) } else { nil } } ?? 0,
                name: event["name"]?.stringValue ?? "", attributes: AttributeJSON.attributes(from: event["attributes"] ?? .null),
                droppedAttributesCount: uint32(event["droppedAttributesCount"]))
        }
        let links = (json(row.linksJSON).arrayValue ?? []).compactMap { link -> Span.Link? in
            guard let linkTrace = link["traceId"]?.stringValue.flatMap({ TraceID(hex: $0) }),
                let linkSpan = link["spanId"]?.stringValue.flatMap({ SpanID(hex: $0) })
            else { return nil }
            return Span.Link(
                traceID: linkTrace, spanID: linkSpan, traceState: link["traceState"]?.stringValue ?? "",
                attributes: AttributeJSON.attributes(from: link["attributes"] ?? .null), droppedAttributesCount: uint32(link["droppedAttributesCount"]),
                flags: uint32(link["flags"]))
        }
        return Span(
            traceID: traceID, spanID: spanID, traceState: row.traceState, parentSpanID: row.parentSpanID.flatMap { SpanID(hex: $0) },
            flags: UInt32(clamping: row.flags), name: row.name, kind: Int32(row.kind), startTimeUnixNano: UInt64(max(0, row.startTimeUnixNano)),
            endTimeUnixNano: UInt64(max(0, row.endTimeUnixNano)), attributes: attributes(row.attributesJSON),
            droppedAttributesCount: UInt32(clamping: row.droppedAttributesCount), events: events,
            droppedEventsCount: UInt32(clamping: row.droppedEventsCount), links: links, droppedLinksCount: UInt32(clamping: row.droppedLinksCount),
            status: Span.Status(code: Int32(row.statusCode), message: row.statusMessage))
    }
}
