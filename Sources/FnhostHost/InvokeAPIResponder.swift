import FnhostTraces
import FnhostWire
import HTTPTypes

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Lambda's Invoke API over HTTP (`POST /2015-03-31/functions/{name}/invocations`): turns a request into a host
/// invocation and the result into the status, headers and body the AWS SDKs expect, whatever server carries it:
/// each worker's Runtime API endpoint (SwiftNIO, for calls from one function to another) and `fnhost serve`
/// (Hummingbird, in `FnhostServer`).
public struct InvokeAPIResponder: Sendable {
    let host: FunctionHost
    let onResult: @Sendable (InvocationResult) -> Void

    /// - Parameter onResult: sees every completed invocation (the host uses it to charge a caller's nested calls).
    public init(host: FunctionHost, onResult: @escaping @Sendable (InvocationResult) -> Void = { _ in }) {
        self.host = host
        self.onResult = onResult
    }

    /// An Invoke API request, whatever server received it: the headers that matter and the whole body.
    public struct Call: Sendable {
        public var invocationType: String?
        public var clientContext: String?
        public var logType: String?
        public var body: [UInt8]
        /// The caller's `X-Amzn-Trace-Id` (the AWS SDKs send `_X_AMZN_TRACE_ID`'s value) and W3C `traceparent`.
        public var traceHeader: String?
        public var traceparent: String?

        public init(
            invocationType: String?, clientContext: String?, logType: String?, body: [UInt8],
            traceHeader: String? = nil, traceparent: String? = nil
        ) {
            self.invocationType = invocationType
            self.clientContext = clientContext
            self.logType = logType
            self.body = body
            self.traceHeader = traceHeader
            self.traceparent = traceparent
        }

        /// Reads the headers that matter from a request's fields.
        public init(headers: HTTPFields, body: [UInt8]) {
            self.init(
                invocationType: headers[HTTPField.Name(InvokeAPI.Header.invocationType)!],
                clientContext: headers[HTTPField.Name(InvokeAPI.Header.clientContext)!],
                logType: headers[HTTPField.Name(InvokeAPI.Header.logType)!], body: body,
                traceHeader: headers[HTTPField.Name(TraceHeader.name)!],
                traceparent: headers[HTTPField.Name(TraceParent.name)!])
        }
    }

    /// What the Invoke API answers: status, headers and body, for any server to write.
    public struct Answer: Sendable {
        public var status: HTTPResponse.Status
        public var headers: HTTPFields
        public var body: [UInt8]
    }

    /// Runs one Invoke API call (`RequestResponse` or `DryRun`) and says what to answer.
    /// - Parameters:
    ///   - trace: how the invocation joins a trace; by default, the caller's trace headers' trace (or a new one),
    ///     recorded when the invocation ends.
    ///   - onChunk: gets the chunks of a response the function streams as they arrive (InvokeWithResponseStream).
    public func answer(
        function: String, call: Call, trace: TraceLink? = nil, onChunk: (@Sendable ([UInt8]) -> Void)? = nil
    ) async -> Answer {
        let type = call.invocationType ?? "RequestResponse"
        guard type == "RequestResponse" || type == "DryRun" else {
            return Self.answer(
                ServiceError(
                    type: "InvalidParameterValueException", status: 400,
                    message: "Unsupported invocation type \(type) on this endpoint; use RequestResponse or DryRun"))
        }
        guard call.body.count <= InvokeAPI.maxSyncPayloadBytes else {
            return Self.answer(.tooLarge(size: call.body.count, limit: InvokeAPI.maxSyncPayloadBytes))
        }
        if type == "DryRun" {
            guard host.functions[function] != nil else { return Self.answer(.notFound(function: function)) }
            return Answer(status: .noContent, headers: [:], body: [])
        }
        do {
            let link =
                trace
                ?? .continuing(traceparent: call.traceparent, amznTraceID: call.traceHeader, trigger: .invoke)
            let result = try await host.invoke(
                function, payload: call.body, clientContext: call.clientContext, trace: link, onChunk: onChunk)
            onResult(result)
            return Self.answer(for: result, tail: call.logType == "Tail")
        } catch {
            return Self.answer(error)
        }
    }

    static func answer(for result: InvocationResult, tail: Bool) -> Answer {
        var headers: HTTPFields = [.contentType: "application/json"]
        headers[HTTPField.Name(InvokeAPI.Header.requestID)!] = result.requestID
        headers[HTTPField.Name(InvokeAPI.Header.executedVersion)!] = "$LATEST"
        // fnhost's own: the simulated part of this call, so that a caller can split what it waited (SimulatedTime).
        headers[HTTPField.Name(SimulatedTime.headerName)!] =
            SimulatedTime(simulatedMs: result.simulatedMs, sleptMs: result.realSleep.inMilliseconds).headerValue
        if let trace = result.trace {
            headers[HTTPField.Name(TraceHeader.name)!] =
                TraceHeader(root: trace.traceID, parent: trace.spanID, sampled: true).value
        }
        if result.isError {
            headers[HTTPField.Name(InvokeAPI.Header.functionError)!] = FunctionErrorKind.unhandled.rawValue
        }
        if tail {
            let text = Array(result.log.joined(separator: "\n").utf8.suffix(4096))
            headers[HTTPField.Name(InvokeAPI.Header.logResult)!] = Data(text).base64EncodedString()
        }
        return Answer(status: .ok, headers: headers, body: result.payload)
    }

    /// A refusal in Lambda's shape: the status, `X-Amzn-ErrorType` and the JSON error body.
    public static func answer(_ error: ServiceError) -> Answer {
        var headers: HTTPFields = [.contentType: "application/json"]
        headers[HTTPField.Name(InvokeAPI.Header.errorType)!] = error.type
        return Answer(
            status: HTTPResponse.Status(code: error.status), headers: headers, body: Array(error.jsonBody.utf8))
    }
}
