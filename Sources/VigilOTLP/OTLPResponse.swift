import VigilModel

/// Encodes the answers of an OTLP export: the `Export*ServiceResponse` (with `partial_success`
/// only when something was rejected) and the `google.rpc.Status` of a failed request.
public enum OTLPResponse {
    /// The success response. Full success leaves `partial_success` unset, as the specification requires.
    public static func protobuf(rejected: Rejections) -> [UInt8] {
        guard rejected.count > 0 else { return [] }
        var partial = ProtobufWriter()
        partial.varint(field: 1, UInt64(bitPattern: rejected.count))
        partial.string(field: 2, rejected.firstMessage ?? "")
        var response = ProtobufWriter()
        response.message(field: 1, partial.bytes)
        return response.bytes
    }

    public static func json(rejected: Rejections, signal: OTLPSignal) -> [UInt8] {
        guard rejected.count > 0 else { return Array("{}".utf8) }
        var writer = JSONWriter()
        let countName = switch signal {
        case .traces: "rejectedSpans"
        case .metrics: "rejectedDataPoints"
        case .logs: "rejectedLogRecords"
        }
        writer.raw("{\"partialSuccess\":{")
        writer.key(countName)
        writer.quotedInteger(rejected.count)
        writer.raw(",\"errorMessage\":")
        writer.string(rejected.firstMessage ?? "")
        writer.raw("}}")
        return writer.bytes
    }

    /// `google.rpc.Status` in protobuf; with `retryAfterSeconds`, a `google.rpc.RetryInfo` detail.
    public static func statusProtobuf(code: Int32, message: String, retryAfterSeconds: Int64? = nil) -> [UInt8] {
        var status = ProtobufWriter()
        status.varint(field: 1, UInt64(bitPattern: Int64(code)))
        status.string(field: 2, message)
        if let retryAfterSeconds {
            var duration = ProtobufWriter()
            duration.varint(field: 1, UInt64(bitPattern: retryAfterSeconds))
            var retryInfo = ProtobufWriter()
            retryInfo.message(field: 1, duration.bytes)
            var any = ProtobufWriter()
            any.string(field: 1, "type.googleapis.com/google.rpc.RetryInfo")
            any.message(field: 2, retryInfo.bytes)
            status.message(field: 3, any.bytes)
        }
        return status.bytes
    }

    /// `google.rpc.Status` in the protobuf JSON mapping.
    public static func statusJSON(code: Int32, message: String, retryAfterSeconds: Int64? = nil) -> [UInt8] {
        var writer = JSONWriter()
        writer.raw("{\"code\":")
        writer.integer(code)
        writer.raw(",\"message\":")
        writer.string(message)
        if let retryAfterSeconds {
            writer.raw(",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"")
            writer.integer(retryAfterSeconds)
            writer.raw("s\"}]")
        }
        writer.byte(UInt8(ascii: "}"))
        return writer.bytes
    }
}

/// gRPC status codes used in OTLP answers.
public enum GRPCStatusCode {
    public static let invalidArgument: Int32 = 3
    public static let resourceExhausted: Int32 = 8
    public static let unimplemented: Int32 = 12
    public static let internalError: Int32 = 13
    public static let unavailable: Int32 = 14
}
