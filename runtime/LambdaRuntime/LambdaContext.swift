import FnhostWire
import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// What a handler knows about the invocation it is serving, from the Runtime API's `next` headers; and its way to
/// call another function through the same Invoke API the AWS SDKs use.
public struct LambdaContext: Sendable {
    public let requestID: String
    /// Unix epoch milliseconds after which the host stops waiting.
    public let deadlineMs: Int64
    public let invokedFunctionARN: String
    public let traceID: String
    public let functionName: String
    public let functionVersion: String
    public let memoryLimitMB: Int
    public let logGroupName: String
    public let logStreamName: String
    let invoker: FunctionInvoker
    let annotations: InvocationAnnotations

    /// Time left before the invocation's deadline.
    public var remainingTimeMs: Int64 { deadlineMs - WallClock.epochMilliseconds() }

    public func log(_ message: String) { LambdaLog.write(message) }

    /// Tells the host how this invocation's cache lookup went, so that it can aggregate outcomes per worker and
    /// per function. Sent as the ``CacheAnnotation`` header (`Fnhost-Cache`) on the Runtime API response; AWS Lambda
    /// ignores it. A second call in the same invocation replaces the first.
    public func recordCacheOutcome(_ annotation: CacheAnnotation) {
        annotations.set(CacheAnnotation.headerName, annotation.headerValue)
    }

    /// Invokes another function synchronously (`RequestResponse`) through `AWS_ENDPOINT_URL_LAMBDA` and decodes
    /// its answer. A function error in the callee is thrown as ``InvokeError/functionError(type:message:)``.
    ///
    /// Calls made in parallel (from a task group or `async let`) run in parallel: each takes a connection of its own
    /// and waits on a thread of its own, never on Swift's cooperative threads.
    public func invoke<Payload: Encodable, Result: Decodable>(
        _ function: String, payload: Payload, as: Result.Type = Result.self
    ) async throws -> Result {
        let body = try JSONEncoder().encode(payload)
        let answer = try await invoker.invoke(function: function, payload: [UInt8](body), traceHeader: traceID)
        return try JSONDecoder().decode(Result.self, from: Data(answer))
    }
}

/// Why a call to another function failed.
public enum InvokeError: Error, Sendable, CustomStringConvertible {
    /// `AWS_ENDPOINT_URL_LAMBDA` is not set: nothing to send the call to.
    case noEndpoint
    /// The callee ran and failed (`X-Amz-Function-Error`).
    case functionError(type: String, message: String)
    /// The Invoke API refused the call (unknown function, throttled, too large, ...).
    case serviceError(status: Int, type: String, message: String)
    case transport(String)

    public var description: String {
        switch self {
        case .noEndpoint: "\(RuntimeAPI.Environment.lambdaEndpoint) is not set; cannot invoke another function"
        case .functionError(let type, let message): "invoked function failed: \(type): \(message)"
        case .serviceError(let status, let type, let message): "invoke refused (\(status) \(type)): \(message)"
        case .transport(let m): "invoke failed: \(m)"
        }
    }
}

/// Sends Invoke API calls for every invocation of this worker.
///
/// No lock is held across socket I/O: each call takes an idle keep-alive client from a small pool (or makes one),
/// performs its exchange on a ``BlockingCallThreads`` thread, and puts the client back. Parallel calls therefore
/// overlap, each on its own connection, and a warm worker reuses its connections.
final class FunctionInvoker: Sendable {
    /// A client owned by exactly one holder at a time: the pool (under its lock) or the one call that took it out.
    /// That hand-over is what makes sharing it across threads safe.
    private struct PooledClient: @unchecked Sendable {
        let client: HTTPClient
    }

    /// Idle connections kept for later calls; more parallel calls than this open connections of their own, which
    /// are closed when they come back to a full pool.
    static let maxIdleClients = 4

    private let endpoint: String?
    private let idle = Mutex<[PooledClient]>([])
    private let threads: BlockingCallThreads

    init(endpoint: String?, threads: BlockingCallThreads = .shared) {
        self.endpoint = endpoint
        self.threads = threads
    }

    /// What the Invoke API answered, as far as a caller needs it.
    struct Answer: Sendable {
        var status: Int
        var body: [UInt8]
        var functionError: String?
        var errorType: String?
        var simulated: String?
    }

    func invoke(function: String, payload: [UInt8], traceHeader: String? = nil) async throws(InvokeError) -> [UInt8] {
        try await invokeReportingSimulated(function: function, payload: payload, traceHeader: traceHeader).body
    }

    /// As ``invoke(function:payload:)``, with the host's ``SimulatedTime`` header (nil when it sent none).
    /// - Parameter traceHeader: the invocation's `Lambda-Runtime-Trace-Id`, sent as `X-Amzn-Trace-Id` (as the AWS
    ///   SDKs send `_X_AMZN_TRACE_ID`) so that the callee joins the caller's trace.
    func invokeReportingSimulated(
        function: String, payload: [UInt8], traceHeader: String? = nil
    ) async throws(InvokeError) -> (body: [UInt8], simulated: SimulatedTime?) {
        guard let endpoint else { throw .noEndpoint }
        let answer = try await exchange(
            method: "POST", url: endpoint + InvokeAPI.path(function: function), body: payload,
            traceHeader: traceHeader)
        if answer.status >= 300 {
            let decoded = try? JSONDecoder().decode(ServiceErrorBody.self, from: Data(answer.body))
            throw .serviceError(
                status: answer.status, type: answer.errorType ?? "ServiceException",
                message: decoded?.message ?? String(decoding: answer.body, as: UTF8.self)
            )
        }
        if answer.functionError != nil {
            let decoded = try? JSONDecoder().decode(FunctionError.self, from: Data(answer.body))
            throw .functionError(
                type: decoded?.errorType ?? "Unknown",
                message: decoded?.errorMessage ?? String(decoding: answer.body, as: UTF8.self)
            )
        }
        return (answer.body, answer.simulated.flatMap { try? SimulatedTime(parsing: $0) })
    }

    /// One HTTP exchange on a pooled keep-alive connection, on a thread of its own.
    func exchange(
        method: String, url: String, body: [UInt8]?, traceHeader: String? = nil
    ) async throws(InvokeError) -> Answer {
        try await threads.run { () throws(InvokeError) -> Answer in
            let pooled = self.checkOut()
            defer { self.checkIn(pooled) }
            let response: HTTPClient.Response
            do throws(HTTPClient.Failure) {
                var headers: [(String, String)] = body == nil ? [] : [("Content-Type", "application/json")]
                if let traceHeader, !traceHeader.isEmpty { headers.append(("X-Amzn-Trace-Id", traceHeader)) }
                response = try pooled.client.perform(
                    method: method, url: url, headers: headers,
                    body: body,
                    wantHeaders: [InvokeAPI.Header.functionError, InvokeAPI.Header.errorType, SimulatedTime.headerName]
                )
            } catch {
                throw .transport(error.description)
            }
            return Answer(
                status: response.status, body: response.body,
                functionError: response.headers[InvokeAPI.Header.functionError],
                errorType: response.headers[InvokeAPI.Header.errorType],
                simulated: response.headers[SimulatedTime.headerName]
            )
        }
    }

    /// Connections currently idle in the pool, for tests.
    var idleClients: Int { idle.withLock { $0.count } }

    private func checkOut() -> PooledClient {
        idle.withLock { $0.popLast() } ?? PooledClient(client: HTTPClient())
    }

    private func checkIn(_ pooled: PooledClient) {
        idle.withLock { idle in
            if idle.count < Self.maxIdleClients { idle.append(pooled) }
        }
    }

    private struct ServiceErrorBody: Decodable { var message: String? }
}

/// Headers the runtime adds to this invocation's response; collected by the handler through its context.
final class InvocationAnnotations: Sendable {
    private let headers = Mutex<[(String, String)]>([])
    func set(_ name: String, _ value: String) {
        headers.withLock { h in
            h.removeAll { $0.0 == name }
            h.append((name, value))
        }
    }
    func take() -> [(String, String)] {
        headers.withLock { h in
            defer { h = [] }; return h
        }
    }
}

/// Wall-clock time, for deadlines the host gives in Unix epoch milliseconds.
enum WallClock {
    static func epochMilliseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}
