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
        do throws(IngestError) {
            let rejections = try await store(signal, body: body, format: format)
            metrics.stored(signal, rejectedItems: Int(rejections.count))
            return rejections
        } catch {
            metrics.refused(signal, error.kind)
            throw error
        }
    }

    private func store(_ signal: OTLPSignal, body: [UInt8], format: PayloadFormat) async throws(IngestError) -> Rejections {
        guard body.count <= configuration.maxBodyBytes else {
            throw IngestError(.tooLarge, "request body of \(body.count) bytes exceeds the limit of \(configuration.maxBodyBytes) bytes")
        }
        let received = now()
        let encoder = TelemetryEncoder(nowUnixNano: received, retentionDays: configuration.retentionDays, maxFutureSkewNanos: configuration.maxFutureSkewNanos)
        var decodingRejections: Rejections
        var batch: EncodedBatch
        do throws(OTLPDecodingError) {
            switch signal {
            case .traces:
                if format == .json {
                    let decoded = try OTLPJSONDecoder.decodeTraces(body)
                    decodingRejections = decoded.rejected
                    batch = encoder.encode(spans: decoded)
                } else {
                    // Spans are encoded straight from the unpacked request.
                    (decodingRejections, batch) = try OTLPProtobufDecoder.withTraces(body) { decoded in (decoded.rejected, encoder.encode(spans: decoded)) }
                }
            case .metrics:
                let decoded = try format == .json ? OTLPJSONDecoder.decodeMetrics(body) : OTLPProtobufDecoder.decodeMetrics(body)
                decodingRejections = decoded.rejected
                batch = encoder.encode(metrics: decoded)
            case .logs:
                let decoded = try format == .json ? OTLPJSONDecoder.decodeLogs(body) : OTLPProtobufDecoder.decodeLogs(body)
                decodingRejections = decoded.rejected
                batch = encoder.encode(logs: decoded, receivedUnixNano: received)
            }
        } catch {
            throw IngestError(.invalidArgument, "cannot decode the \(signal.rawValue) request: \(error.message)")
        }
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
