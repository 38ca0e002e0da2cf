import FnhostHost
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypes

/// Hummingbird's HTTP/1.1 child channel with `fnhost serve`'s connection limits on it: the header and idle
/// timeouts and the connection limit of a ``ConnectionLedger`` (which Hummingbird's own `idleTimeout` and
/// `availableConnectionsDelegate` cannot express, see ``FnhostHost/ConnectionLedger``), and the JSON answer to
/// malformed HTTP (``MalformedRequestResponder``). Requests are then handled by Hummingbird as usual.
struct GuardedHTTP1Channel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>

    let responder: HTTPChannelHandler.Responder
    let ledger: ConnectionLedger
    private let http1: HTTP1Channel

    init(responder: @escaping HTTPChannelHandler.Responder, ledger: ConnectionLedger) {
        self.responder = responder
        self.ledger = ledger
        http1 = HTTP1Channel(
            responder: responder, configuration: .init(additionalChannelHandlers: [MalformedRequestResponder()]))
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let ledger = ledger
        return http1.setup(channel: channel, logger: logger).flatMapThrowing { value in
            try ledger.guardConnection(channel.pipeline.syncOperations)
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await handleHTTP(asyncChannel: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 with the limits of `ledger` on every connection.
    static func guardedHTTP1(ledger: ConnectionLedger) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in GuardedHTTP1Channel(responder: responder, ledger: ledger) }
    }
}
