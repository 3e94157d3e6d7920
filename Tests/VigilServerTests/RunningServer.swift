import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import Synchronization
import VigilServer
import VigilTestSupport

/// A `VigilApplication` on free ports against a fresh test database, stopped by `stop()`.
final class RunningServer: Sendable {
    let database: TestDatabase
    let ports: [VigilApplication.Listener: Int]
    private let task: Task<Void, any Error>

    private init(database: TestDatabase, ports: [VigilApplication.Listener: Int], task: Task<Void, any Error>) {
        self.database = database
        self.ports = ports
        self.task = task
    }

    static func start(configure: (inout VigilConfiguration) -> Void = { _ in }) async throws -> RunningServer {
        let database = try TestDatabase.make(migrate: false)
        var configuration = VigilConfiguration()
        configuration.database.url = database.conninfo
        configuration.otlp.grpcEndpoint = Endpoint(host: "127.0.0.1", port: 0)
        configuration.otlp.httpEndpoint = Endpoint(host: "127.0.0.1", port: 0)
        configuration.api.endpoint = Endpoint(host: "127.0.0.1", port: 0)
        configure(&configuration)
        let (events, continuation) = AsyncStream<(VigilApplication.Listener, Int)>.makeStream()
        var logger = Logger(label: "vigil-test")
        logger.logLevel = .warning
        let application = VigilApplication(configuration: configuration, logger: logger, onListening: { listener, port in
            continuation.yield((listener, port))
        })
        let task = Task { try await application.run(gracefulShutdownSignals: []) }
        var ports: [VigilApplication.Listener: Int] = [:]
        for await (listener, port) in events {
            ports[listener] = port
            if ports.count == 3 { break }
        }
        return RunningServer(database: database, ports: ports, task: task)
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
    }

    func url(_ listener: VigilApplication.Listener, _ path: String) -> URL {
        URL(string: "http://127.0.0.1:\(ports[listener]!)\(path)")!
    }
}

struct HTTPResult {
    var status: Int
    var headers: [String: String]
    var body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }
}

func httpRequest(_ url: URL, method: String = "GET", headers: [String: String] = [:], body: [UInt8]? = nil) async throws -> HTTPResult {
    var request = URLRequest(url: url)
    request.httpMethod = method
    for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
    if let body { request.httpBody = Data(body) }
    let (data, response) = try await URLSession.shared.data(for: request)
    let http = response as! HTTPURLResponse
    var fields: [String: String] = [:]
    for (name, value) in http.allHeaderFields { fields[String(describing: name).lowercased()] = String(describing: value) }
    return HTTPResult(status: http.statusCode, headers: fields, body: Array(data))
}
