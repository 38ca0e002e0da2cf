import FnhostWire

/// What one invocation produced, with every figure the platform measured about it.
public struct InvocationResult: Sendable {
    public enum Outcome: Sendable {
        case success([UInt8])
        /// The function failed (reported an error, crashed, timed out, or failed init): Lambda still answers 200,
        /// with `X-Amz-Function-Error` and this error as the payload.
        case functionError(FunctionError)
    }

    public var requestID: String
    public var function: String
    public var outcome: Outcome
    /// Measured: event handed to the worker → answer received.
    public var durationMs: Double
    /// Measured, cold starts only: worker spawned → first `next`.
    public var initDurationMs: Double?
    public var workerName: String?
    public var workerPID: Int32?
    public var memorySizeMB: Int
    /// Measured: the worker process's peak resident memory.
    public var maxMemoryUsedMB: Int
    /// fnhost annotations the worker sent (such as `fnhost-cache`).
    public var annotations: [String: String]
    /// The lines the worker logged during this invocation, framed by `START`/`END`/`REPORT`.
    public var log: [String]
    /// `timeout` or `error` when the invocation did not complete normally.
    public var status: String?

    public var isColdStart: Bool { initDurationMs != nil }
    public var isError: Bool { if case .functionError = outcome { true } else { false } }

    /// The payload as Lambda returns it: the function's answer, or the error object.
    public var payload: [UInt8] {
        switch outcome {
        case .success(let bytes): bytes
        case .functionError(let e):
            Array(("{\"errorMessage\":\(JSONText.quote(e.errorMessage)),\"errorType\":\(JSONText.quote(e.errorType))"
                + (e.stackTrace.map { ",\"stackTrace\":[" + $0.map(JSONText.quote).joined(separator: ",") + "]" } ?? "")
                + "}").utf8)
        }
    }

    var report: LogLines.Report {
        LogLines.Report(
            requestID: requestID, durationMs: durationMs, memorySizeMB: memorySizeMB,
            maxMemoryUsedMB: maxMemoryUsedMB, initDurationMs: initDurationMs, status: status
        )
    }
}
