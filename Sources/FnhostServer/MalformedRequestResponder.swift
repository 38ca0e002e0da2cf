import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Answers a request the HTTP parser refused (a malformed request line, headers over the size limit, a broken
/// chunk) with `400` and a JSON body, as every other refusal of fnhost has, then closes the connection. Without it
/// the server would send an empty 400.
final class MalformedRequestResponder: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundOut = HTTPResponsePart

    private var answered = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        guard !answered else { return }
        answered = true
        let reason: String =
            switch parserError {
            case .headerOverflow: "the request headers are too large"
            case .invalidURL: "the request target is not a valid URL"
            case .invalidMethod: "the request method is not valid"
            case .invalidVersion: "the HTTP version is not valid"
            default: "the request is not valid HTTP/1.1 (\(parserError))"
            }
        let body = ByteBuffer(string: "{\"message\":\"Bad Request: \(reason)\"}")
        var head = HTTPResponse(status: .badRequest)
        head.headerFields[.contentType] = "application/json"
        head.headerFields[.contentLength] = String(body.readableBytes)
        head.headerFields[.connection] = "close"
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            channel.close(promise: nil)
        }
    }
}
