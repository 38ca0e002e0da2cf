import FnhostWire
import NIOCore
import NIOHTTP1

/// Puts a listener's ``ListenerLimits`` on one connection: the first handler of its pipeline, it sees every byte as
/// it arrives, and its ``HTTPExchangeObserver`` (right after the HTTP decoder) tells it where requests and responses
/// begin and end. Neither swift-nio nor Hummingbird has this: NIO's `IdleStateHandler` and Hummingbird's
/// `idleTimeout` measure silence, so a client trickling a byte a second is never closed, and the idle timer would
/// cut a parked Runtime API long poll; Hummingbird's `availableConnectionsDelegate` stops accepting at its limit
/// (clients hang in the backlog) instead of refusing.
///
/// One deadline is armed at a time, by what the connection is doing:
/// - a request's header block is arriving: the header timeout from its first byte (a trickle does not extend it);
/// - a request body is arriving: the idle timeout from the last byte;
/// - the server is answering a request (however long that takes: a long poll, a slow invocation): none;
/// - a Runtime API connection whose worker holds the event it delivered (``AwaitingAnswer``): none;
/// - otherwise (new, or kept alive between requests): the idle timeout.
///
/// When a deadline passes the connection is closed and counted in `/metrics`; a request cut short is first answered
/// `408` with a JSON body. Over the listener's limit, a new connection is answered `503` with a JSON message and
/// `Connection: close` at once. Both answers close gently: the output is shut, and what the client still sends is
/// read and dropped until it closes (or for ``lingerTime``), so that its request arriving after our answer does not
/// turn the close into a reset that destroys the answer.
///
/// To keep the hot path (the Runtime API's two requests per invocation) free of timer churn, a pending timer is only
/// moved earlier, never later: when it fires, it looks at the connection again and re-arms for what is due then.
/// Time is the event loop's (`EventLoop.now`), so that tests on an `EmbeddedEventLoop` can advance it by hours.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    /// Sent down the pipeline (`triggerUserOutboundEvent`) by the Runtime API when it has handed the worker an event
    /// on this connection: until the worker's next request (its answer), the connection is busy, not idle, for as
    /// long as the function's timeout lets the handler run.
    struct AwaitingAnswer: Sendable {}

    /// How long a connection answered `408`/`503` may keep sending before it is closed outright.
    static let lingerTime = TimeAmount.seconds(2)

    private enum Phase {
        /// Not active yet.
        case new
        /// Admitted, and watched.
        case open
        /// Answered and output shut; waiting for the client to close.
        case lingering
        case closed
    }

    private let ledger: ConnectionLedger
    private let headerTimeout: TimeAmount
    private let idleTimeout: TimeAmount
    private var phase = Phase.new
    private var admitted = false

    // What the connection is doing.
    /// A request's head has arrived and its end has not.
    private var requestOpen = false
    /// Requests whose response has not been written to its end.
    private var unanswered = 0
    /// A response head has been written and its end has not.
    private var responseInProgress = false
    private var awaitingAnswer = false
    /// The first byte of a request whose header block is not complete yet.
    private var headStartedAt: NIODeadline?
    private var lastByteAt = NIODeadline.uptimeNanoseconds(0)
    private var idleSince = NIODeadline.uptimeNanoseconds(0)

    private var timer: Scheduled<Void>?
    private var timerDeadline: NIODeadline?
    /// This handler's own context (the observer reports from another place in the pipeline), from `handlerAdded`
    /// to `handlerRemoved`.
    private var context: ChannelHandlerContext?

    init(ledger: ConnectionLedger) {
        self.ledger = ledger
        headerTimeout = TimeAmount(ledger.limits.headerTimeout)
        idleTimeout = TimeAmount(ledger.limits.idleTimeout)
    }

    /// Adds the observer that reports requests and responses to this guard, right after the HTTP request decoder.
    func observeExchanges(_ pipeline: ChannelPipeline.SynchronousOperations) throws {
        let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
        try pipeline.addHandler(HTTPExchangeObserver(reportingTo: self), position: .after(decoder))
    }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { start(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimer()
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimer()
        if admitted {
            admitted = false
            ledger.release()
        }
        phase = .closed
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard phase == .open else { return }  // refused or answered: what follows is dropped
        let now = context.eventLoop.now
        lastByteAt = now
        if !requestOpen && headStartedAt == nil {
            headStartedAt = now
            rearm(context)
        }
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        guard phase == .open else { return }
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if phase == .lingering, let event = event as? ChannelEvent, event == .inputClosed {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard event is AwaitingAnswer else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        awaitingAnswer = true
        promise?.succeed()
    }

    // MARK: What the observer reports

    func requestHeadReceived() {
        headStartedAt = nil
        requestOpen = true
        unanswered += 1
        awaitingAnswer = false
        if let context { rearm(context) }
    }

    func requestEndReceived() {
        requestOpen = false
        becameIdleIfDone()
    }

    func responseHeadWritten() {
        responseInProgress = true
    }

    func responseEndWritten() {
        responseInProgress = false
        unanswered = max(0, unanswered - 1)
        becameIdleIfDone()
    }

    private func becameIdleIfDone() {
        guard !requestOpen, unanswered == 0, let context else { return }
        idleSince = context.eventLoop.now
        rearm(context)
    }

    // MARK: Deadlines

    /// The deadline for what the connection is doing now, and the reason it would be closed for; nil while the
    /// server is answering.
    private var deadline: (at: NIODeadline, reason: ConnectionCloseReason)? {
        if requestOpen { return (lastByteAt + idleTimeout, .bodyTimeout) }
        if let headStartedAt { return (headStartedAt + headerTimeout, .headerTimeout) }
        if unanswered > 0 || awaitingAnswer { return nil }
        return (idleSince + idleTimeout, .idleTimeout)
    }

    private func start(_ context: ChannelHandlerContext) {
        guard phase == .new else { return }
        guard ledger.admit() else {
            ledger.closed(.connectionLimit)
            answerAndClose(
                context, status: "503 Service Unavailable", extraHeaders: "Retry-After: 1\r\n",
                message:
                    "Service Unavailable: \(ledger.limits.maxConnections) connections are open, the most this "
                    + "listener accepts; try again when one closes")
            return
        }
        admitted = true
        phase = .open
        idleSince = context.eventLoop.now
        rearm(context)
    }

    /// Makes sure a timer fires no later than the current deadline.
    private func rearm(_ context: ChannelHandlerContext) {
        guard phase == .open, let due = deadline?.at else { return }
        if let pending = timerDeadline, pending <= due { return }
        timer?.cancel()
        schedule(at: due, context)
    }

    private func schedule(at due: NIODeadline, _ context: ChannelHandlerContext) {
        timerDeadline = due
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: due) { self.timerFired(context) }
    }

    private func timerFired(_ context: ChannelHandlerContext) {
        timer = nil
        timerDeadline = nil
        guard phase == .open, let (due, reason) = deadline else { return }
        if due <= context.eventLoop.now { expire(reason, context) } else { schedule(at: due, context) }
    }

    private func cancelTimer() {
        timer?.cancel()
        timer = nil
        timerDeadline = nil
    }

    private func expire(_ reason: ConnectionCloseReason, _ context: ChannelHandlerContext) {
        ledger.closed(reason)
        // A request cut short gets a 408, unless a response is already on the wire for it or for an earlier one.
        let cutShort = reason != .idleTimeout && !responseInProgress && unanswered == (requestOpen ? 1 : 0)
        guard cutShort else {
            phase = .closed
            context.close(promise: nil)
            return
        }
        let limit =
            reason == .headerTimeout
            ? "its headers did not arrive within \(ListenerLimits.seconds(ledger.limits.headerTimeout)) s"
            : "its body stopped arriving for \(ListenerLimits.seconds(ledger.limits.idleTimeout)) s"
        answerAndClose(context, status: "408 Request Timeout", message: "Request Timeout: \(limit)")
    }

    /// Writes a whole response (JSON `{"message": …}`, `Connection: close`) straight to the socket, shuts the output
    /// and drops whatever else arrives until the client closes, or for ``lingerTime``.
    private func answerAndClose(
        _ context: ChannelHandlerContext, status: String, extraHeaders: String = "", message: String
    ) {
        cancelTimer()
        phase = .lingering
        let body = "{\"message\":\(JSONText.quote(message))}"
        let head =
            "HTTP/1.1 \(status)\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n"
            + "Connection: close\r\n\(extraHeaders)\r\n"
        let buffer = context.channel.allocator.buffer(string: head + body)
        context.writeAndFlush(wrapOutboundOut(.byteBuffer(buffer))).assumeIsolated().whenComplete { _ in
            let shut = context.eventLoop.makePromise(of: Void.self)
            context.close(mode: .output, promise: shut)
            shut.futureResult.assumeIsolated().whenFailure { _ in context.close(promise: nil) }
        }
        // The linger is the one timer left; closing the channel cancels it.
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: Self.lingerTime) { context.close(promise: nil) }
    }
}

@available(*, unavailable)
extension ConnectionGuard: Sendable {}
