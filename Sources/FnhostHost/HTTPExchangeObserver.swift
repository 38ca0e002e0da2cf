import NIOCore
import NIOHTTP1

/// Reports where requests and responses begin and end to its connection's ``ConnectionGuard``, which sits at the
/// front of the pipeline where only bytes pass. It sits right after the HTTP request decoder, so it sees every
/// request as soon as it is decoded (pipelined ones too) and every response part on its way to the encoder.
final class HTTPExchangeObserver: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let connectionGuard: ConnectionGuard

    init(reportingTo connectionGuard: ConnectionGuard) {
        self.connectionGuard = connectionGuard
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: connectionGuard.requestHeadReceived()
        case .body: break
        case .end: connectionGuard.requestEndReceived()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head: connectionGuard.responseHeadWritten()
        case .body: break
        case .end: connectionGuard.responseEndWritten()
        }
        context.write(data, promise: promise)
    }
}

@available(*, unavailable)
extension HTTPExchangeObserver: Sendable {}
