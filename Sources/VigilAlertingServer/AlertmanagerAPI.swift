import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import VigilAlerting

/// Alertmanager's API v2 on Vigil's API port (`/api/v2/...`, so Prometheus and `amtool` work
/// unchanged), the alert history (`/api/v1/alerts/history`) and `POST /-/reload`.
public struct AlertmanagerAPI: Sendable {
    let engine: AlertingEngine
    let version: String
    let reload: @Sendable () async throws -> Void
    let logger: Logger
    /// Largest accepted request body.
    let maxBodyBytes = 16 << 20

    /// - Parameter reload: reads the configuration files again and applies them; throws when they are invalid.
    public init(engine: AlertingEngine, version: String, logger: Logger, reload: @escaping @Sendable () async throws -> Void) {
        self.engine = engine
        self.version = version
        self.logger = logger
        self.reload = reload
    }

    public func register(on router: Router<BasicRequestContext>) {
        router.post("/api/v2/alerts") { request, _ in await answer { try await postAlerts(request) } }
        router.get("/api/v2/alerts") { request, _ in await answer { try await getAlerts(request) } }
        router.get("/api/v2/alerts/groups") { request, _ in await answer { try await getGroups(request) } }
        router.get("/api/v2/silences") { request, _ in await answer { try await getSilences(request) } }
        router.post("/api/v2/silences") { request, _ in await answer { try await postSilence(request) } }
        router.get("/api/v2/silence/{id}") { _, context in await answer { try await getSilence(context.parameters.get("id") ?? "") } }
        router.delete("/api/v2/silence/{id}") { _, context in await answer { try await deleteSilence(context.parameters.get("id") ?? "") } }
        router.get("/api/v2/status") { _, _ in await answer { try await status() } }
        router.get("/api/v2/receivers") { _, _ in await answer { try await receivers() } }
        router.get("/api/v1/alerts/history") { request, _ in await answer { try await history(request) } }
        router.post("/-/reload") { _, _ in
            do {
                try await reload()
                return Response(status: .ok)
            } catch {
                return Self.text("failed to reload config: \(error)\n", status: .internalServerError)
            }
        }
    }

    /// An error answer in one of Alertmanager's two shapes: a JSON string for the handlers'
    /// errors, `{"code": N, "message": ...}` for requests that do not decode (`framework`).
    struct Failure: Error {
        var status: HTTPResponse.Status
        var message: String
        var framework = false
        var code: Int?
    }

    private func answer(_ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch let failure as Failure {
            if failure.framework {
                return Self.json(["code": failure.code ?? Int(failure.status.code), "message": failure.message], status: failure.status)
            }
            return Self.json(failure.message, status: failure.status)
        } catch let error as SilenceError {
            switch error.code {
            case .notFound: return Self.json(error.message, status: .notFound)
            case .invalid: return Self.json(error.message, status: .badRequest)
            case .alreadyExpired: return Self.json(error.message, status: .badRequest)
            }
        } catch {
            logger.error("alerting API request failed", metadata: ["error": "\(error)"])
            return Self.json("the request failed; the server log has the details", status: .internalServerError)
        }
    }

    static func json(_ value: Any, status: HTTPResponse.Status = .ok) -> Response {
        var data = (try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys, .withoutEscapingSlashes])) ?? Data("null".utf8)
        data.append(UInt8(ascii: "\n"))
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func text(_ text: String, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    func body(_ request: Request) async throws -> Any {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maxBodyBytes)
        } catch {
            throw Failure(status: .contentTooLarge, message: "request body is larger than \(maxBodyBytes) bytes")
        }
        do {
            return try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView), options: [.fragmentsAllowed])
        } catch {
            throw Failure(status: .badRequest, message: "parsing request body failed: not valid JSON", framework: true)
        }
    }

    func queryValues(_ request: Request, _ name: String) -> [String] {
        request.uri.queryParameters.getAll(name).map { String($0).removingPercentEncoding ?? String($0) }
    }

    func flag(_ request: Request, _ name: String, default value: Bool) throws -> Bool {
        guard let text = queryValues(request, name).last else { return value }
        switch text.lowercased() {
        case "true", "1": return true
        case "false", "0": return false
        default: throw Failure(status: .badRequest, message: "\(name) in query must be of type boolean: \"\(text)\"")
        }
    }

    func filter(_ request: Request) throws -> Matchers {
        var all: [Matcher] = []
        for text in queryValues(request, "filter") {
            do {
                all.append(try Matcher(parsing: text))
            } catch {
                throw Failure(status: .badRequest, message: "bad matcher format: \(text)")
            }
        }
        return Matchers(all)
    }
}
