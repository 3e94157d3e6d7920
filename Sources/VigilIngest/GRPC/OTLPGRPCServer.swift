import GRPCCore
import GRPCNIOTransportHTTP2Posix
import Logging
import NIOCore
import ServiceLifecycle

/// The OTLP/gRPC listener as a lifecycle `Service`: serves until graceful shutdown, then stops
/// accepting and lets in-flight exports finish.
public struct OTLPGRPCServer: Service {
    private let server: GRPCServer<HTTP2ServerTransport.Posix>
    private let onListening: @Sendable (Int) -> Void

    /// - Parameters:
    ///   - host, port: where to listen: an IPv4 or IPv6 address (port 0 picks a free port).
    ///   - maxBodyBytes: the export size limit; larger messages get RESOURCE_EXHAUSTED. The
    ///     transport itself stops reading (and inflating) at twice this size.
    ///   - onListening: called with the bound port once the server listens.
    public init(host: String, port: Int, maxBodyBytes: Int, service: OTLPGRPCService, onListening: @escaping @Sendable (Int) -> Void = { _ in }) {
        let transport = HTTP2ServerTransport.Posix(
            address: host.contains(":") ? .ipv6(host: host, port: port) : .ipv4(host: host, port: port),
            transportSecurity: .plaintext,
            config: .defaults { config in
                config.rpc.maxRequestPayloadSize = maxBodyBytes.multipliedReportingOverflow(by: 2).overflow ? Int.max : maxBodyBytes * 2
                config.compression.enabledAlgorithms = [.gzip, .deflate]
                // Export requests are large (hundreds of KiB): big frames and windows mean far
                // fewer frames, reads and WINDOW_UPDATEs per request.
                config.http2.maxFrameSize = 1 << 20
                config.http2.targetWindowSize = 16 << 20
                // Each connection carries one small response per large request, so there is
                // nothing to coalesce: delaying flushes would only add a timer per response.
                config.connection.flushCoalescing = nil
                // Socket reads may grow to 1 MiB (from 64 KiB), so a request arrives in a
                // few reads rather than several per request.
                config.channelDebuggingCallbacks.onAcceptTCPConnection = { channel in
                    channel.setOption(ChannelOptions.recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 1024, initial: 64 << 10, maximum: 1 << 20))
                }
            })
        self.server = GRPCServer(transport: transport, services: [service])
        self.onListening = onListening
    }

    public func run() async throws {
        let server = self.server
        let onListening = self.onListening
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { try await server.serve() }
                if let address = try await server.listeningAddress, let port = address.ipv4?.port ?? address.ipv6?.port {
                    onListening(port)
                }
            }
        } onGracefulShutdown: {
            server.beginGracefulShutdown()
        }
    }
}
