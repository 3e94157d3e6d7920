import GRPCCore
import VigilModel
import VigilOTLP

/// The three OTLP collector services over gRPC. Messages pass through as raw bytes: the
/// protobuf decoding happens in ``OTLPIngestor`` through protobuf-c.
public struct OTLPGRPCService: RegistrableRPCService {
    let ingestor: OTLPIngestor

    public init(ingestor: OTLPIngestor) {
        self.ingestor = ingestor
    }

    static let methods: [(OTLPSignal, MethodDescriptor)] = [
        (.traces, MethodDescriptor(fullyQualifiedService: "opentelemetry.proto.collector.trace.v1.TraceService", method: "Export")),
        (.metrics, MethodDescriptor(fullyQualifiedService: "opentelemetry.proto.collector.metrics.v1.MetricsService", method: "Export")),
        (.logs, MethodDescriptor(fullyQualifiedService: "opentelemetry.proto.collector.logs.v1.LogsService", method: "Export")),
    ]

    public func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
        for (signal, descriptor) in Self.methods {
            let ingestor = self.ingestor
            router.registerHandler(forMethod: descriptor, deserializer: MessageBytesDeserializer(), serializer: RawBytesSerializer()) { stream, _ in
                let request = try await ServerRequest(stream: stream)
                do throws(IngestError) {
                    let rejected = try await ingestor.ingest(signal, protobuf: request.message)
                    return StreamingServerResponse(single: ServerResponse(message: OTLPResponse.protobuf(rejected: rejected)))
                } catch {
                    return StreamingServerResponse(error: Self.rpcError(error))
                }
            }
        }
    }

    /// The gRPC status for a refused export, with the `google.rpc.Status` (and `RetryInfo` when
    /// retrying helps) in the `grpc-status-details-bin` trailer.
    static func rpcError(_ error: IngestError) -> RPCError {
        let code: RPCError.Code
        let number: Int32
        switch error.kind {
        case .invalidArgument: code = .invalidArgument; number = GRPCStatusCode.invalidArgument
        case .tooLarge: code = .resourceExhausted; number = GRPCStatusCode.resourceExhausted
        case .unavailable: code = .unavailable; number = GRPCStatusCode.unavailable
        case .internalError: code = .internalError; number = GRPCStatusCode.internalError
        }
        var metadata = Metadata()
        let details = OTLPResponse.statusProtobuf(code: number, message: error.message, retryAfterSeconds: error.kind == .unavailable ? error.retryAfterSeconds : nil)
        metadata.addBinary(details, forKey: "grpc-status-details-bin")
        return RPCError(code: code, message: error.message, metadata: metadata)
    }
}

/// Hands the message bytes through unchanged.
struct RawBytesSerializer: MessageSerializer {
    func serialize<Bytes: GRPCContiguousBytes>(_ message: [UInt8]) throws -> Bytes {
        Bytes(message)
    }
}

/// A request message as the transport delivered it, read in place by the protobuf decoder.
struct MessageBytes: OTLPRequestBytes, @unchecked Sendable {
    // @unchecked Sendable: the transport's bytes (a SwiftNIO ByteBuffer) are a value that only
    // the handler of this one request reads.
    let bytes: any GRPCContiguousBytes

    var count: Int { bytes.count }

    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes(body)
    }
}

/// Hands the message bytes through without copying them.
struct MessageBytesDeserializer: MessageDeserializer {
    func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> MessageBytes {
        MessageBytes(bytes: serializedMessageBytes)
    }
}
