import FnhostManifest
import FnhostSimulation
import FnhostTraces
import FnhostWire

extension FunctionHost {
    /// What an invocation cost and how it ended, as Lambda reports it: the result (outcome, durations, memory,
    /// simulated overheads), the platform's log lines (`END`, `REPORT`, and the error line of a failure only the
    /// platform saw), and the metrics, cache and usage tallies.
    /// - Parameters:
    ///   - durationMs: how long the worker ran, measured; a timeout is billed at the timeout instead.
    ///   - called: when `invoke` was called, for the latency the caller saw.
    ///   - overhead: the simulated invoke overhead slept before the worker got the event.
    ///   - coldStart: the simulated part of the worker's cold start, when this invocation started it.
    func account(
        _ workerOutcome: WorkerOutcome, lines: [String], manifest: FunctionManifest, requestID: String, worker: Worker,
        isColdStart: Bool, called: ContinuousClock.Instant, durationMs measuredMs: Double, overhead: SimulatedDelay,
        coldStart: SimulatedDelay?, nested calls: NestedCalls
    ) -> InvocationResult {
        let name = manifest.name
        var durationMs = measuredMs
        var outcome: InvocationResult.Outcome
        var annotations: [String: String] = [:]
        var status: String? = nil
        switch workerOutcome {
        case .response(let body, let a):
            outcome = .success(body)
            annotations = a
        case .functionError(let e, let a):
            outcome = .functionError(e)
            annotations = a
            status = "error"
        case .exited(let why):
            outcome = .functionError(.exitError(requestID: requestID, why))
            status = "error"
        case .timedOut:
            outcome = .functionError(.timeout(seconds: manifest.timeout))
            durationMs = manifest.timeout * 1000
            status = "timeout"
        case .protocolViolation(let why):
            outcome = .functionError(FunctionError(errorMessage: why, errorType: "Runtime.InvalidResponse"))
            status = "error"
        }
        let peak = worker.peakMemoryMB()
        let nested = calls.totals
        let slept = overhead.realDuration + (coldStart?.realDuration ?? .zero) + nested.realSleep
        let simulatedMs = overhead.simulatedMs + (coldStart?.simulatedMs ?? 0) + nested.simulatedMs
        let measuredLatencyMs = (clock.now - called - slept).inMilliseconds
        var result = InvocationResult(
            requestID: requestID, function: name, outcome: outcome, durationMs: durationMs,
            initDurationMs: isColdStart ? worker.initDurationMs : nil, workerName: worker.name,
            workerPID: worker.pid, memorySizeMB: manifest.memorySize, maxMemoryUsedMB: peak,
            annotations: annotations,
            cache: annotations[CacheAnnotation.annotationKey].flatMap { try? CacheAnnotation(parsing: $0) },
            log: [], status: status,
            simulation: samplers[name] == nil
                ? nil
                : InvocationResult.Simulated(
                    profile: samplers[name]!.profile.name, coldStartMs: coldStart?.simulatedMs,
                    invokeOverheadMs: overhead.simulatedMs),
            measuredLatencyMs: measuredLatencyMs, latencyMs: measuredLatencyMs + simulatedMs, realSleep: slept,
            simulatedDurationMs: durationMs - nested.realSleep.inMilliseconds + nested.simulatedMs
        )
        if let cache = result.cache { cacheTally.record(cache, function: name, worker: worker.name) }
        var platformLines: [String] = []
        if case .functionError(let e) = outcome, !workerOutcome.isReportedByFunction {
            // A failure the platform saw (timeout, crash) is written to the log by the platform, as Lambda does.
            platformLines.append(
                "\(Self.timestamp()) \(requestID) \(e.errorType == "Sandbox.Timedout" ? "" : e.errorType + ": ")\(e.errorMessage)"
            )
            sink.platform(platformLines[0], function: name, requestID: requestID)
        }
        let end = LogLines.end(requestID: requestID)
        let report = LogLines.report(result.report)
        sink.platform(end, function: name, requestID: requestID)
        sink.platform(report, function: name, requestID: requestID)
        result.log = [LogLines.start(requestID: requestID)] + lines + platformLines + [end, report]
        metrics.invocation(result)
        usage.record(result)
        return result
    }

    /// An invocation whose worker failed to start: Lambda answers with the init error as a function error.
    /// - Parameters:
    ///   - link, ids: the trace the invocation joins; its trace holds the cold start as far as it went
    ///     (``initFailureTrace(_:failure:ids:link:waitMs:)``).
    ///   - called: when `invoke` was called, for the time the invocation waited before its worker's start failed.
    func initFailure(
        _ manifest: FunctionManifest, _ cause: any Error, link: TraceLink, ids: InvocationSpanIDs,
        called: ContinuousClock.Instant
    ) -> InvocationResult {
        let failure = cause as? WorkerStartFailure
        let error =
            failure?.reason.functionError ?? FunctionError(errorMessage: "\(cause)", errorType: "Runtime.Unknown")
        let requestID = identifiers.requestID()
        var result = InvocationResult(
            requestID: requestID, function: manifest.name, outcome: .functionError(error), durationMs: 0,
            initDurationMs: failure?.initDurationMs ?? 0, workerName: failure?.workerName, workerPID: nil,
            memorySizeMB: manifest.memorySize, maxMemoryUsedMB: 0, annotations: [:], log: [], status: "error",
            simulation: nil, measuredLatencyMs: failure?.initDurationMs ?? 0, latencyMs: failure?.initDurationMs ?? 0,
            realSleep: .zero, simulatedDurationMs: 0
        )
        let lines = [
            LogLines.start(requestID: requestID),
            "\(Self.timestamp()) \(requestID) \(error.errorType): \(error.errorMessage)",
            LogLines.end(requestID: requestID),
            LogLines.report(result.report),
        ]
        for line in lines { sink.platform(line, function: manifest.name, requestID: requestID) }
        result.log = lines
        metrics.invocation(result)
        guard configuration.tracing else { return result }
        let part = initFailureTrace(
            result, failure: failure, ids: ids, link: link,
            waitMs: (clock.now - called).inMilliseconds - (failure.map { max($0.initDurationMs, $0.spawnMs) } ?? 0))
        result.trace = part
        if link.recordsTrace { recordTrace(part, root: manifest.name, link: link, outcome: .error) }
        return result
    }
}
