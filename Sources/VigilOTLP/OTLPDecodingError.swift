/// Why an OTLP request body could not be decoded at all (answered with 400 / INVALID_ARGUMENT).
/// Items that decode but break the specification are not errors: they are counted in
/// `partial_success` instead.
public struct OTLPDecodingError: Error, CustomStringConvertible, Sendable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// The three OTLP signals.
public enum OTLPSignal: String, Sendable, CaseIterable {
    case traces
    case metrics
    case logs
}

/// Why one item was dropped from an otherwise valid request.
struct ItemRejection: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}
