import Hummingbird
import VigilModel
import VigilStorage

extension QueryAPI {
    /// `GET /api/v1/traces`: trace summaries by the spans they contain.
    func searchTraces(_ parameters: QueryParameters) async throws(APIError) -> Response {
        var statusCode: Int?
        if let status = parameters.string("status") {
            guard let code = ["unset": 0, "ok": 1, "error": 2][status.lowercased()] else {
                throw QueryParameters.invalid("status", "\"\(status.prefix(32))\" is not one of error, ok, unset")
            }
            statusCode = code
        }
        var cursor: TraceSearch.Cursor?
        if let parts = try parameters.cursor(kind: "traces") {
            guard parts.count == 2, let time = Int64(parts[0]), abs(time) < Self.cursorTimeLimit, let traceID = TraceID(hex: parts[1]) else {
                throw QueryParameters.invalid("cursor", "not a cursor returned by this endpoint")
            }
            cursor = TraceSearch.Cursor(timeMicros: time, traceID: traceID)
        }
        let minimum = try parameters.duration("minDuration")
        let maximum = try parameters.duration("maxDuration")
        if let minimum, let maximum, minimum > maximum { throw QueryParameters.invalid("minDuration", "is greater than maxDuration") }
        let filter = TraceSearch.Filter(
            range: try parameters.range(defaultSpanNanos: 3_600_000_000_000), service: parameters.string("service"),
            operation: parameters.string("operation"), minDurationNanos: minimum, maxDurationNanos: maximum, statusCode: statusCode,
            attributes: try parameters.attributeFilters(), limit: try parameters.limit(default: 20), cursor: cursor)
        let page = try await storage { try await traceSearch.search(filter) }
        var w = JSONWriter(capacity: 256 + page.traces.count * 256)
        w.raw("{\"traces\":[")
        for (index, trace) in page.traces.enumerated() {
            if index > 0 { w.byte(UInt8(ascii: ",")) }
            w.raw("{\"traceId\":"); w.string(trace.traceID.hex)
            w.raw(",\"rootServiceName\":"); w.string(trace.rootServiceName)
            w.raw(",\"rootSpanName\":"); w.string(trace.rootSpanName)
            w.raw(",\"startTimeUnixNano\":"); w.quotedInteger(trace.startTimeUnixNano)
            w.raw(",\"durationNanos\":"); w.quotedInteger(trace.durationNanos)
            w.raw(",\"spanCount\":"); w.integer(trace.spanCount)
            w.raw(",\"errorCount\":"); w.integer(trace.errorCount)
            w.raw(",\"services\":[")
            for (serviceIndex, service) in trace.services.enumerated() {
                if serviceIndex > 0 { w.byte(UInt8(ascii: ",")) }
                w.string(service)
            }
            w.raw("]}")
        }
        w.byte(UInt8(ascii: "]"))
        StoredJSON.nextCursor(page.next.map { Cursor.encode(kind: "traces", [String($0.timeMicros), $0.traceID.hex]) }, &w)
        w.byte(UInt8(ascii: "}"))
        return JSONResponse.make(w.bytes)
    }

    /// Cursor times are microseconds; PostgreSQL timestamps end in the year 294276.
    static let cursorTimeLimit: Int64 = 9_000_000_000_000_000

    static let severityNames = ["TRACE": 1, "DEBUG": 5, "INFO": 9, "WARN": 13, "WARNING": 13, "ERROR": 17, "FATAL": 21]

    /// `GET /api/v1/logs`: log records, newest first.
    func searchLogs(_ parameters: QueryParameters) async throws(APIError) -> Response {
        var severity: Int?
        if let text = parameters.string("severityMin") {
            if let number = Int(text), (1...24).contains(number) {
                severity = number
            } else if let number = Self.severityNames[text.uppercased()] {
                severity = number
            } else {
                throw QueryParameters.invalid("severityMin", "\"\(text.prefix(32))\" is not 1-24 or one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL")
            }
        }
        let cursor = try parameters.rowPositionCursor(kind: "logs", timeLimit: Self.cursorTimeLimit)
        let filter = LogSearch.Filter(
            range: try parameters.range(defaultSpanNanos: 3_600_000_000_000), service: parameters.string("service"), severityMin: severity,
            traceID: try parameters.traceID("traceId"), text: parameters.string("q"), attributes: try parameters.attributeFilters(),
            limit: try parameters.limit(default: 100), cursor: cursor)
        let page = try await storage { try await logSearch.search(filter) }
        var w = JSONWriter(capacity: 256 + page.logs.count * 512)
        w.raw("{\"logs\":[")
        for (index, log) in page.logs.enumerated() {
            if index > 0 { w.byte(UInt8(ascii: ",")) }
            StoredJSON.write(log, to: &w)
        }
        w.byte(UInt8(ascii: "]"))
        StoredJSON.nextCursor(page.next.map { Cursor.encode(kind: "logs", $0) }, &w)
        w.byte(UInt8(ascii: "}"))
        return JSONResponse.make(w.bytes)
    }
}
