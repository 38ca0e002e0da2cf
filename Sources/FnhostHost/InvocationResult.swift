import FnhostTraces
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
    /// The worker's `Fnhost-Cache` annotation, when it sent one that parses: parsed once, when the result is made,
    /// for the tallies, the metrics and the `REPORT` line alike.
    public var cache: CacheAnnotation?
    /// The lines the worker logged during this invocation, framed by `START`/`END`/`REPORT`.
    public var log: [String]
    /// `timeout` or `error` when the invocation did not complete normally.
    public var status: String?
    /// The simulated delays added to this invocation, when its function runs under an overhead profile.
    public var simulation: Simulated?
    /// Measured: what the caller waited, less the real time spent sleeping for simulated delays.
    public var measuredLatencyMs: Double
    /// What the caller would have waited on Lambda: measured latency plus the simulated delays (in simulated ms,
    /// whatever the time scale).
    public var latencyMs: Double
    /// Every simulated millisecond in this invocation, its calls to other functions included.
    public var simulatedMs: Double { latencyMs - measuredLatencyMs }
    /// Real time slept for simulated delays (simulated × time scale), calls to other functions included.
    public var realSleep: Duration
    /// `Duration` as it would be on Lambda: the measured duration with the calls to other functions counted at
    /// their simulated cost instead of their scaled sleep. Equal to `durationMs` without a profile.
    public var simulatedDurationMs: Double
    /// This invocation's part of its trace: the trace id and its spans (its own first, at offset 0).
    public var trace: InvocationTrace?

    /// The simulated part of one invocation.
    public struct Simulated: Sendable {
        public var profile: String
        /// Added to a cold start (nil on a warm one).
        public var coldStartMs: Double?
        /// The hop's dispatch overhead.
        public var invokeOverheadMs: Double
        public var totalMs: Double { (coldStartMs ?? 0) + invokeOverheadMs }
    }

    /// The worker's cache outcome (`worker-hit`, `shared-hit`, `miss`), when it reported one.
    public var cacheOutcome: String? { cache?.outcome.rawValue }

    public var isColdStart: Bool { initDurationMs != nil }
    public var isError: Bool { if case .functionError = outcome { true } else { false } }

    /// The payload as Lambda returns it: the function's answer, or the error object.
    public var payload: [UInt8] {
        switch outcome {
        case .success(let bytes): bytes
        case .functionError(let e):
            Array(
                ("{\"errorMessage\":\(JSONText.quote(e.errorMessage)),\"errorType\":\(JSONText.quote(e.errorType))"
                    + (e.stackTrace.map { ",\"stackTrace\":[" + $0.map(JSONText.quote).joined(separator: ",") + "]" }
                        ?? "")
                    + "}").utf8)
        }
    }

    /// The `REPORT` line's fields: Lambda's, then fnhost's own (see the README's "REPORT fields").
    var report: LogLines.Report {
        var extra: [(String, String)] = []
        if let outcome = cacheOutcome { extra.append(("fnhost Cache", outcome)) }
        if let s = simulation {
            extra.append(("fnhost Profile", s.profile))
            if let cold = s.coldStartMs {
                extra.append(("fnhost Simulated Cold Start", "\(LogLines.milliseconds(cold)) ms"))
            }
            extra.append(("fnhost Simulated Invoke Overhead", "\(LogLines.milliseconds(s.invokeOverheadMs)) ms"))
            if simulatedDurationMs != durationMs {
                extra.append(("fnhost Simulated Duration", "\(LogLines.milliseconds(simulatedDurationMs)) ms"))
            }
            extra.append(("fnhost Measured Latency", "\(LogLines.milliseconds(measuredLatencyMs)) ms"))
            extra.append(("fnhost Latency", "\(LogLines.milliseconds(latencyMs)) ms"))
        }
        return LogLines.Report(
            requestID: requestID, durationMs: durationMs, memorySizeMB: memorySizeMB,
            maxMemoryUsedMB: maxMemoryUsedMB, initDurationMs: initDurationMs, extraFields: extra, status: status
        )
    }
}
