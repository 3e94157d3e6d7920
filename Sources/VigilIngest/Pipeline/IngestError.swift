/// Why an export request was refused, with the answer each transport gives.
public struct IngestError: Error, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// Undecodable body: HTTP 400, gRPC INVALID_ARGUMENT.
        case invalidArgument = "invalid"
        /// Body over the limit: HTTP 413, gRPC RESOURCE_EXHAUSTED.
        case tooLarge = "too_large"
        /// Store unreachable or write queue full: HTTP 503 with Retry-After, gRPC UNAVAILABLE with RetryInfo.
        case unavailable
        /// The store refused the data: HTTP 500, gRPC INTERNAL.
        case internalError = "failed"
    }

    public var kind: Kind
    public var message: String
    /// Seconds a client should wait before retrying (``Kind/unavailable`` only).
    public var retryAfterSeconds: Int64?

    public init(_ kind: Kind, _ message: String, retryAfterSeconds: Int64? = nil) {
        self.kind = kind
        self.message = message
        self.retryAfterSeconds = retryAfterSeconds
    }

    public var description: String { message }
}
