import FnhostTraces
import FnhostWire

extension FunctionHost {
    /// The trace of an invocation whose worker never started: its request span, the time it waited for the pool,
    /// and the cold start as far as it went (the spawn, then the init up to its failure, both measured), with the
    /// error type the invocation answered with (`Runtime.ExitError` when the process exited, the runtime's own
    /// `/init/error` type or `Runtime.InitError`, `Runtime.InitTimeout`, as Lambda reports them). So that
    /// `/fnhost/traces` and an experiment's kept traces show why a cold start ended in an error.
    func initFailureTrace(
        _ result: InvocationResult, failure: WorkerStartFailure?, ids: InvocationSpanIDs, link: TraceLink,
        waitMs: Double
    ) -> InvocationTrace {
        let spawnMs = max(0, failure?.spawnMs ?? 0)
        let initMs = max(0, (failure?.initDurationMs ?? 0) - spawnMs)
        let wait = max(0, waitMs)
        // A process that never ran (or a failure fnhost cannot place) failed in its spawn; any other, in its init.
        let failedInSpawn: Bool
        if let failure, case .spawnFailed = failure.reason {
            failedInSpawn = true
        } else {
            failedInSpawn = failure == nil
        }
        var error: [String: String] = ["fnhost.phase": "init"]
        if case .functionError(let e) = result.outcome {
            error["error.type"] = e.errorType
            error["error.message"] = e.errorMessage
        }
        var rootAttributes = error.merging(
            ["requestId": result.requestID, "fnhost.outcome": "error", "faas.coldstart": "true"]
        ) { a, _ in a }
        if let worker = failure?.workerName { rootAttributes["fnhost.worker"] = worker }
        var spans = [
            Span(
                id: ids.invocation, parent: link.parent, name: result.function,
                kind: link.recordsTrace ? .request : .call, function: result.function, startMs: 0,
                durationMs: wait + spawnMs + initMs, timing: .measured, attributes: rootAttributes)
        ]
        func child(_ name: String, _ parent: SpanID, at: Double, _ ms: Double, _ attributes: [String: String]) -> SpanID
        {
            let id = identifiers.spanID()
            spans.append(
                Span(
                    id: id, parent: parent, name: name, kind: name == "waiting for a worker" ? .overhead : .coldStart,
                    function: result.function, startMs: at, durationMs: ms, timing: .measured,
                    attributes: attributes))
            return id
        }
        if wait >= 0.05 { _ = child("waiting for a worker", ids.invocation, at: 0, wait, [:]) }
        var coldAttributes = error
        if let worker = failure?.workerName { coldAttributes["fnhost.worker"] = worker }
        let cold = child("cold start", ids.invocation, at: wait, spawnMs + initMs, coldAttributes)
        _ = child("spawn", cold, at: wait, spawnMs, failedInSpawn ? error : [:])
        if !failedInSpawn { _ = child("init", cold, at: wait + spawnMs, initMs, error) }
        return InvocationTrace(traceID: ids.traceID, startedAtMs: ids.startedAtMs, spans: spans)
    }
}
