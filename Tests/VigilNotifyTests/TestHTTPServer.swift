import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// A local HTTP(S) server on 127.0.0.1 and a port the system picks. It records every request and
/// answers from a script of replies, then with 200 once the script is used up. A `CONNECT`
/// request (a client using it as a proxy) is recorded and refused with 407.
final class TestHTTPServer: Sendable {
    struct Request: Sendable {
        var method: String
        var uri: String
        var headers: [(name: String, value: String)]
        var body: String

        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
    }

    struct Reply: Sendable {
        var status: Int
        var headers: [(String, String)] = []
        var body = ""
    }

    /// The requests so far and the replies still to give, shared with the connections' handlers.
    fileprivate final class Recorder: Sendable {
        private struct State {
            var requests: [Request] = []
            var replies: [Reply]
        }

        private let state: Mutex<State>

        init(replies: [Reply]) {
            state = Mutex(State(replies: replies))
        }

        var requests: [Request] { state.withLock { $0.requests } }

        func record(_ request: Request) -> Reply {
            state.withLock { state in
                state.requests.append(request)
                return state.replies.isEmpty ? Reply(status: 200, body: "ok") : state.replies.removeFirst()
            }
        }
    }

    let port: Int
    let scheme: String
    private let channel: any Channel
    private let recorder: Recorder

    private init(channel: any Channel, scheme: String, recorder: Recorder) {
        self.channel = channel
        self.port = channel.localAddress?.port ?? 0
        self.scheme = scheme
        self.recorder = recorder
    }

    /// Starts a server; with `tls`, it speaks HTTPS with that context.
    static func start(replies: [Reply] = [], tls: NIOSSLContext? = nil) async throws -> TestHTTPServer {
        let recorder = Recorder(replies: replies)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
                    }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(RecordingHandler(recorder: recorder))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return TestHTTPServer(channel: channel, scheme: tls == nil ? "http" : "https", recorder: recorder)
    }

    /// `http(s)://127.0.0.1:<port>`.
    var baseURL: String { "\(scheme)://127.0.0.1:\(port)" }

    var requests: [Request] { recorder.requests }

    func stop() async throws {
        try await channel.close()
    }
}

private final class RecordingHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let recorder: TestHTTPServer.Recorder
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()

    init(recorder: TestHTTPServer.Recorder) {
        self.recorder = recorder
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.clear()
            if head.method == .CONNECT {
                _ = recorder.record(request(head))
                respond(context: context, version: head.version, reply: .init(status: 407, headers: [("Connection", "close")]))
                self.head = nil
            }
        case .body(var part):
            body.writeBuffer(&part)
        case .end:
            guard let head else { return }
            let reply = recorder.record(request(head))
            respond(context: context, version: head.version, reply: reply)
            self.head = nil
        }
    }

    private func request(_ head: HTTPRequestHead) -> TestHTTPServer.Request {
        TestHTTPServer.Request(
            method: head.method.rawValue, uri: head.uri, headers: head.headers.map { ($0.name, $0.value) },
            body: String(buffer: body))
    }

    private func respond(context: ChannelHandlerContext, version: HTTPVersion, reply: TestHTTPServer.Reply) {
        var headers = HTTPHeaders(reply.headers)
        headers.add(name: "Content-Length", value: "\(reply.body.utf8.count)")
        let head = HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: reply.status), headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: reply.body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}
