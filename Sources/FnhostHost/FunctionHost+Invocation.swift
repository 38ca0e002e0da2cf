import FnhostManifest
import FnhostPool
import FnhostSimulation
import FnhostTraces
import FnhostWire
import Synchronization

extension FunctionHost {
    /// Runs one synchronous (`RequestResponse`) invocation.
    /// - Throws: ``ServiceError`` when the request never reaches a function (unknown function, payload not JSON or
    ///   too large, throttled). A function's own failure is a result, not a throw, as in Lambda's Invoke API.
    /// - Parameter requestID: the id to run under (an async event keeps the id its 202 answer gave); new if nil.
    /// - Parameter trace: the trace the invocation joins, and whether `invoke` records it when it ends (a trace of
    ///   its own, started by the Invoke API, by default).
    ///
    /// The invocation runs on the host's ``executor``; a caller already running there crosses no thread.
    /// - Parameter onChunk: gets each chunk of a response the function streams, as it arrives (the result still
    ///   holds the whole response).
    public func invoke(
        _ name: String, payload: [UInt8], clientContext: String? = nil, requestID: String? = nil,
        trace: TraceLink = .starting(.invoke), onChunk: (@Sendable ([UInt8]) -> Void)? = nil
    ) async throws(ServiceError) -> InvocationResult {
        try await withTaskExecutorPreference(executor) { () async throws(ServiceError) -> InvocationResult in
            try await invokeOnHostExecutor(
                name, payload: payload, clientContext: clientContext, requestID: requestID, link: trace,
                onChunk: onChunk)
        }
    }

    /// Validates the event, leases a worker (warm, or cold from a start), hands it the event, and gives the worker
    /// back to its pool: kept warm when the function answered, discarded when the platform had to end the call.
    private func invokeOnHostExecutor(
        _ name: String, payload: [UInt8], clientContext: String?, requestID: String?, link: TraceLink,
        onChunk: (@Sendable ([UInt8]) -> Void)?
    ) async throws(ServiceError) -> InvocationResult {
        guard let manifest = functions[name], let pool = pool(name) else { throw .notFound(function: name) }
        guard payload.count <= InvokeAPI.maxSyncPayloadBytes else {
            throw .tooLarge(size: payload.count, limit: InvokeAPI.maxSyncPayloadBytes)
        }
        let event = try InvokeAPI.event(fromPayload: payload)

        let called = clock.now
        let spans = InvocationSpanIDs(
            traceID: link.traceID ?? identifiers.newTraceID(), invocation: identifiers.spanID(),
            duration: identifiers.spanID(), startedAtMs: Self.epochMillisecondsNow())
        let index = invocationCounter.withLock { counters -> Int in
            defer { counters[name, default: 0] += 1 }
            return counters[name, default: 0]
        }
        var lease: Lease<Worker>
        do {
            lease = try await pool.acquire()
            // A warm worker that died while idle is replaced before the event is handed over.
            while !lease.isColdStart && !lease.worker.isAlive {
                await pool.discard(lease.worker)
                lease = try await pool.acquire()
            }
        } catch {
            switch error {
            case .throttled(let limit):
                metrics.throttled(function: name)
                _ = refusedTrace(
                    name, link: link, traceID: spans.traceID, spanID: spans.invocation,
                    startedAtMs: spans.startedAtMs, waitedMs: (clock.now - called).inMilliseconds, outcome: .throttled,
                    reason: "reserved concurrency \(limit) reached")
                throw .throttled(function: name, limit: limit)
            case .shuttingDown: throw .serviceUnavailable("fnhost is shutting down")
            case .startFailed(let cause):
                return initFailure(manifest, cause, link: link, ids: spans, called: called)
            }
        }
        let worker = lease.worker
        let leased = clock.now
        let requestID = requestID ?? identifiers.requestID()
        let delivery = Delivery(
            requestID: requestID, payload: event,
            deadlineMs: Self.epochMilliseconds() + Int64(manifest.timeout * 1000),
            functionARN: ARN.function(name, region: configuration.region),
            traceID: TraceHeader(root: spans.traceID, parent: spans.duration, sampled: true).value,
            clientContext: clientContext, onChunk: onChunk
        )
        // The simulated price of the hop (Lambda's frontend and placement), paid before the event reaches a worker.
        let overhead = samplers[name]?.delay(.invoke, function: name, index: index) ?? .zero
        try? await overhead.sleep()
        let coldStart = lease.isColdStart ? worker.simulatedColdStart : nil
        sink.platform(LogLines.start(requestID: requestID), function: name, requestID: requestID)
        let started = clock.now
        let (workerOutcome, lines) = await worker.run(delivery, timeout: .milliseconds(Int64(manifest.timeout * 1000)))
        let durationMs = (clock.now - started).inMilliseconds
        // The calls this invocation made, taken before the worker goes back to its pool: once released, the worker
        // may take another event, which starts a new record of calls.
        let nested = worker.takeNested()
        // A worker whose function answered (a response or an error) stays warm; one that crashed, timed out or broke
        // the protocol is never handed another event.
        if workerOutcome.isReportedByFunction {
            await pool.release(worker)
        } else {
            await pool.discard(worker)
        }
        var result = account(
            workerOutcome, lines: lines, manifest: manifest, requestID: requestID, worker: worker,
            isColdStart: lease.isColdStart, called: called, durationMs: durationMs, overhead: overhead,
            coldStart: coldStart, nested: nested)
        guard configuration.tracing else { return result }
        let part = invocationTrace(
            result, ids: spans, link: link, worker: worker, coldStart: coldStart,
            waitMs: (leased - called).inMilliseconds
                - (lease.isColdStart ? worker.initDurationMs + (coldStart?.realDuration.inMilliseconds ?? 0) : 0),
            functionSpans: workerOutcome.annotations[FunctionSpans.annotationKey],
            calls: nested.timelineCalls(from: started))
        result.trace = part
        if link.recordsTrace {
            recordTrace(part, root: name, link: link, outcome: Trace.Outcome(result))
        }
        return result
    }
}
