import FnhostEventSources
import FnhostHost
import FnhostManifest
import FnhostQueues
import FnhostStore
import FnhostTraces
import FnhostWire
import Foundation
import Synchronization

/// SQS queues as event sources: the catalog that checks a mapping's queue, and the pollers that feed the function.
///
/// Per enabled mapping, pollers (concurrent batches) scale as `PollerScaling` says: five at first, more while
/// messages wait, up to the function's concurrency and the mapping's `MaximumConcurrency`. A poller takes a batch
/// (up to `BatchSize`, gathering for up to `MaximumBatchingWindowInSeconds`), invokes the function with Lambda's SQS
/// event, and then: success deletes the batch (one commit); a function error leaves it to reappear after the
/// visibility timeout, its receive count grown, until the queue's redrive moves it to the dead-letter queue; with
/// `ReportBatchItemFailures` only the failed messages stay (for FIFO, also the rest of their group). A throttled
/// invocation (429) makes the batch visible again at once and backs off one second: the receive count still grew
/// by one, as every receive does on AWS.
///
/// Every invocation attempt of a batch is a trace of its own (trigger `queue`, the queue as its root): the batch's
/// span, the receive (measured), the invocation below, and what became of the batch (`BatchTrace`).
struct SQSEventSource: EventSourceCatalog, MappingRunnerFactory {
    let service: SQSService
    let region: String

    func describe(sourceARN: String) async throws -> EventSourceInfo? {
        guard let arn = QueueARN(sourceARN), arn.account == SQSService.account,
            let queue = try await service.store.queue(named: arn.name)
        else { return nil }
        return EventSourceInfo(fifo: try SQSService.decode(queue).fifoQueue)
    }

    func run(_ mapping: EventSourceMapping, context: MappingRunContext) async {
        let queue = mapping.sourceName
        let concurrency =
            context.host.functions[mapping.function]?.reservedConcurrency
            ?? context.host.configuration.defaultConcurrency
        let scaling = PollerScaling(
            functionConcurrency: concurrency, maximumConcurrency: mapping.settings.maximumConcurrency)
        let active = PollerCount(scaling.initial)
        context.outcomes.pollers(mapping, scaling.initial)
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<scaling.cap {
                group.addTask {
                    await poll(mapping, queue: queue, index: index, active: active, context: context)
                }
            }
            // The supervisor of the pollers: once a second, the backlog decides how many poll.
            group.addTask {
                var last = ContinuousClock.now
                while !Task.isCancelled && !context.stopping() {
                    try? await Task.sleep(for: .seconds(1))
                    let now = ContinuousClock.now
                    let backlog =
                        (try? await service.store.messageCounts(queue: queue, now: SQSService.nowMs()))?.visible ?? 0
                    let next = scaling.next(
                        current: active.value.load(ordering: .relaxed), backlog: backlog,
                        batchSize: mapping.settings.batchSize,
                        elapsedSeconds: Double((now - last).components.seconds))
                    last = now
                    if next != active.value.load(ordering: .relaxed) {
                        active.value.store(next, ordering: .relaxed)
                        context.outcomes.pollers(mapping, next)
                    }
                }
            }
            await group.waitForAll()
        }
        context.outcomes.pollers(mapping, 0)
    }

    /// One poller: takes a batch, invokes, settles the batch; waits on the queue (a long poll) when it is empty.
    func poll(
        _ mapping: EventSourceMapping, queue: String, index: Int, active: PollerCount, context: MappingRunContext
    ) async {
        while !Task.isCancelled && !context.stopping() {
            guard index < active.value.load(ordering: .relaxed) else {
                try? await Task.sleep(for: .milliseconds(500))
                continue
            }
            let generation = await service.arrivals.generation(queue)
            let batch: [SQSReceivedMessage]
            let attributes: QueueAttributes
            let received: Received
            do {
                guard let found = try await service.store.queue(named: queue) else {
                    // The queue was deleted: the mapping waits for it (as Lambda's does), checking now and then.
                    try? await Task.sleep(for: .seconds(1))
                    continue
                }
                attributes = try SQSService.decode(found)
                let takenAtMs = Date().timeIntervalSince1970 * 1000
                let started = ContinuousClock.now
                batch = try await gather(mapping, queue: queue, attributes: attributes, context: context)
                received = Received(atMs: takenAtMs, ms: (ContinuousClock.now - started).inMilliseconds)
            } catch {
                try? await Task.sleep(for: .seconds(1))
                continue
            }
            if batch.isEmpty {
                let next = try? await service.store.nextVisibleAt(queue: queue, now: SQSService.nowMs())
                let until = SQSService.nowMs() + 20_000
                await service.arrivals.wait(queue, since: generation, untilMs: min(until, next ?? until))
                continue
            }
            await invoke(
                mapping, batch: batch, queue: queue, attributes: attributes, received: received, context: context)
        }
    }

    /// A batch: up to `BatchSize` messages, gathered for up to the batching window (none: one receive).
    func gather(
        _ mapping: EventSourceMapping, queue: String, attributes: QueueAttributes, context: MappingRunContext
    ) async throws -> [SQSReceivedMessage] {
        let size = mapping.settings.batchSize
        var batch = try await service.take(
            queue, attributes: attributes, limit: size, visibility: attributes.visibilityTimeout,
            now: SQSService.nowMs())
        let window = mapping.settings.maximumBatchingWindowInSeconds
        guard window > 0, !batch.isEmpty else { return batch }
        let deadline = SQSService.nowMs() + Int64(window) * 1000
        var bytes = batch.reduce(0) { $0 + $1.body.utf8.count }
        while batch.count < size, bytes < InvokeAPI.maxSyncPayloadBytes / 2, !context.stopping() {
            let generation = await service.arrivals.generation(queue)
            let more = try await service.take(
                queue, attributes: attributes, limit: size - batch.count, visibility: attributes.visibilityTimeout,
                now: SQSService.nowMs())
            batch += more
            bytes += more.reduce(0) { $0 + $1.body.utf8.count }
            if SQSService.nowMs() >= deadline { break }
            if more.isEmpty { await service.arrivals.wait(queue, since: generation, untilMs: deadline) }
        }
        return batch
    }

    /// When a batch was taken (Unix epoch ms) and how long the take took (measured, batching window included).
    struct Received: Sendable {
        var atMs: Double
        var ms: Double
    }

    /// Invokes the function with the batch and settles it as Lambda does; the attempt is a trace of its own
    /// (trigger `queue`), recorded with what became of the batch.
    func invoke(
        _ mapping: EventSourceMapping, batch: [SQSReceivedMessage], queue: String, attributes: QueueAttributes,
        received: Received, context: MappingRunContext
    ) async {
        let host = context.host
        let fifo = attributes.fifoQueue
        var batch = batch
        var event = SQSEventBatch.event(batch, queueARN: mapping.eventSourceARN, region: region)
        // Lambda's 6 MB limit on a synchronous payload: messages beyond it go back at once for a later batch.
        var overflow: [SQSReceivedMessage] = []
        while event.count > InvokeAPI.maxSyncPayloadBytes && batch.count > 1 {
            overflow.insert(batch.removeLast(), at: 0)
            event = SQSEventBatch.event(batch, queueARN: mapping.eventSourceARN, region: region)
        }
        if !overflow.isEmpty { await release(overflow, queue: queue) }
        let deferred: [BatchTrace.Next] = overflow.isEmpty ? [] : [.deferred(overflow.count)]
        let facts = Self.facts(mapping, batch: batch, queue: queue, received: received)
        let attempt = (traceID: host.newTraceID(), batchSpan: host.newSpanID())
        let askedAtMs = Date().timeIntervalSince1970 * 1000
        let asked = ContinuousClock.now
        let outcome: BatchOutcome
        let invocation: BatchTrace.Invocation
        let result: BatchTrace.Result
        do {
            let answer = try await host.invoke(
                mapping.function, payload: event,
                trace: TraceLink(
                    traceID: attempt.traceID, parent: attempt.batchSpan, trigger: .queue, recordsTrace: false))
            invocation = .ran(
                startedAtMs: answer.trace?.startedAtMs ?? askedAtMs, spans: answer.trace?.spans ?? [],
                outcome: Trace.Outcome(answer))
            switch answer.outcome {
            case .functionError(let error):
                outcome = .failure
                result = BatchTrace.Result(ran: Trace.Outcome(answer), errorType: error.errorType)
            case .success(let payload):
                outcome =
                    mapping.settings.reportBatchItemFailures
                    ? BatchOutcome.fromPartialResponse(payload, ids: Set(batch.map(\.messageID))) : .success
                switch outcome {
                case .success: result = .ok
                case .failure: result = .invalidResponse
                case .partial(let failed): result = .partial(failed: failed.count)
                }
            }
        } catch {
            // Throttled, or the host is stopping: the batch goes back at once, and this poller backs off.
            await release(batch, queue: queue)
            context.outcomes.batch(mapping, .failure, processed: 0, returned: batch.count)
            let throttled = error.status == 429
            record(
                facts,
                BatchTrace.Attempt(
                    traceID: attempt.traceID, batchSpan: attempt.batchSpan,
                    invocation: .refused(
                        throttled ? .throttled : .error, reason: error.message, startedAtMs: askedAtMs,
                        waitedMs: (ContinuousClock.now - asked).inMilliseconds)),
                result: throttled ? .throttled : .refused(error.message),
                next: [.returnedToQueue(batch.count, afterSeconds: 0)] + deferred, host: host)
            try? await Task.sleep(for: .seconds(1))
            return
        }
        let returned = Set(
            fifo
                ? outcome.returnedFIFO(batch.map { (id: $0.messageID, group: $0.groupID ?? "") })
                : outcome.returned(batch.map(\.messageID)))
        let done = batch.filter { !returned.contains($0.messageID) }
        // A delete that fails (the store is unwell) leaves the messages to reappear: at least once, never lost.
        var deleted = true
        if !done.isEmpty {
            deleted = (try? await service.store.deleteMessages(queue: queue, receipts: done.map(\.receipt))) != nil
        }
        if !done.isEmpty { await service.arrivals.signal(queue) }
        context.outcomes.batch(mapping, outcome, processed: done.count, returned: returned.count)
        let back = batch.filter { returned.contains($0.messageID) } + (deleted ? [] : done)
        record(
            facts, BatchTrace.Attempt(traceID: attempt.traceID, batchSpan: attempt.batchSpan, invocation: invocation),
            result: result,
            next: Self.next(deleted: deleted ? done.count : 0, returned: back, attributes: attributes) + deferred,
            host: host)
    }

    /// The batch's facts for its trace: a retried message makes the batch's attempt its receive count.
    static func facts(
        _ mapping: EventSourceMapping, batch: [SQSReceivedMessage], queue: String, received: Received
    ) -> BatchTrace {
        let counts = batch.map(\.receiveCount)
        let range = counts.min().flatMap { low in counts.max().map { low...$0 } }
        return BatchTrace(
            source: .queue, sourceName: queue, sourceARN: mapping.eventSourceARN, function: mapping.function,
            mapping: mapping.uuid, identifiers: batch.map(\.messageID), receiveCounts: range,
            attempt: range?.upperBound ?? 1, takenAtMs: received.atMs, receiveMs: received.ms)
    }

    /// What becomes of a settled batch: the deleted, the returned (visible again after the visibility timeout), and
    /// of those the ones the queue's redrive policy moves to its dead-letter queue on their next receive.
    static func next(deleted: Int, returned: [SQSReceivedMessage], attributes: QueueAttributes) -> [BatchTrace.Next] {
        var next: [BatchTrace.Next] = []
        if deleted > 0 { next.append(.deleted(deleted)) }
        guard !returned.isEmpty else { return next }
        next.append(.returnedToQueue(returned.count, afterSeconds: attributes.visibilityTimeout))
        if let policy = attributes.redrivePolicy {
            let redriven = returned.filter { policy.movesToDeadLetterQueue(receiveCount: $0.receiveCount) }.count
            if redriven > 0 {
                let dlq = QueueARN(policy.deadLetterTargetArn)?.name ?? policy.deadLetterTargetArn
                next.append(.redrivenToDeadLetterQueue(redriven, queue: dlq))
            }
        }
        return next
    }

    /// Records the attempt's trace on the host (its store, the OTLP export, the live page, an experiment's
    /// listener), unless the host makes no spans.
    func record(
        _ facts: BatchTrace, _ attempt: BatchTrace.Attempt, result: BatchTrace.Result, next: [BatchTrace.Next],
        host: FunctionHost
    ) {
        guard host.configuration.tracing else { return }
        host.traces.record(facts.trace(attempt, result: result, next: next, newID: host.newSpanID))
    }

    /// Makes the messages visible again now.
    func release(_ batch: [SQSReceivedMessage], queue: String) async {
        let now = SQSService.nowMs()
        for m in batch {
            _ = try? await service.store.changeVisibility(queue: queue, receipt: m.receipt, visibleAt: now)
        }
        await service.arrivals.signal(queue)
    }
}

/// How many of a mapping's pollers poll now (the others wait): set by the mapping's scaling tick.
final class PollerCount: Sendable {
    let value: Atomic<Int>

    init(_ initial: Int) {
        value = Atomic(initial)
    }
}
