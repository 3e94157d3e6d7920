import Hummingbird
import VigilModel
import VigilStorage

extension QueryAPI {
    static let spanKindNames = ["unspecified", "internal", "server", "client", "producer", "consumer"]

    /// `GET /api/v1/services`.
    func services() async throws(APIError) -> Response {
        let names = try await storage { try await catalog.services() }
        var w = JSONWriter()
        w.raw("{\"services\":[")
        for (index, name) in names.enumerated() {
            if index > 0 { w.byte(UInt8(ascii: ",")) }
            w.raw("{\"name\":"); w.string(name); w.byte(UInt8(ascii: "}"))
        }
        w.raw("]}")
        return JSONResponse.make(w.bytes)
    }

    /// `GET /api/v1/services/{service}/operations`.
    func operations(service: String, _ parameters: QueryParameters) async throws(APIError) -> Response {
        let range = try parameters.range(defaultSpanNanos: 86_400_000_000_000)
        let operations = try await storage { try await catalog.operations(service: service, range: range) }
        var w = JSONWriter()
        w.raw("{\"operations\":[")
        for (index, operation) in operations.enumerated() {
            if index > 0 { w.byte(UInt8(ascii: ",")) }
            w.raw("{\"name\":"); w.string(operation.name)
            w.raw(",\"spanKind\":"); w.integer(operation.spanKind)
            w.raw(",\"spanKindName\":"); w.string(Self.spanKindNames.indices.contains(operation.spanKind) ? Self.spanKindNames[operation.spanKind] : "unknown")
            w.byte(UInt8(ascii: "}"))
        }
        w.raw("]}")
        return JSONResponse.make(w.bytes)
    }

    /// `GET /api/v1/red`: request rate, error ratio and latency quantiles per service and operation.
    func red(_ parameters: QueryParameters) async throws(APIError) -> Response {
        let range = try parameters.range(defaultSpanNanos: 86_400_000_000_000)
        var kinds: [Int] = []
        for text in parameters.all("spanKind") {
            if let number = Int(text), (0...5).contains(number) {
                kinds.append(number)
            } else if let number = Self.spanKindNames.firstIndex(of: text.lowercased()) {
                kinds.append(number)
            } else {
                throw QueryParameters.invalid("spanKind", "\"\(text.prefix(32))\" is not 0-5 or one of \(Self.spanKindNames.joined(separator: ", "))")
            }
        }
        let step: Int64
        if let nanos = try parameters.duration("step") {
            guard nanos >= 60_000_000_000, nanos % 60_000_000_000 == 0 else { throw QueryParameters.invalid("step", "must be a whole number of minutes, at least 60s") }
            step = nanos / 1_000_000_000
        } else {
            let seconds = (range.end - range.start + 999_999_999) / 1_000_000_000
            step = max(60, ((seconds + 119) / 120 + 59) / 60 * 60)
        }
        let filter = REDQuery.Filter(
            range: range, stepSeconds: step, service: parameters.string("service"), operation: parameters.string("operation"),
            spanKinds: kinds.isEmpty ? [2, 5] : kinds)
        let series = try await storage { try await redQuery.series(filter) }
        var w = JSONWriter(capacity: 1024)
        w.raw("{\"step\":"); w.integer(step)
        w.raw(",\"series\":[")
        for (index, entry) in series.enumerated() {
            if index > 0 { w.byte(UInt8(ascii: ",")) }
            w.raw("{\"service\":"); w.string(entry.service)
            w.raw(",\"operation\":"); w.string(entry.operation)
            w.raw(",\"points\":[")
            for (pointIndex, point) in entry.points.enumerated() {
                if pointIndex > 0 { w.byte(UInt8(ascii: ",")) }
                w.raw("{\"time\":"); w.integer(point.time)
                w.raw(",\"requests\":"); w.integer(point.requests)
                w.raw(",\"requestRate\":"); w.double(Double(point.requests) / Double(step))
                w.raw(",\"errors\":"); w.integer(point.errors)
                w.raw(",\"errorRatio\":")
                if point.requests > 0 { w.double(Double(point.errors) / Double(point.requests)) } else { w.raw("null") }
                w.raw(",\"latency\":")
                if let quantiles = point.latencyQuantiles {
                    w.raw("{\"p50\":"); w.double(quantiles[0])
                    w.raw(",\"p90\":"); w.double(quantiles[1])
                    w.raw(",\"p99\":"); w.double(quantiles[2])
                    w.byte(UInt8(ascii: "}"))
                } else {
                    w.raw("null")
                }
                w.byte(UInt8(ascii: "}"))
            }
            w.raw("]}")
        }
        w.raw("]}")
        return JSONResponse.make(w.bytes)
    }
}
