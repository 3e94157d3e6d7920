import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import Testing
import VigilModel
import VigilServer
import VigilTestSupport

/// Raw bytes in and out, for calling the OTLP services without generated code.
struct RawBytes: MessageSerializer, MessageDeserializer {
    func serialize<Bytes: GRPCContiguousBytes>(_ message: [UInt8]) throws -> Bytes { Bytes(message) }
    func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> [UInt8] {
        serializedMessageBytes.withUnsafeBytes { Array($0) }
    }
}

let traceExport = MethodDescriptor(fullyQualifiedService: "opentelemetry.proto.collector.trace.v1.TraceService", method: "Export")

func exportTraces(port: Int, _ body: [UInt8], gzip: Bool = false) async throws -> [UInt8] {
    try await withGRPCClient(
        transport: .http2NIOPosix(
            target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: .plaintext,
            config: .defaults { $0.compression = .init(algorithm: gzip ? .gzip : .none, enabledAlgorithms: .all) })
    ) { client in
        try await client.unary(request: ClientRequest(message: body), descriptor: traceExport, serializer: RawBytes(), deserializer: RawBytes(), options: .defaults) {
            try $0.message
        }
    }
}

/// An ExportTraceServiceRequest with one span of the given trace and a name of `padding` bytes.
func spanRequest(trace: [UInt8], span: [UInt8] = Array(1...8), name: String = "op", start: Int64 = nowNanos) -> [UInt8] {
    ProtoEncoder { request in
        request.message(1) { resourceSpans in
            resourceSpans.message(1) { $0.keyValue(1, "service.name") { $0.string(1, "e2e") } }
            resourceSpans.message(2) { scopeSpans in
                scopeSpans.message(2) { s in
                    s.bytes(1, trace)
                    s.bytes(2, span)
                    s.string(5, name)
                    s.fixed64(7, UInt64(start))
                    s.fixed64(8, UInt64(start + 1000))
                }
            }
        }
    }.bytes
}

@Suite(.serialized) struct ServerEndToEndTests {
    @Test func exportsOverBothTransportsAreReadableThroughTheAPI() async throws {
        let server = try await RunningServer.start()
        defer { Task { await server.stop() } }
        let grpcTrace = TraceID(high: .random(in: 1...UInt64.max), low: 1)
        let httpTrace = TraceID(high: .random(in: 1...UInt64.max), low: 2)

        let grpcReply = try await exportTraces(port: server.ports[.otlpGRPC]!, spanRequest(trace: grpcTrace.bytes, name: "via-grpc"), gzip: true)
        #expect(grpcReply.isEmpty)
        let httpReply = try await httpRequest(
            server.url(.otlpHTTP, "/v1/traces"), method: "POST", headers: ["Content-Type": "application/x-protobuf"],
            body: spanRequest(trace: httpTrace.bytes, name: "via-http"))
        #expect(httpReply.status == 200)
        #expect(httpReply.headers["content-type"] == "application/x-protobuf")
        #expect(httpReply.body.isEmpty)

        for (trace, name) in [(grpcTrace, "via-grpc"), (httpTrace, "via-http")] {
            let answer = try await httpRequest(server.url(.api, "/api/v1/traces/\(trace.hex)"))
            #expect(answer.status == 200)
            let document = try JSONParser.parse(answer.body)
            #expect(document["spans"]?.arrayValue?.first?["name"] == .string(name))
            #expect(document["resources"]?.arrayValue?.first?["serviceName"] == .string("e2e"))
        }
        let unknown = try await httpRequest(server.url(.api, "/api/v1/traces/\(TraceID(high: 5, low: 5).hex)"))
        #expect(unknown.status == 404)
        #expect(try JSONParser.parse(unknown.body)["error"]?["code"] == .string("not_found"))
        let malformed = try await httpRequest(server.url(.api, "/api/v1/traces/xyz"))
        #expect(malformed.status == 400)
        #expect(try JSONParser.parse(malformed.body)["error"]?["message"]?.stringValue?.contains("traceId") == true)
    }

    @Test func oversizedAndUndecodableExportsAreRefusedOverBothTransports() async throws {
        let server = try await RunningServer.start { $0.otlp.maxRequestBodySize = 4096 }
        defer { Task { await server.stop() } }
        let big = spanRequest(trace: Array(1...16), name: String(repeating: "x", count: 6000))

        let tooLarge = try await httpRequest(server.url(.otlpHTTP, "/v1/traces"), method: "POST", headers: ["Content-Type": "application/json"], body: Array("{\"x\":\"\(String(repeating: "y", count: 5000))\"}".utf8))
        #expect(tooLarge.status == 413)
        #expect(try JSONParser.parse(tooLarge.body)["code"] == .number("8"))
        await #expect {
            _ = try await exportTraces(port: server.ports[.otlpGRPC]!, big)
        } throws: { error in
            (error as? RPCError)?.code == .resourceExhausted
        }
        await #expect {
            _ = try await exportTraces(port: server.ports[.otlpGRPC]!, [0xff, 0xff, 0xff])
        } throws: { error in
            guard let error = error as? RPCError, error.code == .invalidArgument else { return false }
            // The trailer carries the google.rpc.Status: code 3 first.
            return Array(error.metadata[binaryValues: "grpc-status-details-bin"]).first?.prefix(2) == [0x08, 0x03]
        }
        let undecodable = try await httpRequest(server.url(.otlpHTTP, "/v1/traces"), method: "POST", headers: ["Content-Type": "application/x-protobuf"], body: [0xff, 0xff])
        #expect(undecodable.status == 400)
        #expect(undecodable.body.prefix(2) == [0x08, 0x03])
    }
}
