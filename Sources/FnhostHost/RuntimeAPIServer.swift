import FnhostWire
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
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
final class RuntimeAPIServer: Sendable {
    let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    private init(port: Int, group: ServiceGroup, task: Task<Void, any Error>) {
        self.port = port
        self.group = group
        self.task = task
    }

    /// Starts listening on 127.0.0.1 on a free port and returns once it listens.
    /// - Parameter verifier: decides which connections are the worker's; the others are closed at once.
    static func start(
        channel: RuntimeChannel, verifier: PeerVerifier, invoke: @escaping @Sendable (String, Request) async -> Response
    ) async throws -> RuntimeAPIServer {
        let router = Router()
        let runtime = router.group(RouterPath(RuntimeAPI.prefix))
        runtime.get("invocation/next") { _, _ -> Response in
            guard let d = await channel.next() else {
                return errorResponse(.gone, type: "WorkerStopped", message: "this worker is being stopped")
            }
            var headers = HTTPFields()
            headers[HTTPField.Name(RuntimeAPI.Header.requestID)!] = d.requestID
            headers[HTTPField.Name(RuntimeAPI.Header.deadlineMs)!] = String(d.deadlineMs)
            headers[HTTPField.Name(RuntimeAPI.Header.invokedFunctionARN)!] = d.functionARN
            headers[HTTPField.Name(RuntimeAPI.Header.traceID)!] = d.traceID
            if let cc = d.clientContext { headers[HTTPField.Name(RuntimeAPI.Header.clientContext)!] = cc }
            headers[.contentType] = "application/json"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: d.payload)))
        }
        runtime.post("invocation/:requestID/response") { request, context -> Response in
            let id = try context.parameters.require("requestID")
            let body = try await request.body.collect(upTo: InvokeAPI.maxSyncPayloadBytes + 1)
            guard body.readableBytes <= InvokeAPI.maxSyncPayloadBytes else {
                _ = channel.answer(requestID: id, outcome: .functionError(
                    FunctionError(errorMessage: "Response payload size exceeded maximum allowed payload size (6291556 bytes).",
                                  errorType: "Function.ResponseSizeTooLarge"), annotations: [:]))
                return errorResponse(.contentTooLarge, type: "RequestEntityTooLarge", message: "response over 6 MB")
            }
            return accepted(channel.answer(
                requestID: id, outcome: .response(Array(buffer: body), annotations: annotations(request.headers))))
        }
        runtime.post("invocation/:requestID/error") { request, context -> Response in
            let id = try context.parameters.require("requestID")
            let body = try await request.body.collect(upTo: 1 << 20)
            let error = decodeError(body, header: request.headers)
            return accepted(channel.answer(
                requestID: id, outcome: .functionError(error, annotations: annotations(request.headers))))
        }
        runtime.post("init/error") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            switch channel.initFailed(decodeError(body, header: request.headers)) {
            case .accepted: return Response(status: .accepted, body: .init(byteBuffer: ByteBuffer(string: "{\"status\":\"OK\"}")))
            default: return errorResponse(.forbidden, type: "InvalidStateTransition",
                                          message: "init/error is only accepted before the first next")
            }
        }
        router.post("2015-03-31/functions/:name/invocations") { request, context -> Response in
            await invoke(try context.parameters.require("name"), request)
        }

        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router,
            server: .http1(configuration: .init(additionalChannelHandlers: [PeerVerificationHandler(verifier: verifier)])),
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: nil),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: Logger(label: "fnhost.runtime-api", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        // The endpoint lives as long as its worker, not as long as whatever started the worker: a detached task
        // with a service group of its own, so that `fnhost serve`'s graceful shutdown (which drains in-flight
        // invocations) does not close the endpoints those invocations need.
        let group = ServiceGroup(configuration: .init(
            services: [app], logger: Logger(label: "fnhost.runtime-api", factory: { _ in SwiftLogNoOpLogHandler() })))
        let task = Task.detached { try await group.run() }
        var iterator = stream.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            await group.triggerGracefulShutdown()
            _ = await task.result
            throw WorkerStartError.spawnFailed("the Runtime API endpoint could not listen on 127.0.0.1")
        }
        return RuntimeAPIServer(port: port, group: group, task: task)
    }

    /// Stops listening, gracefully (cancelling a NIO server with connections arriving can trap), and within a
    /// second whatever lingers. Close the channel first so that no handler is left waiting.
    func stop() async {
        await group.triggerGracefulShutdown()
        let task = self.task
        let watchdog = Task.detached {
            try await Task.sleep(for: .seconds(1))
            task.cancel()
        }
        _ = await task.result
        watchdog.cancel()
    }

    private static func accepted(_ result: RuntimeChannel.AnswerResult) -> Response {
        switch result {
        case .accepted:
            return Response(status: .accepted, body: .init(byteBuffer: ByteBuffer(string: "{\"status\":\"OK\"}")))
        case .unknownRequest:
            return errorResponse(.badRequest, type: "InvalidRequestID",
                                 message: "this worker holds no invocation with that request id")
        case .closed:
            return errorResponse(.gone, type: "WorkerStopped", message: "this worker is being stopped")
        }
    }

    static func errorResponse(_ status: HTTPResponse.Status, type: String, message: String) -> Response {
        let body = "{\"errorMessage\":\(JSONText.quote(message)),\"errorType\":\(JSONText.quote(type))}"
        return Response(status: status, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// fnhost's own annotations on a response (`Fnhost-*` headers), such as the cache outcome.
    private static func annotations(_ headers: HTTPFields) -> [String: String] {
        var result: [String: String] = [:]
        for field in headers where field.name.canonicalName.hasPrefix("fnhost-") {
            result[field.name.canonicalName] = field.value
        }
        return result
    }

    /// A runtime's error body; anything unparseable still becomes an error, with the raw text as its message.
    private static func decodeError(_ body: ByteBuffer, header: HTTPFields) -> FunctionError {
        let bytes = Array(buffer: body)
        let headerType = HTTPField.Name(RuntimeAPI.Header.functionErrorType).flatMap { header[$0] }
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
