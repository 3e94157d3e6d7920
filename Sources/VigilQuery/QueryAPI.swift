import Foundation
import Hummingbird
import Logging
import VigilModel
import VigilStorage

/// Vigil's read API on the API port: traces, logs, services, RED, metrics and the
/// Tempo-compatible trace endpoints. See docs/api.md and schemas/openapi.yaml.
public struct QueryAPI: Sendable {
    let traces: TraceStore
    let traceSearch: TraceSearch
    let logSearch: LogSearch
    let catalog: ServiceCatalog
    let redQuery: REDQuery
    let metrics: MetricQuery
    let logger: Logger
    let now: @Sendable () -> Int64

    /// - Parameter now: the current Unix time in nanoseconds, the default end of time ranges.
    public init(pool: PostgresReadPool, logger: Logger, now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1e9) }) {
        self.traces = TraceStore(pool: pool)
        self.traceSearch = TraceSearch(pool: pool)
        self.logSearch = LogSearch(pool: pool)
        self.catalog = ServiceCatalog(pool: pool)
        self.redQuery = REDQuery(pool: pool)
        self.metrics = MetricQuery(pool: pool)
        self.logger = logger
        self.now = now
    }

    /// Adds the API routes to `router`.
    public func register(on router: Router<BasicRequestContext>) {
        router.add(middleware: APINotFoundMiddleware())
        route(router, "/api/v1/traces/{traceId}") { _, context in try await trace(pathParameter("traceId", context)) }
        route(router, "/api/v1/traces") { request, _ in try await searchTraces(parameters(request)) }
        route(router, "/api/v1/logs") { request, _ in try await searchLogs(parameters(request)) }
        route(router, "/api/v1/services") { _, _ in try await services() }
        route(router, "/api/v1/services/{service}/operations") { request, context in
            try await operations(service: pathParameter("service", context), parameters(request))
        }
        route(router, "/api/v1/red") { request, _ in try await red(parameters(request)) }
        route(router, "/api/v1/metrics/series") { request, _ in try await metricSeries(parameters(request)) }
        route(router, "/api/v1/metrics/points") { request, _ in try await metricPoints(parameters(request)) }
        route(router, "/api/traces/{traceId}") { request, context in
            try await tempoTrace(pathParameter("traceId", context), accept: request.headers[.accept] ?? "", version: 1)
        }
        route(router, "/api/v2/traces/{traceId}") { request, context in
            try await tempoTrace(pathParameter("traceId", context), accept: request.headers[.accept] ?? "", version: 2)
        }
        router.get("/api/echo") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "echo")))
        }
        router.get("/-/healthy") { _, _ in
            JSONResponse.make(Array("{\"status\":\"ok\"}".utf8))
        }
    }

    private func route(
        _ router: Router<BasicRequestContext>, _ path: String,
        _ handler: @escaping @Sendable (Request, BasicRequestContext) async throws -> Response
    ) {
        router.get(RouterPath(stringLiteral: path)) { request, context in
            do {
                return try await handler(request, context)
            } catch let error as APIError {
                return error.response
            } catch {
                logger.error("API request failed", metadata: ["error": "\(error)"])
                return APIError.internalError("the request failed; the server log has the details").response
            }
        }
    }

    /// A path segment, percent-decoded (`web%20frontend` is `web frontend`).
    func pathParameter(_ name: String, _ context: BasicRequestContext) -> String {
        let raw = context.parameters.get(name) ?? ""
        return raw.removingPercentEncoding ?? raw
    }

    func parameters(_ request: Request) -> QueryParameters {
        QueryParameters(request, now: now())
    }

    /// Runs a storage call, turning its errors into API errors (503 when retrying helps).
    func storage<T: Sendable>(_ body: () async throws -> T) async throws(APIError) -> T {
        do {
            return try await body()
        } catch let error as APIError {
            throw error
        } catch {
            logger.error("query failed", metadata: ["error": "\(error)"])
            let retryable = (error as? StorageError)?.isRetryable ?? false
            throw retryable ? APIError.unavailable("the database is not reachable; retry later") : APIError.internalError("the query failed; the server log has the details")
        }
    }

    func parseTraceID(_ id: String) throws(APIError) -> TraceID {
        guard let traceID = TraceID(hex: id), !traceID.isZero else {
            throw APIError.badRequest("parameter traceId: \"\(id.prefix(64))\" is not 32 hexadecimal digits (a non-zero 16-byte trace ID)")
        }
        return traceID
    }

    func trace(_ id: String) async throws(APIError) -> Response {
        let traceID = try parseTraceID(id)
        guard let trace = try await storage({ try await traces.trace(traceID) }) else {
            throw APIError.notFound("trace \(traceID.hex) not found")
        }
        return JSONResponse.make(TraceDocument.render(trace))
    }
}
