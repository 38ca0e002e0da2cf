import FnhostWire
import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One worker's own Runtime API endpoint (and its door to the Invoke API for calls to other functions), on a
/// loopback port of its own.
///
/// A port per worker is how fnhost gives each worker only its own invocations: the address in the worker's
/// `AWS_LAMBDA_RUNTIME_API` reaches its channel and no other.
///
/// It is a plain SwiftNIO HTTP/1.1 server whose handler answers on the event loop, not a router with an async
/// handler per request: every invocation crosses this endpoint twice (the event out, the answer back), and each
/// hop between the event loop and a task costs a thread wakeup. Benchmarked in BENCHMARKS.md ("Warm invocation").
final class RuntimeAPIServer: Sendable {
    let port: Int
    private let listener: any Channel
    private let connections: ConnectionSet

    /// An Invoke API call from the worker to another function, answered by the host.
    typealias Invoke =
        @Sendable (_ function: String, _ call: InvokeAPIResponder.Call) async -> InvokeAPIResponder.Answer

    private init(port: Int, listener: any Channel, connections: ConnectionSet) {
        self.port = port
        self.listener = listener
        self.connections = connections
    }

    /// Starts listening on 127.0.0.1 on a free port and returns once it listens.
    /// - Parameter verifier: decides which connections are the worker's; the others are closed at once.
    /// - Parameter ledger: the endpoint's connection limits (header and idle timeouts, most connections), which
    ///   never apply while a `GET next` is parked or while the worker holds the event it fetched.
    /// - Parameter eventLoop: the loop the listener and its connections live on (the host's executor).
    static func start(
        channel: RuntimeChannel, verifier: PeerVerifier, ledger: ConnectionLedger, on eventLoop: any EventLoop,
        invoke: @escaping Invoke
    ) async throws -> RuntimeAPIServer {
        let connections = ConnectionSet()
        let bootstrap = ServerBootstrap(group: eventLoop)
            .serverChannelOption(.backlog, value: 32)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { connection in
                connection.eventLoop.makeCompletedFuture {
                    connections.insert(connection)
                    let pipeline = connection.pipeline.syncOperations
                    try pipeline.addHandler(PeerVerificationHandler(verifier: verifier))
                    try pipeline.configureHTTPServerPipeline(withPipeliningAssistance: true, withErrorHandling: true)
                    try ledger.guardConnection(pipeline)
                    try pipeline.addHandler(RuntimeAPIHandler(channel: channel, invoke: invoke))
                }
            }
        let listener: any Channel
        do {
            listener = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        } catch {
            throw WorkerStartError.spawnFailed("the Runtime API endpoint could not listen on 127.0.0.1: \(error)")
        }
        guard let port = listener.localAddress?.port, port > 0 else {
            try? await listener.close()
            throw WorkerStartError.spawnFailed("the Runtime API endpoint could not listen on 127.0.0.1")
        }
        return RuntimeAPIServer(port: port, listener: listener, connections: connections)
    }

    /// Stops listening and closes the worker's connections. Close the channel first, so that a parked `next` is
    /// answered (410) before its connection goes.
    func stop() async {
        try? await listener.close()
        for connection in connections.removeAll() { try? await connection.close() }
    }

    static func errorBody(type: String, message: String) -> String {
        "{\"errorMessage\":\(JSONText.quote(message)),\"errorType\":\(JSONText.quote(type))}"
    }
}

/// The connections of one endpoint, so that stopping it closes them.
private final class ConnectionSet: Sendable {
    private let channels = Mutex<[ObjectIdentifier: any Channel]>([:])

    func insert(_ channel: any Channel) {
        channels.withLock { $0[ObjectIdentifier(channel)] = channel }
        channel.closeFuture.whenComplete { [weak self] _ in
            _ = self?.channels.withLock { $0.removeValue(forKey: ObjectIdentifier(channel)) }
        }
    }

    func removeAll() -> [any Channel] {
        channels.withLock { c in
            defer { c = [:] }; return Array(c.values)
        }
    }
}

/// The Runtime API's routes, answered on the connection's event loop:
/// `GET /2018-06-01/runtime/invocation/next`, `POST …/invocation/{id}/response`, `POST …/invocation/{id}/error`,
/// `POST …/init/error`, and `POST /2015-03-31/functions/{name}/invocations` for calls to other functions.
private final class RuntimeAPIHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let channel: RuntimeChannel
    private let invoke: RuntimeAPIServer.Invoke
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()
    private var bodyTooLarge = false
    /// The request id whose response is being streamed on this connection
    /// (`Lambda-Runtime-Function-Response-Mode: streaming`): each body chunk goes on to the caller as it arrives.
    private var streamingID: String?
    /// This connection's `GET next` is parked, waiting for an event.
    private var waitingForEvent = false
    /// A 202 for an answer is written but not yet flushed (see `channelReadComplete`).
    private var answerUnflushed = false
    /// A response (6 MB) plus one byte, so that "too large" can be told from "exactly the limit".
    private static let maxBody = InvokeAPI.maxSyncPayloadBytes + 1

    init(channel: RuntimeChannel, invoke: @escaping RuntimeAPIServer.Invoke) {
        self.channel = channel
        self.invoke = invoke
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            body.clear()
            bodyTooLarge = false
            streamingID = nil
            if h.method == .POST,
                h.headers.first(name: RuntimeAPI.Header.responseMode)?.lowercased() == "streaming",
                case .response(let id) = RuntimeAPI.Route(method: h.method.rawValue, target: h.uri)
            {
                streamingID = id
            }
            // curl sends `Expect: 100-continue` before a body over 1 MB and waits a second for the go-ahead.
            if h.headers[canonicalForm: "expect"].contains(where: { $0.lowercased() == "100-continue" }) {
                context.writeAndFlush(
                    NIOAny(HTTPServerResponsePart.head(HTTPResponseHead(version: h.version, status: .continue))),
                    promise: nil)
            }
        case .body(var chunk):
            if let streamingID, chunk.readableBytes > 0 {
                _ = channel.stream(requestID: streamingID, chunk: Array(buffer: chunk))
            }
            if body.readableBytes + chunk.readableBytes > Self.maxBody {
                bodyTooLarge = true
            } else {
                body.writeBuffer(&chunk)
            }
        case .end(let trailers):
            guard let head else { return }
            self.head = nil
            if streamingID != nil { return finishStream(context: context, head: head, trailers: trailers) }
            route(context: context, head: head)
        }
    }

    /// The end of what one read brought. A runtime that pipelines (fnhost's does) sends its answer and its next
    /// `GET next` together; when that `GET` is now parked, the answer's 202 waits and leaves with the next event in
    /// one write, so that the worker wakes once per invocation instead of twice. Otherwise it goes now.
    func channelReadComplete(context: ChannelHandlerContext) {
        if answerUnflushed && !waitingForEvent {
            answerUnflushed = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        channel.withdrawNext(connection: ObjectIdentifier(context.channel))
        context.fireChannelInactive()
    }

    private func route(context: ChannelHandlerContext, head: HTTPRequestHead) {
        let path = head.uri.split(separator: "?", maxSplits: 1).first ?? ""
        let keepAlive = head.isKeepAlive
        let route = RuntimeAPI.Route(method: head.method.rawValue, target: head.uri)
        switch route {
        case .next:
            next(context: context, keepAlive: keepAlive)
        case .response(let id), .error(let id):
            let result: RuntimeChannel.AnswerResult
            if case .response = route {
                if bodyTooLarge {
                    _ = channel.answer(
                        requestID: id,
                        outcome: .functionError(
                            FunctionError(
                                errorMessage:
                                    "Response payload size exceeded maximum allowed payload size (6291556 bytes).",
                                errorType: "Function.ResponseSizeTooLarge"), annotations: [:]))
                    return error(
                        context: context, .payloadTooLarge, type: "RequestEntityTooLarge",
                        message: "response over 6 MB", keepAlive: keepAlive)
                }
                result = channel.answer(
                    requestID: id, outcome: .response(Array(buffer: body), annotations: Self.annotations(head.headers)))
            } else {
                result = channel.answer(
                    requestID: id,
                    outcome: .functionError(
                        Self.decodeError(body, headers: head.headers),
                        annotations: Self.annotations(head.headers)))
            }
            accepted(context: context, result, keepAlive: keepAlive, flush: false)
        case .initError:
            switch channel.initFailed(Self.decodeError(body, headers: head.headers)) {
            case .accepted: accepted(context: context, .accepted, keepAlive: keepAlive)
            default:
                error(
                    context: context, .forbidden, type: "InvalidStateTransition",
                    message: "init/error is only accepted before the first next", keepAlive: keepAlive)
            }
        case .invoke(let name):
            callFunction(context: context, name: name, head: head, keepAlive: keepAlive)
        case .unknownAPIRoute:
            error(
                context: context, .notFound, type: "NotFound",
                message: "no such Runtime API route: \(head.method) \(path)", keepAlive: keepAlive)
        case .notFound:
            error(
                context: context, .notFound, type: "NotFound", message: "no such route: \(path)", keepAlive: keepAlive)
        }
    }

    // MARK: Routes

    /// The end of a streamed response: its chunks have gone on already; the trailers say whether the function
    /// failed midway (`Lambda-Runtime-Function-Error-Type`, `-Body` base64). A streamed response is not held to the
    /// 6 MB of a buffered one (Lambda allows 20 MB); what passed that is not kept for the buffered result.
    private func finishStream(context: ChannelHandlerContext, head: HTTPRequestHead, trailers: HTTPHeaders?) {
        guard let id = streamingID else { return }
        streamingID = nil
        let outcome: WorkerOutcome
        if let type = trailers?.first(name: RuntimeAPI.Header.functionErrorType) {
            let encoded = trailers?.first(name: RuntimeAPI.Header.functionErrorBody) ?? ""
            var errorBody = ByteBuffer()
            errorBody.writeBytes(Data(base64Encoded: encoded).map { Array($0) } ?? Array(encoded.utf8))
            var error = Self.decodeError(errorBody, headers: [RuntimeAPI.Header.functionErrorType: type])
            if error.errorType == "Unhandled" { error.errorType = type }
            outcome = .functionError(error, annotations: Self.annotations(head.headers))
        } else {
            outcome = .response(Array(buffer: body), annotations: Self.annotations(head.headers))
        }
        accepted(context: context, channel.answer(requestID: id, outcome: outcome), keepAlive: head.isKeepAlive)
    }

    /// Parks until the host offers an event; the event is written from the event loop, whichever thread offered it.
    private func next(context: ChannelHandlerContext, keepAlive: Bool) {
        let loop = context.eventLoop
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: loop)
        waitingForEvent = true
        channel.next(connection: ObjectIdentifier(context.channel)) { delivery in
            if loop.inEventLoop {
                bound.value.handler.writeNext(context: bound.value.context, delivery, keepAlive: keepAlive)
            } else {
                loop.execute {
                    bound.value.handler.writeNext(context: bound.value.context, delivery, keepAlive: keepAlive)
                }
            }
        }
    }

    /// Answers the parked `GET next` (flushing any 202 held back for it).
    private func writeNext(context: ChannelHandlerContext, _ delivery: Delivery?, keepAlive: Bool) {
        waitingForEvent = false
        answerUnflushed = false
        Self.writeNext(context: context, delivery, keepAlive: keepAlive)
    }

    private static func writeNext(context: ChannelHandlerContext, _ delivery: Delivery?, keepAlive: Bool) {
        guard let d = delivery else {
            return write(
                context: context, .workerStopped, headers: json(),
                body: RuntimeAPIServer.errorBody(type: "WorkerStopped", message: "this worker is being stopped"),
                keepAlive: keepAlive)
        }
        // The worker now holds the event: its connection is busy until it answers, not idle.
        context.triggerUserOutboundEvent(ConnectionGuard.AwaitingAnswer(), promise: nil)
        var headers = json()
        headers.add(name: RuntimeAPI.Header.requestID, value: d.requestID)
        headers.add(name: RuntimeAPI.Header.deadlineMs, value: String(d.deadlineMs))
        headers.add(name: RuntimeAPI.Header.invokedFunctionARN, value: d.functionARN)
        headers.add(name: RuntimeAPI.Header.traceID, value: d.traceID)
        if let cc = d.clientContext { headers.add(name: RuntimeAPI.Header.clientContext, value: cc) }
        var buffer = context.channel.allocator.buffer(capacity: d.payload.count)
        buffer.writeBytes(d.payload)
        write(context: context, .ok, headers: headers, body: buffer, keepAlive: keepAlive)
    }

    /// A call to another function: the host runs it as a task; its answer is written back on the event loop.
    private func callFunction(context: ChannelHandlerContext, name: String, head: HTTPRequestHead, keepAlive: Bool) {
        if bodyTooLarge {
            return Self.write(
                context: context,
                answer: InvokeAPIResponder.answer(
                    .tooLarge(size: Self.maxBody, limit: InvokeAPI.maxSyncPayloadBytes)), keepAlive: keepAlive)
        }
        let call = InvokeAPIResponder.Call(
            invocationType: head.headers.first(name: InvokeAPI.Header.invocationType),
            clientContext: head.headers.first(name: InvokeAPI.Header.clientContext),
            logType: head.headers.first(name: InvokeAPI.Header.logType), body: Array(buffer: body))
        let loop = context.eventLoop
        let bound = NIOLoopBound(context, eventLoop: loop)
        Self.answerLater(invoke: invoke, function: name, call: call, loop: loop, context: bound, keepAlive: keepAlive)
    }

    private static func answerLater(
        invoke: @escaping RuntimeAPIServer.Invoke, function: String, call: InvokeAPIResponder.Call,
        loop: any EventLoop, context: NIOLoopBound<ChannelHandlerContext>, keepAlive: Bool
    ) {
        Task {
            let answer = await invoke(function, call)
            loop.execute { write(context: context.value, answer: answer, keepAlive: keepAlive) }
        }
    }

    // MARK: Writing

    /// - Parameter flush: false for an invocation's answer: its 202 may wait for the end of the read (see
    ///   `channelReadComplete`).
    private func accepted(
        context: ChannelHandlerContext, _ result: RuntimeChannel.AnswerResult, keepAlive: Bool, flush: Bool = true
    ) {
        switch result {
        case .accepted:
            let hold = !flush && keepAlive
            Self.write(
                context: context, .accepted, headers: Self.json(),
                body: context.channel.allocator.buffer(string: "{\"status\":\"OK\"}"),
                keepAlive: keepAlive, flush: !hold)
            if hold { answerUnflushed = true }
        case .unknownRequest:
            error(
                context: context, .badRequest, type: "InvalidRequestID",
                message: "this worker holds no invocation with that request id", keepAlive: keepAlive)
        case .closed:
            error(
                context: context, .workerStopped, type: "WorkerStopped", message: "this worker is being stopped",
                keepAlive: keepAlive)
        }
    }

    private func error(
        context: ChannelHandlerContext, _ status: HTTPResponseStatus, type: String, message: String, keepAlive: Bool
    ) {
        Self.write(
            context: context, status, headers: Self.json(),
            body: RuntimeAPIServer.errorBody(type: type, message: message), keepAlive: keepAlive)
    }

    private static func json() -> HTTPHeaders { ["content-type": "application/json"] }

    private static func write(
        context: ChannelHandlerContext, _ status: HTTPResponseStatus, headers: HTTPHeaders, body: String,
        keepAlive: Bool
    ) {
        write(
            context: context, status, headers: headers, body: context.channel.allocator.buffer(string: body),
            keepAlive: keepAlive)
    }

    private static func write(context: ChannelHandlerContext, answer: InvokeAPIResponder.Answer, keepAlive: Bool) {
        var headers = HTTPHeaders()
        for field in answer.headers { headers.add(name: field.name.rawName, value: field.value) }
        var buffer = context.channel.allocator.buffer(capacity: answer.body.count)
        buffer.writeBytes(answer.body)
        write(
            context: context, HTTPResponseStatus(statusCode: answer.status.code), headers: headers, body: buffer,
            keepAlive: keepAlive)
    }

    private static func write(
        context: ChannelHandlerContext, _ status: HTTPResponseStatus, headers: HTTPHeaders, body: ByteBuffer,
        keepAlive: Bool, flush: Bool = true
    ) {
        guard context.channel.isActive else { return }
        var headers = headers
        headers.add(name: "content-length", value: String(body.readableBytes))
        if !keepAlive { headers.add(name: "connection", value: "close") }
        context.write(
            NIOAny(HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))),
            promise: nil)
        if body.readableBytes > 0 {
            context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(body))), promise: nil)
        }
        if keepAlive {
            if flush {
                context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil)), promise: nil)
            } else {
                context.write(NIOAny(HTTPServerResponsePart.end(nil)), promise: nil)
            }
        } else {
            context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil))).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
        }
    }

    // MARK: Reading

    /// fnhost's own annotations on a response (`Fnhost-*` headers), such as the cache outcome.
    private static func annotations(_ headers: HTTPHeaders) -> [String: String] {
        var result: [String: String] = [:]
        for (name, value) in headers {
            let lower = name.lowercased()
            if lower.hasPrefix("fnhost-") { result[lower] = value }
        }
        return result
    }

    /// A runtime's error body; anything unparseable still becomes an error, with the raw text as its message.
    private static func decodeError(_ body: ByteBuffer, headers: HTTPHeaders) -> FunctionError {
        let bytes = Array(buffer: body)
        let headerType = headers.first(name: RuntimeAPI.Header.functionErrorType)
        if let e = try? JSONDecoder().decode(LenientError.self, from: Data(bytes)) {
            return FunctionError(
                errorMessage: e.errorMessage ?? "", errorType: e.errorType ?? headerType ?? "Unhandled",
                stackTrace: e.stackTrace)
        }
        return FunctionError(
            errorMessage: String(decoding: bytes.prefix(4096), as: UTF8.self), errorType: headerType ?? "Unhandled")
    }

    private struct LenientError: Decodable {
        var errorMessage: String?
        var errorType: String?
        var stackTrace: [String]?
    }
}

extension HTTPResponseStatus {
    /// What `next` and answers get when the host is stopping the worker (``RuntimeAPI/workerStoppedStatus``, 410).
    static let workerStopped = HTTPResponseStatus(statusCode: RuntimeAPI.workerStoppedStatus)
}
