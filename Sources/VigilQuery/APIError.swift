import Hummingbird
import HTTPTypes
import NIOCore
import VigilModel

/// The one JSON error shape of Vigil's API: `{"error": {"code": "...", "message": "..."}}`.
public struct APIError: Error, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String

    public init(_ status: HTTPResponse.Status, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public static func badRequest(_ message: String) -> APIError { APIError(.badRequest, code: "bad_request", message: message) }
    public static func notFound(_ message: String) -> APIError { APIError(.notFound, code: "not_found", message: message) }
    public static func unavailable(_ message: String) -> APIError { APIError(.serviceUnavailable, code: "unavailable", message: message) }
    public static func internalError(_ message: String) -> APIError { APIError(.internalServerError, code: "internal", message: message) }

    public var response: Response {
        var writer = JSONWriter()
        writer.raw("{\"error\":{\"code\":")
        writer.string(code)
        writer.raw(",\"message\":")
        writer.string(message)
        writer.raw("}}")
        return JSONResponse.make(writer.bytes, status: status)
    }
}

enum JSONResponse {
    static func make(_ bytes: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

/// Answers unknown routes with the API's JSON error shape instead of an empty 404.
struct APINotFoundMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            return APIError.notFound("no route for \(request.method) \(request.uri.path)").response
        } catch let error as APIError {
            return error.response
        }
    }
}
