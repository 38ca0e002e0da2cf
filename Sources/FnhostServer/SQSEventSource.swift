import FnhostEventSources
import FnhostHost
import FnhostManifest
import FnhostQueues
import FnhostStore
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
            do {
                guard let found = try await service.store.queue(named: queue) else {
                    // The queue was deleted: the mapping waits for it (as Lambda's does), checking now and then.
                    try? await Task.sleep(for: .seconds(1))
                    continue
                }
                attributes = try SQSService.decode(found)
                batch = try await gather(mapping, queue: queue, attributes: attributes, context: context)
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
            await invoke(mapping, batch: batch, queue: queue, fifo: attributes.fifoQueue, context: context)
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

    /// Invokes the function with the batch and settles it as Lambda does.
    func invoke(
        _ mapping: EventSourceMapping, batch: [SQSReceivedMessage], queue: String, fifo: Bool,
        context: MappingRunContext
    ) async {
        var batch = batch
        var event = SQSEventBatch.event(batch, queueARN: mapping.eventSourceARN, region: region)
        // Lambda's 6 MB limit on a synchronous payload: messages beyond it go back at once for a later batch.
        var overflow: [SQSReceivedMessage] = []
        while event.count > InvokeAPI.maxSyncPayloadBytes && batch.count > 1 {
            overflow.insert(batch.removeLast(), at: 0)
            event = SQSEventBatch.event(batch, queueARN: mapping.eventSourceARN, region: region)
        }
        if !overflow.isEmpty { await release(overflow, queue: queue) }
        let outcome: BatchOutcome
        do {
            let result = try await context.host.invoke(mapping.function, payload: event)
            switch result.outcome {
            case .functionError: outcome = .failure
            case .success(let payload):
                outcome =
                    mapping.settings.reportBatchItemFailures
                    ? BatchOutcome.fromPartialResponse(payload, ids: Set(batch.map(\.messageID))) : .success
            }
        } catch {
            // Throttled, or the host is stopping: the batch goes back at once, and this poller backs off.
            await release(batch, queue: queue)
            context.outcomes.batch(mapping, .failure, processed: 0, returned: batch.count)
            try? await Task.sleep(for: .seconds(1))
            return
        }
        let returned = Set(
            fifo
                ? outcome.returnedFIFO(batch.map { (id: $0.messageID, group: $0.groupID ?? "") })
                : outcome.returned(batch.map(\.messageID)))
        let done = batch.filter { !returned.contains($0.messageID) }
        // A delete that fails (the store is unwell) leaves the messages to reappear: at least once, never lost.
        _ = try? await service.store.deleteMessages(queue: queue, receipts: done.map(\.receipt))
        if !done.isEmpty { await service.arrivals.signal(queue) }
        context.outcomes.batch(mapping, outcome, processed: done.count, returned: returned.count)
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
