import FnhostHost
import FnhostWire
import HTTPTypes
import Hummingbird
import NIOCore

/// InvokeWithResponseStream's names: its path and the content type of its answer.
enum ResponseStream {
    /// `POST /2021-11-15/functions/{FunctionName}/response-streaming-invocations`.
    static let pathPrefix = "/2021-11-15/functions/"
    static let operation = "response-streaming-invocations"
    /// AWS's event-stream encoding, which boto3 and the other SDKs decode.
    static let contentType = "application/vnd.amazon.eventstream"
}

extension ServeResponder {
    /// InvokeWithResponseStream: the function's answer as `PayloadChunk` events, then one `InvokeComplete` (with
    /// `ErrorCode`/`ErrorDetails` when the function failed, `LogResult` for `X-Amz-Log-Type: Tail`). A function
    /// that streams (`Lambda-Runtime-Function-Response-Mode: streaming`) has each chunk sent on as it arrives; one
    /// that answers whole gets its response as one chunk, as Lambda does for a buffered function. Refusals before
    /// the function runs (unknown function, throttled, bad payload) are ordinary JSON errors, as on Lambda.
    func invokeWithResponseStream(_ request: Request, path: String) async -> Response {
        let name: String
        do {
            name = try postedFunction(
                request, path: path, prefix: ResponseStream.pathPrefix, operation: ResponseStream.operation,
                called: "InvokeWithResponseStream")
        } catch {
            return Self.serviceError(error)
        }
        let type = request.headers[HTTPField.Name(InvokeAPI.Header.invocationType)!] ?? "RequestResponse"
        guard type == "RequestResponse" || type == "DryRun" else {
            return Self.serviceError(
                ServiceError(
                    type: "InvalidParameterValueException", status: 400,
                    message: "X-Amz-Invocation-Type must be RequestResponse or DryRun, not \(type)"))
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: InvokeAPI.maxSyncPayloadBytes)
        } catch {
            return Self.serviceError(InvokeAPIResponder.bodyError(error, limit: InvokeAPI.maxSyncPayloadBytes))
        }
        // The invocation runs in a task of its own; its chunks and its end come through `events`. Whatever comes
        // first decides the answer: the end (a refusal, an error, or a buffered answer) is answered whole; a chunk
        // starts the event stream at once, and the rest follows as it arrives.
        let (events, continuation) = AsyncStream<StreamEvent>.makeStream()
        let call = InvokeAPIResponder.Call(headers: request.headers, body: Array(buffer: body))
        let task = Task { [host] in
            let answer = await InvokeAPIResponder(host: host).answer(function: name, call: call) { chunk in
                continuation.yield(.chunk(chunk))
            }
            continuation.yield(.done(answer))
            continuation.finish()
        }
        let reader = StreamReader(events.makeAsyncIterator())
        switch await reader.next() {
        case .done(let answer)?:
            guard answer.status == .ok else { return answer.response }
            return Self.eventStream(answer)
        case .chunk(let first)?:
            var headers: HTTPFields = [.contentType: ResponseStream.contentType]
            headers[HTTPField.Name(InvokeAPI.Header.executedVersion)!] = "$LATEST"
            return Response(
                status: .ok, headers: headers,
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(bytes: EventStreamMessage.payloadChunk(first).encoded))
                    while let event = await reader.next() {
                        switch event {
                        case .chunk(let bytes):
                            try await writer.write(ByteBuffer(bytes: EventStreamMessage.payloadChunk(bytes).encoded))
                        case .done(let answer):
                            try await writer.write(ByteBuffer(bytes: Self.completion(answer).encoded))
                        }
                    }
                    try await writer.finish(nil)
                })
        case nil:
            task.cancel()
            return Self.serviceError(.serviceUnavailable("the invocation ended without an answer"))
        }
    }

    /// What the invocation task sends the streaming response: a chunk the function streamed, or its end.
    enum StreamEvent: Sendable {
        case chunk([UInt8])
        case done(InvokeAPIResponder.Answer)
    }

    /// The one reader of an invocation's events: the handler reads the first, the response body the rest, one
    /// after the other (never at once), which is why the iterator may cross from one to the other.
    final class StreamReader: @unchecked Sendable {
        private var iterator: AsyncStream<StreamEvent>.Iterator
        init(_ iterator: AsyncStream<StreamEvent>.Iterator) { self.iterator = iterator }
        func next() async -> StreamEvent? { await iterator.next() }
    }

    /// The `InvokeComplete` that ends a stream: the function's error (`ErrorCode` its `errorType`, `ErrorDetails`
    /// its error object) when it failed, and the log's tail when the caller asked for it.
    static func completion(_ answer: InvokeAPIResponder.Answer) -> EventStreamMessage {
        let logResult = answer.headers[HTTPField.Name(InvokeAPI.Header.logResult)!]
        guard answer.headers[HTTPField.Name(InvokeAPI.Header.functionError)!] != nil else {
            return .invokeComplete(logResult: logResult)
        }
        let errorType: String? =
            if case .object(let fields) = try? JSONValue.parse(answer.body), case .string(let t) = fields["errorType"] {
                t
            } else {
                nil
            }
        return .invokeComplete(
            errorCode: errorType ?? "Unhandled", errorDetails: String(decoding: answer.body, as: UTF8.self),
            logResult: logResult)
    }

    /// A buffered answer as an event stream: one `PayloadChunk` with the whole response (none when it is empty,
    /// or when the function failed), then the `InvokeComplete`.
    static func eventStream(_ answer: InvokeAPIResponder.Answer) -> Response {
        var headers = answer.headers
        headers[.contentType] = ResponseStream.contentType
        headers[HTTPField.Name(InvokeAPI.Header.logResult)!] = nil
        headers[HTTPField.Name(InvokeAPI.Header.functionError)!] = nil
        var frames: [UInt8] = []
        if answer.headers[HTTPField.Name(InvokeAPI.Header.functionError)!] == nil && !answer.body.isEmpty {
            frames += EventStreamMessage.payloadChunk(answer.body).encoded
        }
        frames += completion(answer).encoded
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: frames)))
    }
}
