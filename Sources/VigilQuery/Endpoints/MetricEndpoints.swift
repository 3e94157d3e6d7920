import Hummingbird
import VigilModel
import VigilStorage

extension QueryAPI {
    /// `GET /api/v1/metrics/series`.
    func metricSeries(_ parameters: QueryParameters) async throws(APIError) -> Response {
        var after: (name: String, seriesID: Int64)?
        if let parts = try parameters.cursor(kind: "series") {
            guard parts.count == 2, let id = Int64(parts[1]) else { throw QueryParameters.invalid("cursor", "not a cursor returned by this endpoint") }
            after = (parts[0], id)
        }
        let limit = try parameters.limit(default: 100)
        let filter = MetricQuery.SeriesFilter(
            name: parameters.string("name"), service: parameters.string("service"), attributes: try parameters.attributeFilters(), limit: limit, after: after)
        let rows = try await storage { try await metrics.series(filter) }
        let page = rows.prefix(limit)
        var w = JSONWriter(capacity: 256 + page.count * 256)
        w.raw("{\"series\":[")
        for (index, series) in page.enumerated() {
            if index > 0 { w.byte(UInt8(ascii: ",")) }
            StoredJSON.write(series, to: &w)
        }
        w.byte(UInt8(ascii: "]"))
        StoredJSON.nextCursor(rows.count > limit ? page.last.map { Cursor.encode(kind: "series", [$0.name, String($0.seriesID)]) } : nil, &w)
        w.byte(UInt8(ascii: "}"))
        return JSONResponse.make(w.bytes)
    }

    /// `GET /api/v1/metrics/points`.
    func metricPoints(_ parameters: QueryParameters) async throws(APIError) -> Response {
        guard let text = parameters.string("series") else { throw QueryParameters.invalid("series", "is required (a seriesId from /api/v1/metrics/series)") }
        guard let seriesID = Int64(text) else { throw QueryParameters.invalid("series", "\"\(text.prefix(32))\" is not a series ID") }
        let after = try parameters.rowPositionCursor(kind: "points")
        let range = try parameters.range(defaultSpanNanos: 3_600_000_000_000)
        let limit = try parameters.limit(default: 1000)
        guard let series = try await storage({ try await metrics.series(id: seriesID) }) else {
            throw APIError.notFound("series \(seriesID) not found")
        }
        let rows = try await storage { try await metrics.points(seriesID: seriesID, range: range, limit: limit, after: after) }
        let page = rows.prefix(limit)
        var w = JSONWriter(capacity: 512 + page.count * 256)
        w.raw("{\"series\":")
        StoredJSON.write(series, to: &w)
        w.raw(",\"points\":[")
        for (index, point) in page.enumerated() {
            if index > 0 { w.byte(UInt8(ascii: ",")) }
            PointJSON.write(point, type: series.type, to: &w)
        }
        w.byte(UInt8(ascii: "]"))
        StoredJSON.nextCursor(rows.count > limit ? page.last.map { Cursor.encode(kind: "points", $0.position) } : nil, &w)
        w.byte(UInt8(ascii: "}"))
        return JSONResponse.make(w.bytes)
    }
}

/// The JSON of one metric point, with the fields of its series type.
enum PointJSON {
    static func write(_ point: MetricQuery.PointRow, type: String, to w: inout JSONWriter) {
        let c = point.columns
        w.raw("{\"timeUnixNano\":"); w.quotedInteger(point.timeUnixNano)
        w.raw(",\"startTimeUnixNano\":"); w.quotedInteger(point.startTimeUnixNano)
        w.raw(",\"flags\":"); w.integer(point.flags)
        switch type {
        case "gauge", "sum":
            w.raw(",\"asDouble\":"); double(c["value_double"], &w)
            w.raw(",\"asInt\":"); quoted(c["value_int"], &w)
        case "histogram":
            common(c, &w)
            w.raw(",\"bucketCounts\":"); quotedArray(c["bucket_counts"], &w)
            w.raw(",\"explicitBounds\":"); doubleArray(c["explicit_bounds"], &w)
        case "exponential_histogram":
            common(c, &w)
            w.raw(",\"scale\":"); w.raw(c["scale"] ?? "0")
            w.raw(",\"zeroCount\":"); quoted(c["zero_count"], &w)
            w.raw(",\"zeroThreshold\":"); double(c["zero_threshold"], &w)
            for side in ["positive", "negative"] {
                w.raw(",\""); w.raw(side); w.raw("\":{\"offset\":"); w.raw(c["\(side)_offset"] ?? "0")
                w.raw(",\"bucketCounts\":"); quotedArray(c["\(side)_bucket_counts"], &w)
                w.byte(UInt8(ascii: "}"))
            }
        case "summary":
            w.raw(",\"count\":"); quoted(c["count"], &w)
            w.raw(",\"sum\":"); double(c["sum"], &w)
            w.raw(",\"quantileValues\":[")
            for (index, (quantile, value)) in zip(elements(c["quantiles"]), elements(c["quantile_values"])).enumerated() {
                if index > 0 { w.byte(UInt8(ascii: ",")) }
                w.raw("{\"quantile\":"); double(quantile, &w)
                w.raw(",\"value\":"); double(value, &w)
                w.byte(UInt8(ascii: "}"))
            }
            w.byte(UInt8(ascii: "]"))
        default:
            break
        }
        w.raw(",\"exemplars\":[")
        for (index, exemplar) in point.exemplars.enumerated() {
            if index > 0 { w.byte(UInt8(ascii: ",")) }
            StoredJSON.write(exemplar, withMetric: false, to: &w)
        }
        w.raw("]}")
    }

    private static func common(_ c: [String: String], _ w: inout JSONWriter) {
        w.raw(",\"count\":"); quoted(c["count"], &w)
        w.raw(",\"sum\":"); double(c["sum"], &w)
        w.raw(",\"min\":"); double(c["min"], &w)
        w.raw(",\"max\":"); double(c["max"], &w)
    }

    /// A PostgreSQL float as a JSON number (or "NaN"/"Infinity" strings), `null` when NULL.
    private static func double(_ text: String?, _ w: inout JSONWriter) {
        guard let text else { return w.raw("null") }
        switch text {
        case "NaN", "Infinity", "-Infinity": w.string(text)
        default: w.raw(text)
        }
    }

    private static func quoted(_ text: String?, _ w: inout JSONWriter) {
        guard let text else { return w.raw("null") }
        w.string(text)
    }

    /// The elements of a one-dimensional PostgreSQL array literal of numbers (`{1,2,3}`).
    private static func elements(_ literal: String?) -> [String] {
        guard let literal, literal.count >= 2 else { return [] }
        let inner = literal.dropFirst().dropLast()
        return inner.isEmpty ? [] : inner.split(separator: ",").map(String.init)
    }

    private static func quotedArray(_ literal: String?, _ w: inout JSONWriter) {
        w.byte(UInt8(ascii: "["))
        for (index, element) in elements(literal).enumerated() {
            if index > 0 { w.byte(UInt8(ascii: ",")) }
            w.string(element)
        }
        w.byte(UInt8(ascii: "]"))
    }

    private static func doubleArray(_ literal: String?, _ w: inout JSONWriter) {
        w.byte(UInt8(ascii: "["))
        for (index, element) in elements(literal).enumerated() {
            if index > 0 { w.byte(UInt8(ascii: ",")) }
            double(element, &w)
        }
        w.byte(UInt8(ascii: "]"))
    }
}
