import VigilModel
import VigilStorage

/// Renders a ``StoredTrace`` as the JSON of `GET /api/v1/traces/{traceId}`.
enum TraceDocument {
    static func render(_ trace: StoredTrace) -> [UInt8] {
        var w = JSONWriter(capacity: 4096)
        let logsBySpan = Dictionary(grouping: trace.logs.filter { $0.spanID != nil }, by: { $0.spanID! })
        w.raw("{\"traceId\":"); w.string(trace.traceID.hex)
        w.raw(",\"spans\":[")
        for (index, span) in trace.spans.enumerated() {
            if index > 0 { w.byte(UInt8(ascii: ",")) }
            w.raw("{\"traceId\":"); w.string(span.traceID)
            w.raw(",\"spanId\":"); w.string(span.spanID)
            w.raw(",\"parentSpanId\":"); optional(span.parentSpanID, &w)
            w.raw(",\"traceState\":"); w.string(span.traceState)
            w.raw(",\"flags\":"); w.integer(span.flags)
            w.raw(",\"name\":"); w.string(span.name)
            w.raw(",\"kind\":"); w.integer(span.kind)
            w.raw(",\"startTimeUnixNano\":"); w.quotedInteger(span.startTimeUnixNano)
            w.raw(",\"endTimeUnixNano\":"); w.quotedInteger(span.endTimeUnixNano)
            w.raw(",\"durationNanos\":"); w.quotedInteger(span.endTimeUnixNano - span.startTimeUnixNano)
            w.raw(",\"attributes\":"); w.raw(span.attributesJSON)
            w.raw(",\"droppedAttributesCount\":"); w.integer(span.droppedAttributesCount)
            w.raw(",\"events\":"); w.raw(span.eventsJSON)
            w.raw(",\"droppedEventsCount\":"); w.integer(span.droppedEventsCount)
            w.raw(",\"links\":"); w.raw(span.linksJSON)
            w.raw(",\"droppedLinksCount\":"); w.integer(span.droppedLinksCount)
            w.raw(",\"status\":{\"code\":"); w.integer(span.statusCode)
            w.raw(",\"message\":"); w.string(span.statusMessage)
            w.raw("},\"serviceName\":"); w.string(span.serviceName)
            w.raw(",\"resourceId\":"); w.quotedInteger(span.resourceID)
            w.raw(",\"scopeId\":"); w.quotedInteger(span.scopeID)
            w.raw(",\"logs\":[")
            for (logIndex, log) in (logsBySpan[span.spanID] ?? []).enumerated() {
                if logIndex > 0 { w.byte(UInt8(ascii: ",")) }
                StoredJSON.write(log, to: &w)
            }
            w.raw("]}")
        }
        w.raw("],\"resources\":[")
        for (index, resource) in trace.resources.enumerated() {
            if index > 0 { w.byte(UInt8(ascii: ",")) }
            w.raw("{\"resourceId\":"); w.quotedInteger(resource.resourceID)
            w.raw(",\"serviceName\":"); w.string(resource.serviceName)
            w.raw(",\"attributes\":"); w.raw(resource.attributesJSON)
            w.raw(",\"droppedAttributesCount\":"); w.integer(resource.droppedAttributesCount)
            w.raw(",\"entityRefs\":"); w.raw(resource.entityRefsJSON)
            w.raw(",\"schemaUrl\":"); w.string(resource.schemaURL)
            w.byte(UInt8(ascii: "}"))
        }
        w.raw("],\"scopes\":[")
        for (index, scope) in trace.scopes.enumerated() {
            if index > 0 { w.byte(UInt8(ascii: ",")) }
            w.raw("{\"scopeId\":"); w.quotedInteger(scope.scopeID)
            w.raw(",\"name\":"); w.string(scope.name)
            w.raw(",\"version\":"); w.string(scope.version)
            w.raw(",\"attributes\":"); w.raw(scope.attributesJSON)
            w.raw(",\"droppedAttributesCount\":"); w.integer(scope.droppedAttributesCount)
            w.raw(",\"schemaUrl\":"); w.string(scope.schemaURL)
            w.byte(UInt8(ascii: "}"))
        }
        w.raw("],\"logs\":[")
        for (index, log) in trace.logs.enumerated() {
            if index > 0 { w.byte(UInt8(ascii: ",")) }
            StoredJSON.write(log, to: &w)
        }
        w.raw("],\"exemplars\":[")
        for (index, exemplar) in trace.exemplars.enumerated() {
            if index > 0 { w.byte(UInt8(ascii: ",")) }
            StoredJSON.write(exemplar, withMetric: true, to: &w)
        }
        w.raw("]}")
        return w.bytes
    }

    private static func optional(_ text: String?, _ w: inout JSONWriter) {
        StoredJSON.optional(text, &w)
    }
}
