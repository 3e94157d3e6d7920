import Hummingbird
import Logging
import VigilModel
import VigilStorage

/// Vigil's read API on the API port.
public struct QueryAPI: Sendable {
    let traces: TraceStore
    let logger: Logger

    public init(pool: PostgresReadPool, logger: Logger) {
        self.traces = TraceStore(pool: pool)
        self.logger = logger
    }

    /// Adds the API routes to `router`.
    public func register(on router: Router<BasicRequestContext>) {
        router.add(middleware: APINotFoundMiddleware())
        router.get("/api/v1/traces/{traceId}") { _, context in
            try await trace(context.parameters.get("traceId") ?? "")
        }
        router.get("/-/healthy") { _, _ in
            JSONResponse.make(Array("{\"status\":\"ok\"}".utf8))
        }
    }

    func trace(_ id: String) async throws -> Response {
        guard let traceID = TraceID(hex: id), !traceID.isZero else {
            return APIError.badRequest("traceId \"\(id.prefix(64))\" is not 32 hexadecimal digits (a non-zero 16-byte trace ID)").response
        }
        do {
            guard let trace = try await traces.trace(traceID) else {
                return APIError.notFound("trace \(traceID.hex) not found").response
            }
            return JSONResponse.make(TraceDocument.render(trace))
        } catch {
            logger.error("trace query failed", metadata: ["error": "\(error)"])
            return error.isRetryable ? APIError.unavailable(error.message).response : APIError.internalError("the trace could not be read").response
        }
    }
}
