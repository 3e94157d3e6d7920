import Foundation
import GRPCCore
import Hummingbird
import Logging
import ServiceLifecycle
import Testing
import VigilIngest
import VigilModel
import VigilStorage
import VigilTestSupport

/// With PostgreSQL unreachable, exports are answered "retry later": HTTP 503 with Retry-After
/// and a Status carrying RetryInfo, gRPC UNAVAILABLE with the same Status in its trailer.
@Suite struct UnavailableStoreTests {
    @Test func exportsAreRefusedAsRetryableOverBothTransports() async throws {
        let logger = Logger(label: "test")
        let writer = IngestWriter(configuration: .init(conninfo: "postgresql://vigil@127.0.0.1:1/none?connect_timeout=2"), logger: logger)
        let ingestor = OTLPIngestor(configuration: .init(retryAfterSeconds: 7), writer: writer, logger: logger, now: { nowNanos })
        let (ports, portsContinuation) = AsyncStream<(String, Int)>.makeStream()
        let grpc = OTLPGRPCServer(host: "127.0.0.1", port: 0, maxBodyBytes: 1 << 20, service: OTLPGRPCService(ingestor: ingestor)) {
            portsContinuation.yield(("grpc", $0))
        }
        let http = Application(
            router: OTLPHTTPReceiver(ingestor: ingestor).makeRouter(), configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { portsContinuation.yield(("http", $0.localAddress?.port ?? 0)) }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [writer, grpc, http], logger: logger))
        let running = Task { try await group.run() }
        var bound: [String: Int] = [:]
        for await (name, port) in ports {
            bound[name] = port
            if bound.count == 2 { break }
        }
        let body = spanRequest(trace: Array(1...16))

        let answer = try await httpRequest(
            URL(string: "http://127.0.0.1:\(bound["http"]!)/v1/traces")!, method: "POST", headers: ["Content-Type": "application/json"],
            body: Array(#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0102030405060708","startTimeUnixNano":"\#(nowNanos)"}]}]}]}"#.utf8))
        #expect(answer.status == 503)
        #expect(answer.headers["retry-after"] == "7")
        let status = try JSONParser.parse(answer.body)
        #expect(status["code"] == .number("14"))
        #expect(status["details"]?.arrayValue?.first?["retryDelay"] == .string("7s"))

        await #expect {
            _ = try await exportTraces(port: bound["grpc"]!, body)
        } throws: { error in
            guard let error = error as? RPCError, error.code == .unavailable else { return false }
            let details = Array(error.metadata[binaryValues: "grpc-status-details-bin"]).first ?? []
            return details.prefix(2) == [0x08, 0x0e] && details.firstRange(of: Array("google.rpc.RetryInfo".utf8)) != nil
        }
        await group.triggerGracefulShutdown()
        try await running.value
    }
}
