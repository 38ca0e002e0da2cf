#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization
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
    public var remainingTimeMs: Int64 { deadlineMs - Clock.epochMilliseconds() }

    public func log(_ message: String) { LambdaLog.write(message) }

    /// Tells the host how this invocation's cache lookup went, so that it can aggregate outcomes per worker and
    /// per function. Sent as the `Fnhost-Cache` header on the Runtime API response; AWS Lambda ignores it.
    /// - Parameters:
    ///   - outcome: `worker-hit`, `shared-hit` or `miss`.
    ///   - workerMs, sharedMs, storeMs: measured time spent in each tier, in milliseconds.
    public func recordCacheOutcome(_ outcome: String, workerMs: Double, sharedMs: Double, storeMs: Double) {
        annotations.set(
            "Fnhost-Cache",
            "outcome=\(outcome); worker-ms=\(workerMs); shared-ms=\(sharedMs); store-ms=\(storeMs)"
        )
    }

    /// Invokes another function synchronously (`RequestResponse`) through `AWS_ENDPOINT_URL_LAMBDA` and decodes
    /// its answer. A function error in the callee is thrown as ``InvokeError/functionError(type:message:)``.
    public func invoke<Payload: Encodable, Result: Decodable>(
        _ function: String, payload: Payload, as: Result.Type = Result.self
    ) async throws -> Result {
        let body = try JSONEncoder().encode(payload)
        let answer = try invoker.invoke(function: function, payload: [UInt8](body))
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
        case .noEndpoint: "AWS_ENDPOINT_URL_LAMBDA is not set; cannot invoke another function"
        case .functionError(let type, let message): "invoked function failed: \(type): \(message)"
        case .serviceError(let status, let type, let message): "invoke refused (\(status) \(type)): \(message)"
        case .transport(let m): "invoke failed: \(m)"
        }
    }
}

/// Sends Invoke API calls on one keep-alive connection; shared by every invocation of this worker.
final class FunctionInvoker: Sendable {
    private let endpoint: String?
    private let client: Mutex<HTTPClient?>

    init(endpoint: String?) {
        self.endpoint = endpoint
        self.client = Mutex(nil)
    }

    func invoke(function: String, payload: [UInt8]) throws -> [UInt8] {
        guard let endpoint else { throw InvokeError.noEndpoint }
        let url = endpoint + "/2015-03-31/functions/" + function + "/invocations"
        let response = try client.withLock { client -> HTTPClient.Response in
            if client == nil { client = HTTPClient() }
            do {
                return try client!.perform(
                    method: "POST", url: url, headers: [("Content-Type", "application/json")], body: payload,
                    wantHeaders: ["X-Amz-Function-Error", "x-amzn-ErrorType"]
                )
            } catch {
                throw InvokeError.transport("\(error)")
            }
        }
        if response.status >= 300 {
            let decoded = try? JSONDecoder().decode(ServiceErrorBody.self, from: Data(response.body))
            throw InvokeError.serviceError(
                status: response.status, type: response.headers["x-amzn-ErrorType"] ?? "ServiceException",
                message: decoded?.message ?? String(decoding: response.body, as: UTF8.self)
            )
        }
        if response.headers["X-Amz-Function-Error"] != nil {
            let decoded = try? JSONDecoder().decode(ErrorBody.self, from: Data(response.body))
            throw InvokeError.functionError(
                type: decoded?.errorType ?? "Unknown",
                message: decoded?.errorMessage ?? String(decoding: response.body, as: UTF8.self)
            )
        }
        return response.body
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
    func take() -> [(String, String)] { headers.withLock { h in defer { h = [] }; return h } }
}

struct ErrorBody: Codable, Error {
    var errorMessage: String
    var errorType: String
    var stackTrace: [String]?
}

enum Clock {
    static func epochMilliseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}
