import FnhostSimulation
import FnhostTraces
import FnhostWire

/// The ids an invocation's trace needs before the worker runs: the worker is told its trace and its parent span
/// (`Lambda-Runtime-Trace-Id`), so that its calls join the trace under its duration.
struct InvocationSpanIDs: Sendable {
    var traceID: TraceID
    var invocation: SpanID
    var duration: SpanID
    var startedAtMs: Double
}

extension FunctionHost {
    /// An invocation's part of its trace, from the figures its result already holds (so that the spans and the
    /// `REPORT` line cannot disagree).
    func invocationTrace(
        _ result: InvocationResult, ids: InvocationSpanIDs, link: TraceLink, worker: Worker,
        coldStart: SimulatedDelay?, waitMs: Double, functionSpans: String?, calls: [InvocationTimeline.Call]
    ) -> InvocationTrace {
        let timeline = InvocationTimeline(
            function: result.function, requestID: result.requestID, spanID: ids.invocation,
            durationSpanID: ids.duration, parent: link.parent, kind: link.recordsTrace ? .request : .call,
            waitMs: max(0, waitMs),
            coldStart: result.isColdStart
                ? .init(
                    spawnMs: worker.spawnMs, initMs: max(0, worker.initDurationMs - worker.spawnMs),
                    simulatedMs: coldStart?.simulatedMs ?? 0, worker: worker.name) : nil,
            overheadMs: result.simulation?.invokeOverheadMs ?? 0, durationMs: result.simulatedDurationMs,
            latencyMs: result.latencyMs, worker: worker.name, cache: result.cache,
            functionSpans: functionSpans.flatMap { try? FunctionSpans(parsing: $0) }?.entries ?? [], calls: calls,
            outcome: result.status ?? "ok", profile: result.simulation?.profile)
        return InvocationTrace(
            traceID: ids.traceID, startedAtMs: ids.startedAtMs, spans: timeline.spans(newID: identifiers.spanID))
    }
}

extension Trace.Outcome {
    /// How an invocation ended, in a trace's terms.
    public init(_ result: InvocationResult) {
        switch result.status {
        case nil: self = .ok
        case "timeout": self = .timeout
        default: self = .error
        }
    }
}

extension WorkerOutcome {
    /// The annotations the worker sent with its answer (none when the platform ended the invocation).
    var annotations: [String: String] {
        switch self {
        case .response(_, let a), .functionError(_, let a): a
        case .exited, .timedOut, .protocolViolation: [:]
        }
    }
}
