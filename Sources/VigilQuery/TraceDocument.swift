import VigilModel
import VigilStorage

/// Renders a ``StoredTrace`` as the JSON of `GET /api/v1/traces/{traceId}`.
enum TraceDocument {
    static func render(_ trace: StoredTrace) -> [UInt8] {
        var w = JSONWriter(capacity: 4096)
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
            w.byte(UInt8(ascii: "}"))
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
            w.raw("{\"timeUnixNano\":"); w.quotedInteger(log.timeUnixNano)
            w.raw(",\"observedTimeUnixNano\":"); w.quotedInteger(log.observedTimeUnixNano)
            w.raw(",\"severityNumber\":"); w.integer(log.severityNumber)
            w.raw(",\"severityText\":"); w.string(log.severityText)
            w.raw(",\"hasBody\":"); w.bool(log.bodyJSON != nil)
            w.raw(",\"body\":"); w.raw(log.bodyJSON ?? "null")
            w.raw(",\"attributes\":"); w.raw(log.attributesJSON)
            w.raw(",\"droppedAttributesCount\":"); w.integer(log.droppedAttributesCount)
            w.raw(",\"flags\":"); w.integer(log.flags)
            w.raw(",\"traceId\":"); optional(log.traceID, &w)
            w.raw(",\"spanId\":"); optional(log.spanID, &w)
            w.raw(",\"eventName\":"); w.string(log.eventName)
            w.raw(",\"serviceName\":"); w.string(log.serviceName)
            w.raw(",\"resourceId\":"); w.quotedInteger(log.resourceID)
            w.raw(",\"scopeId\":"); w.quotedInteger(log.scopeID)
            w.byte(UInt8(ascii: "}"))
        }
        w.raw("],\"exemplars\":[")
        for (index, exemplar) in trace.exemplars.enumerated() {
            if index > 0 { w.byte(UInt8(ascii: ",")) }
            w.raw("{\"metric\":{\"name\":"); w.string(exemplar.metricName)
            w.raw(",\"type\":"); w.string(exemplar.metricType)
            w.raw(",\"unit\":"); w.string(exemplar.unit)
            w.raw(",\"seriesId\":"); w.quotedInteger(exemplar.seriesID)
            w.raw(",\"attributes\":"); w.raw(exemplar.seriesAttributesJSON)
            w.raw(",\"serviceName\":"); w.string(exemplar.serviceName)
            w.raw("},\"pointTimeUnixNano\":"); w.quotedInteger(exemplar.pointTimeUnixNano)
            w.raw(",\"timeUnixNano\":"); w.quotedInteger(exemplar.timeUnixNano)
            w.raw(",\"asDouble\":")
            if let value = exemplar.valueDouble { w.double(value) } else { w.raw("null") }
            w.raw(",\"asInt\":")
            if let value = exemplar.valueInt { w.quotedInteger(value) } else { w.raw("null") }
            w.raw(",\"traceId\":"); optional(exemplar.traceID, &w)
            w.raw(",\"spanId\":"); optional(exemplar.spanID, &w)
            w.raw(",\"filteredAttributes\":"); w.raw(exemplar.filteredAttributesJSON)
            w.byte(UInt8(ascii: "}"))
        }
        w.raw("]}")
        return w.bytes
    }

    private static func optional(_ text: String?, _ w: inout JSONWriter) {
        if let text { w.string(text) } else { w.raw("null") }
    }
}
