import Foundation
import Hummingbird
import HTTPTypes
import Logging
import NIOCore
import VigilModel
import VigilOTLP

/// OTLP/HTTP on `POST /v1/traces`, `/v1/metrics` and `/v1/logs`: protobuf or JSON bodies,
/// optionally gzip-compressed, answered in the request's content type.
public struct OTLPHTTPReceiver: Sendable {
    let ingestor: OTLPIngestor

    public init(ingestor: OTLPIngestor) {
        self.ingestor = ingestor
    }

    static let paths: [String: OTLPSignal] = ["/v1/traces": .traces, "/v1/metrics": .metrics, "/v1/logs": .logs]

    /// The router: the three export paths plus Status answers for wrong methods and unknown paths.
    public func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: OTLPHTTPStatusMiddleware(paths: Set(Self.paths.keys)))
        for (path, signal) in Self.paths {
            router.post(RouterPath(stringLiteral: path)) { request, _ in
                await handle(request, signal: signal)
            }
        }
        return router
    }

    func handle(_ request: Request, signal: OTLPSignal) async -> Response {
        let contentType = request.headers[.contentType] ?? ""
        guard let format = Self.format(of: contentType) else {
            return Self.status(
                .unsupportedMediaType, format: .json, code: GRPCStatusCode.invalidArgument,
                message: "unsupported content type \"\(contentType)\": use application/x-protobuf or application/json")
        }
        let limit = ingestor.configuration.maxBodyBytes
        let encoding = (request.headers[.contentEncoding] ?? "identity").trimmingCharacters(in: .whitespaces).lowercased()
        guard ["identity", "", "gzip", "x-gzip", "deflate"].contains(encoding) else {
            return Self.status(
                .unsupportedMediaType, format: format, code: GRPCStatusCode.invalidArgument,
                message: "unsupported content encoding \"\(encoding)\": use gzip or none")
        }
        var body: [UInt8]
        do {
            let buffer = try await request.body.collect(upTo: limit)
            body = Array(buffer.readableBytesView)
        } catch {
            return Self.status(.contentTooLarge, format: format, code: GRPCStatusCode.resourceExhausted, message: "request body exceeds the limit of \(limit) bytes")
        }
        if encoding != "identity", !encoding.isEmpty {
            do throws(GzipInflater.Failure) {
                body = try GzipInflater.inflate(body, limit: limit)
            } catch {
                switch error {
                case .tooLarge:
                    return Self.status(
                        .contentTooLarge, format: format, code: GRPCStatusCode.resourceExhausted,
                        message: "decompressed request body exceeds the limit of \(limit) bytes")
                case .corrupt(let reason):
                    return Self.status(.badRequest, format: format, code: GRPCStatusCode.invalidArgument, message: "cannot decompress the \(encoding) body: \(reason)")
                }
            }
        }
        do throws(IngestError) {
            let rejected = try await ingestor.ingest(signal, body: body, format: format)
            let payload = format == .json ? OTLPResponse.json(rejected: rejected, signal: signal) : OTLPResponse.protobuf(rejected: rejected)
            return Response(status: .ok, headers: [.contentType: Self.contentType(format)], body: .init(byteBuffer: ByteBuffer(bytes: payload)))
        } catch {
            switch error.kind {
            case .invalidArgument:
                return Self.status(.badRequest, format: format, code: GRPCStatusCode.invalidArgument, message: error.message)
            case .tooLarge:
                return Self.status(.contentTooLarge, format: format, code: GRPCStatusCode.resourceExhausted, message: error.message)
            case .unavailable:
                return Self.status(
                    .serviceUnavailable, format: format, code: GRPCStatusCode.unavailable, message: error.message,
                    retryAfterSeconds: error.retryAfterSeconds ?? 1)
            case .internalError:
                return Self.status(.internalServerError, format: format, code: GRPCStatusCode.internalError, message: error.message)
            }
        }
    }

    static func format(of contentType: String) -> OTLPIngestor.PayloadFormat? {
        let mediaType = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        switch mediaType {
        case "application/x-protobuf", "application/protobuf": return .protobuf
        case "application/json": return .json
        default: return nil
        }
    }

    static func contentType(_ format: OTLPIngestor.PayloadFormat) -> String {
        format == .json ? "application/json" : "application/x-protobuf"
    }

    /// A `google.rpc.Status` answer in the given encoding.
    static func status(
        _ status: HTTPResponse.Status, format: OTLPIngestor.PayloadFormat, code: Int32, message: String,
        retryAfterSeconds: Int64? = nil, extraHeaders: HTTPFields = [:]
    ) -> Response {
        let payload = format == .json
            ? OTLPResponse.statusJSON(code: code, message: message, retryAfterSeconds: retryAfterSeconds)
            : OTLPResponse.statusProtobuf(code: code, message: message, retryAfterSeconds: retryAfterSeconds)
        var headers: HTTPFields = [.contentType: contentType(format)]
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        headers.append(contentsOf: extraHeaders)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: payload)))
    }
}

/// Answers 405 (with `Allow: POST`) for other methods on the export paths and 404 for unknown
/// paths, both with a Status body in the request's content type.
struct OTLPHTTPStatusMiddleware<Context: RequestContext>: RouterMiddleware {
    let paths: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let format = OTLPHTTPReceiver.format(of: request.headers[.contentType] ?? "") ?? .json
        if paths.contains(request.uri.path), request.method != .post {
            return OTLPHTTPReceiver.status(
                .methodNotAllowed, format: format, code: GRPCStatusCode.unimplemented,
                message: "method \(request.method) is not allowed on \(request.uri.path); use POST", extraHeaders: [.allow: "POST"])
        }
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            return OTLPHTTPReceiver.status(
                .notFound, format: format, code: GRPCStatusCode.unimplemented,
                message: "unknown path \(request.uri.path); OTLP/HTTP accepts /v1/traces, /v1/metrics and /v1/logs")
        }
    }
}
