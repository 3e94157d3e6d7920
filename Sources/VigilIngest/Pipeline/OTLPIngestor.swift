import Logging
import VigilModel
import VigilOTLP
import VigilStorage

/// The transport-independent part of an export: decode, drop invalid items, encode rows, hand
/// them to the group-commit writer and wait for the commit.
public struct OTLPIngestor: Sendable {
    /// How an export body is encoded.
    public enum PayloadFormat: Sendable {
        case protobuf
        case json
    }

    public struct Configuration: Sendable {
        /// Largest accepted body after decompression, in bytes.
        public var maxBodyBytes: Int
        /// Days of data kept; older items are rejected at ingest.
        public var retentionDays: Int
        /// How far in the future (ns) an item's time may lie.
        public var maxFutureSkewNanos: Int64
        /// Seconds clients are told to wait when the store is unavailable.
        public var retryAfterSeconds: Int64

        public init(maxBodyBytes: Int = 64 << 20, retentionDays: Int = 7, maxFutureSkewNanos: Int64 = 86_400_000_000_000, retryAfterSeconds: Int64 = 5) {
            self.maxBodyBytes = maxBodyBytes
            self.retentionDays = retentionDays
            self.maxFutureSkewNanos = maxFutureSkewNanos
            self.retryAfterSeconds = retryAfterSeconds
        }
    }

    public let configuration: Configuration
    private let writer: IngestWriter
    private let now: @Sendable () -> Int64
    private let logger: Logger
    private let metrics: IngestMetrics

    /// - Parameter now: the current Unix time in nanoseconds (injected for tests).
    public init(configuration: Configuration, writer: IngestWriter, logger: Logger, now: @escaping @Sendable () -> Int64) {
        self.configuration = configuration
        self.writer = writer
        self.logger = logger
        self.now = now
        self.metrics = IngestMetrics()
    }

    /// Stores what can be stored of one export request.
    ///
    /// - Returns: the items dropped as invalid or unstorable (for `partial_success`).
    /// - Throws: ``IngestError`` when the request as a whole is refused.
    public func ingest(_ signal: OTLPSignal, body: [UInt8], format: PayloadFormat) async throws(IngestError) -> Rejections {
        switch format {
        case .protobuf:
            return try await ingest(signal, protobuf: body)
        case .json:
            return try await store(signal, bodyCount: body.count) { (encoder, received) throws(OTLPDecodingError) in
                try Self.decodeJSON(signal, body, encoder: encoder, received: received)
            }
        }
    }

    /// ``ingest(_:body:format:)`` for a protobuf body read where it lies (the gRPC receiver's
    /// message buffer), without copying it first.
    public func ingest(_ signal: OTLPSignal, protobuf body: some OTLPRequestBytes) async throws(IngestError) -> Rejections {
        try await store(signal, bodyCount: body.count) { (encoder, received) throws(OTLPDecodingError) in
            try Self.decodeProtobuf(signal, body, encoder: encoder, received: received)
        }
    }

    /// Checks the size, decodes and encodes with `decode` (given the encoder for the request's
    /// time window and the receive time), waits for the commit, and counts the outcome in the
    /// self-metrics. A body that cannot be decoded refuses the whole request.
    private func store(
        _ signal: OTLPSignal, bodyCount: Int,
        _ decode: (TelemetryEncoder, Int64) throws(OTLPDecodingError) -> (Rejections, EncodedBatch)
    ) async throws(IngestError) -> Rejections {
        do throws(IngestError) {
            guard bodyCount <= configuration.maxBodyBytes else {
                throw IngestError(.tooLarge, "request body of \(bodyCount) bytes exceeds the limit of \(configuration.maxBodyBytes) bytes")
            }
            let received = now()
            let encoder = TelemetryEncoder(nowUnixNano: received, retentionDays: configuration.retentionDays, maxFutureSkewNanos: configuration.maxFutureSkewNanos)
            let decoded: (Rejections, EncodedBatch)
            do throws(OTLPDecodingError) {
                decoded = try decode(encoder, received)
            } catch {
                throw IngestError(.invalidArgument, "cannot decode the \(signal.rawValue) request: \(error.message)")
            }
            let rejections = try await commit(signal, rejected: decoded.0, batch: decoded.1)
            metrics.stored(signal, rejectedItems: Int(rejections.count))
            return rejections
        } catch {
            metrics.refused(signal, error.kind)
            throw error
        }
    }

    private static func decodeProtobuf(
        _ signal: OTLPSignal, _ body: some OTLPRequestBytes, encoder: TelemetryEncoder, received: Int64
    ) throws(OTLPDecodingError) -> (Rejections, EncodedBatch) {
        switch signal {
        case .traces:
            // Spans are encoded straight from the unpacked request.
            return try OTLPProtobufDecoder.withTraces(body) { decoded in (decoded.rejected, encoder.encode(spans: decoded)) }
        case .metrics:
            let decoded = try OTLPProtobufDecoder.decodeMetrics(body)
            return (decoded.rejected, encoder.encode(metrics: decoded))
        case .logs:
            let decoded = try OTLPProtobufDecoder.decodeLogs(body)
            return (decoded.rejected, encoder.encode(logs: decoded, receivedUnixNano: received))
        }
    }

    private static func decodeJSON(_ signal: OTLPSignal, _ body: [UInt8], encoder: TelemetryEncoder, received: Int64) throws(OTLPDecodingError) -> (Rejections, EncodedBatch) {
        switch signal {
        case .traces:
            let decoded = try OTLPJSONDecoder.decodeTraces(body)
            return (decoded.rejected, encoder.encode(spans: decoded))
        case .metrics:
            let decoded = try OTLPJSONDecoder.decodeMetrics(body)
            return (decoded.rejected, encoder.encode(metrics: decoded))
        case .logs:
            let decoded = try OTLPJSONDecoder.decodeLogs(body)
            return (decoded.rejected, encoder.encode(logs: decoded, receivedUnixNano: received))
        }
    }

    /// Hands the rows to the writer and waits for the commit.
    private func commit(_ signal: OTLPSignal, rejected: Rejections, batch: EncodedBatch) async throws(IngestError) -> Rejections {
        var decodingRejections = rejected
        decodingRejections.merge(batch.rejected)
        do {
            try await writer.write(batch)
        } catch let error as StorageError where error.isRetryable {
            throw IngestError(.unavailable, "cannot store the \(signal.rawValue) now: \(error.message)", retryAfterSeconds: configuration.retryAfterSeconds)
        } catch {
            // PostgreSQL's message may quote the data; it goes to the log, not to the client.
            logger.error("export could not be stored", metadata: ["otlp.signal": "\(signal.rawValue)", "error": "\(error)"])
            throw IngestError(.internalError, "the \(signal.rawValue) could not be stored; the server log has the details")
        }
        if decodingRejections.count > 0 {
            logger.debug("dropped invalid items", metadata: [
                "otlp.signal": "\(signal.rawValue)", "otlp.rejected": "\(decodingRejections.count)",
                "otlp.reason": "\(decodingRejections.firstMessage ?? "")",
            ])
        }
        return decodingRejections
    }
}
