import BenchIO
import NIOCore
import NIOHTTP1
import NIOPosix

/// The HTTP floor's server: SwiftNIO's HTTP/1.1 server with a handler that answers on the event loop, exactly as
/// fnhost's Runtime API endpoint (`Sources/FnhostHost/RuntimeAPIServer.swift`) is built. `POST /echo` answers the
/// request body; anything else `Hello, world!`.
///
/// It stops when standard input reaches end-of-file, so it never outlives the runner.
enum NIOEchoServer {
    static func run(port: Int) async throws {
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                        withPipeliningAssistance: true, withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(EchoHandler())
                }
            }
            .bind(host: "127.0.0.1", port: port).get()
        BenchIO.writeAll(1, Array("listening \(listener.localAddress?.port ?? port)\n".utf8))
        HelloServer.watchStandardInput()
        try await listener.closeFuture.get()
    }
}

private final class EchoHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private var head: HTTPRequestHead?
    private var body = ByteBuffer()

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            body.clear()
        case .body(var chunk):
            body.writeBuffer(&chunk)
        case .end:
            guard let head else { return }
            self.head = nil
            let echo = head.method == .POST && head.uri == "/echo"
            let answer = echo ? body : context.channel.allocator.buffer(string: "Hello, world!")
            var headers = HTTPHeaders()
            headers.add(name: "content-type", value: echo ? "application/json" : "text/plain; charset=utf-8")
            headers.add(name: "content-length", value: String(answer.readableBytes))
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil
            )
            context.write(wrapOutboundOut(.body(.byteBuffer(answer))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
