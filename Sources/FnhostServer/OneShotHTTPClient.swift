import FnhostWire
import NIOCore
import NIOHTTP1
import NIOPosix

/// One plain-HTTP/1.1 exchange on a connection of its own, under a deadline: how the OTLP exporter posts a batch to a
/// collector and `fnhost traces` asks a running `fnhost serve`. A collector that is slow, refuses or is gone costs a
/// failed exchange within the deadline, never a stuck caller.
public enum OneShotHTTPClient {
    /// An `http://host:port/path` address.
    public struct Address: Sendable, Equatable {
        public var host: String
        public var port: Int
        public var path: String

        /// Reads `http://host[:port][/path]` (port 80 by default, path `/`); nil for anything else (https is not
        /// spoken here).
        public init?(_ url: String) {
            guard url.hasPrefix("http://") else { return nil }
            let rest = url.dropFirst("http://".count)
            let slash = rest.firstIndex(of: "/") ?? rest.endIndex
            let authority = rest[..<slash]
            path = slash == rest.endIndex ? "/" : String(rest[slash...])
            if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
                guard let p = Int(authority[authority.index(after: colon)...]), (1...65535).contains(p) else {
                    return nil
                }
                host = String(authority[..<colon])
                port = p
            } else {
                host = String(authority)
                port = 80
            }
            if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            guard !host.isEmpty else { return nil }
        }

        /// The same server, another path.
        public func with(path: String) -> Address {
            var a = self
            a.path = path
            return a
        }
    }

    public struct Response: Sendable {
        public var status: Int
        public var body: [UInt8]
    }

    public enum Failure: Error, Sendable, CustomStringConvertible {
        case connect(String)
        case timedOut
        case closedEarly
        public var description: String {
            switch self {
            case .connect(let why): "could not connect: \(why)"
            case .timedOut: "no answer in time"
            case .closedEarly: "the connection closed before the answer was complete"
            }
        }
    }

    /// Sends one request and waits for the whole answer, at most `timeout` from start to end.
    public static func exchange(
        method: String, _ address: Address, headers: [(String, String)] = [], body: [UInt8] = [],
        timeout: Duration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws(Failure) -> Response {
        let eventLoop = group.next()
        let promise = eventLoop.makePromise(of: Response.self)
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(.milliseconds(max(1, Int64(timeout.inMilliseconds))))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(Collector(promise: promise))
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: address.host, port: address.port).get()
        } catch {
            promise.fail(Failure.connect("\(error)"))
            throw .connect("\(address.host):\(address.port): \(error)")
        }
        let timer = eventLoop.scheduleTask(in: .milliseconds(max(1, Int64(timeout.inMilliseconds)))) {
            promise.fail(Failure.timedOut)
            channel.close(promise: nil)
        }
        var head = HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: method), uri: address.path)
        head.headers.add(name: "Host", value: "\(address.host):\(address.port)")
        head.headers.add(name: "Content-Length", value: String(body.count))
        head.headers.add(name: "Connection", value: "close")
        for (name, value) in headers { head.headers.add(name: name, value: value) }
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        if !body.isEmpty {
            channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(bytes: body))), promise: nil)
        }
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        defer {
            timer.cancel()
            channel.close(promise: nil)
        }
        do { return try await promise.futureResult.get() } catch let failure as Failure { throw failure } catch {
            throw .closedEarly
        }
    }

    /// Gathers the answer; fails the promise when the connection closes first.
    private final class Collector: ChannelInboundHandler {
        typealias InboundIn = HTTPClientResponsePart
        let promise: EventLoopPromise<Response>
        var status = 0
        var body: [UInt8] = []
        var done = false

        init(promise: EventLoopPromise<Response>) { self.promise = promise }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head): status = Int(head.status.code)
            case .body(let buffer):
                // Collectors answer briefly; a runaway answer is cut rather than held.
                if body.count < 16 * 1024 * 1024 { body += Array(buffer: buffer) }
            case .end:
                done = true
                promise.succeed(Response(status: status, body: body))
                context.close(promise: nil)
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            if !done { promise.fail(Failure.closedEarly) }
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            if !done { promise.fail(Failure.closedEarly) }
            context.close(promise: nil)
        }
    }
}
