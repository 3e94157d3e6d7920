import VigilModel
import VigilStorage

/// JSON forms of stored rows shared by several endpoints. jsonb columns are copied as the JSON
/// PostgreSQL returned; 64-bit numbers are written as strings, as in OTLP/JSON.
enum StoredJSON {
    static func write(_ log: StoredTrace.LogRow, to w: inout JSONWriter) {
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

    static func write(_ exemplar: StoredTrace.ExemplarRow, withMetric: Bool, to w: inout JSONWriter) {
        w.byte(UInt8(ascii: "{"))
        if withMetric {
            w.raw("\"metric\":{\"name\":"); w.string(exemplar.metricName)
            w.raw(",\"type\":"); w.string(exemplar.metricType)
            w.raw(",\"unit\":"); w.string(exemplar.unit)
            w.raw(",\"seriesId\":"); w.quotedInteger(exemplar.seriesID)
            w.raw(",\"attributes\":"); w.raw(exemplar.seriesAttributesJSON)
            w.raw(",\"serviceName\":"); w.string(exemplar.serviceName)
            w.raw("},")
        }
        w.raw("\"pointTimeUnixNano\":"); w.quotedInteger(exemplar.pointTimeUnixNano)
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

    static func write(_ series: MetricQuery.SeriesRow, to w: inout JSONWriter) {
        w.raw("{\"seriesId\":"); w.quotedInteger(series.seriesID)
        w.raw(",\"name\":"); w.string(series.name)
        w.raw(",\"description\":"); w.string(series.description)
        w.raw(",\"unit\":"); w.string(series.unit)
        w.raw(",\"type\":"); w.string(series.type)
        w.raw(",\"temporality\":")
        if let temporality = series.temporality { w.integer(temporality) } else { w.raw("null") }
        w.raw(",\"isMonotonic\":")
        if let monotonic = series.isMonotonic { w.bool(monotonic) } else { w.raw("null") }
        w.raw(",\"attributes\":"); w.raw(series.attributesJSON)
        w.raw(",\"metadata\":"); w.raw(series.metadataJSON)
        w.raw(",\"serviceName\":"); w.string(series.serviceName)
        w.raw(",\"resourceId\":"); w.quotedInteger(series.resourceID)
        w.byte(UInt8(ascii: "}"))
    }

    static func optional(_ text: String?, _ w: inout JSONWriter) {
        if let text { w.string(text) } else { w.raw("null") }
    }

    /// `"nextCursor": "…"` or `null`.
    static func nextCursor(_ cursor: String?, _ w: inout JSONWriter) {
        w.raw(",\"nextCursor\":")
        optional(cursor, &w)
    }
}
