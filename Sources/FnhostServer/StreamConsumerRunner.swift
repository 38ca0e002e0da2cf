import FnhostSimulation
import FnhostStore
import FnhostStreams
import FnhostTraces
import FnhostWire
import Foundation
import Prometheus

/// A stream event source mapping at work: for each shard of the stream, reads the records after the mapping's
/// checkpoint from the store, lets `ShardConsumer` (the pure core) form the batches, invokes the function through
/// `invoke` with Lambda's Kinesis event, and applies the outcome: checkpoints (durable, in the store), retries,
/// bisection, and the on-failure destination (an fnhost SQS queue, which gets Lambda's invocation record).
///
/// The mapping framework gives it a plain `Mapping` and an `invoke` closure (it decides how the function runs), and
/// runs `run()` in a task it cancels to stop the mapping. Nothing here knows about HTTP or the host.
public struct StreamConsumerRunner: Sendable {
    /// What the runner needs to know of the mapping.
    public struct Mapping: Sendable, Equatable {
        /// The mapping's UUID: the key of its checkpoints.
        public var id: String
        public var stream: String
        /// The function's ARN, for the on-failure record.
        public var functionArn: String
        public var settings: StreamConsumerSettings

        public init(id: String, stream: String, functionArn: String, settings: StreamConsumerSettings) {
            self.id = id
            self.stream = stream
            self.functionArn = functionArn
            self.settings = settings
        }
    }

    /// What one invocation gave: the function's response, or its error (`Unhandled`, as Lambda's
    /// `X-Amz-Function-Error` says).
    public enum InvokeOutcome: Sendable, Equatable {
        case succeeded(response: [UInt8])
        case failed(functionError: String)
    }

    public typealias Invoke = @Sendable (_ payload: [UInt8]) async -> InvokeOutcome

    public let mapping: Mapping
    let store: Store
    let invoke: TracedInvoke
    /// Where each batch attempt's trace goes (none without it).
    let tracing: Tracing?
    let timeScale: TimeScale
    let metrics: KinesisMetrics?
    let pollInterval: Duration
    let note: @Sendable (String) -> Void

    /// - Parameters:
    ///   - timeScale: the server's time scale, which scales the stream's retention period as the Kinesis API does.
    ///   - registry: where the iterator age and batch outcomes go (`/metrics`), if anywhere.
    ///   - pollInterval: the pause between reads of an idle shard (Lambda polls about once a second).
    public init(
        mapping: Mapping, store: Store, invoke: @escaping Invoke,
        timeScale: TimeScale = .realTime,
        registry: PrometheusCollectorRegistry? = nil, pollInterval: Duration = .milliseconds(250),
        note: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.init(
            mapping: mapping, store: store, tracedInvoke: { Invoked(outcome: await invoke($0)) }, tracing: nil,
            timeScale: timeScale, registry: registry, pollInterval: pollInterval, note: note)
    }

    /// A runner whose every batch attempt is a trace of its own (trigger `stream`): `tracedInvoke` joins each
    /// invocation to the trace its attempt names, and `tracing` records the finished traces.
    public init(
        mapping: Mapping, store: Store, tracedInvoke: @escaping TracedInvoke, tracing: Tracing?,
        timeScale: TimeScale = .realTime,
        registry: PrometheusCollectorRegistry? = nil, pollInterval: Duration = .milliseconds(250),
        note: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.mapping = mapping
        self.store = store
        self.invoke = tracedInvoke
        self.tracing = tracing
        self.timeScale = timeScale
        self.metrics = registry.map(KinesisMetrics.init)
        self.pollInterval = pollInterval
        self.note = note
    }

    static func nowMs() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }

    /// Runs until cancelled or `stopping` says so (then it finishes the batches in hand): waits for the stream to
    /// exist, consumes every shard at once, and starts over when the stream is deleted (or deleted and created again).
    public func run(stopping: @escaping @Sendable () -> Bool = { false }) async {
        while !Task.isCancelled && !stopping() {
            guard let stream = try? await store.stream(named: mapping.stream) else {
                try? await Task.sleep(for: pollInterval)
                continue
            }
            await withTaskGroup(of: Void.self) { group in
                for shard in 0..<stream.shardCount {
                    group.addTask { await consume(stream, shard: shard, stopping: stopping) }
                }
            }
            try? await Task.sleep(for: pollInterval)
        }
    }

    /// Where a shard without a checkpoint starts, per `StartingPosition`; recorded at once, so that a restart
    /// reads from the same place (LATEST means the end of the shard when the mapping started, not when it restarts).
    func startingCheckpoint(_ stream: StoredStream, shard: Int) async throws -> Int64 {
        if let saved = try await store.streamCheckpoint(consumer: mapping.id, stream: stream.name, shard: shard) {
            return saved
        }
        let start: Int64
        switch mapping.settings.startingPosition {
        case .trimHorizon: start = 0
        case .latest: start = try await store.latestPosition()
        case .atTimestamp(let time):
            start = try await store.streamPosition(stream: stream.name, shard: shard, before: time)
        }
        try await store.setStreamCheckpoint(
            consumer: mapping.id, stream: stream.name, shard: shard, position: start, now: Self.nowMs())
        return start
    }

    /// The still-current stream: false once it was deleted or replaced.
    func isCurrent(_ stream: StoredStream) async -> Bool {
        guard let now = try? await store.stream(named: stream.name) else { return false }
        return now.createdAt == stream.createdAt
    }

    /// One shard, until cancelled or the stream goes.
    func consume(_ stream: StoredStream, shard: Int, stopping: @escaping @Sendable () -> Bool) async {
        guard let start = try? await startingCheckpoint(stream, shard: shard) else { return }
        var core = ShardConsumer(settings: mapping.settings, checkpoint: start)
        var saved = start
        let settings = mapping.settings
        let readAhead = settings.batchSize * settings.parallelizationFactor * 2
        let shardID = KinesisNames.shardID(shard)
        await withTaskGroup(of: Finished.self) { group in
            var inFlight = 0
            // The halves of bisected batches, by their first record's position: their traces say which half.
            var halves: [Int64: (size: Int, label: String)] = [:]
            while !Task.isCancelled && !(stopping() && inFlight == 0) {
                let now = Self.nowMs()
                let cutoff = now - KinesisService.retentionMs(hours: stream.retentionHours, timeScale: timeScale)
                handle(core.expire(arrivedAtOrBefore: cutoff - 1), stream: stream, shard: shard, now: now)
                if core.backlog < readAhead {
                    if !(await isCurrent(stream)) { break }
                    if let records = try? await store.streamRecords(
                        stream: stream.name, shard: shard, after: core.lastOffered, notBefore: cutoff,
                        limit: readAhead - core.backlog)
                    {
                        core.offer(
                            records.map {
                                StreamRecord(
                                    position: $0.position, partitionKey: $0.partitionKey, data: $0.data,
                                    arrivedAt: $0.arrivedAt)
                            })
                    }
                }
                for batch in stopping() ? [] : core.nextBatches(now: Self.nowMs()) {
                    inFlight += 1
                    let payload = KinesisEvent.payload(batch, stream: stream.name, shard: shard).serialized
                    let half = batch.records.first.flatMap { halves[$0.position] }
                    let facts = facts(
                        batch, stream: stream.name, shard: shard,
                        half: half?.size == batch.records.count ? half?.label : nil, now: Self.nowMs())
                    group.addTask {
                        let invoked = await invoke(payload)
                        switch invoked.outcome {
                        case .succeeded(let response):
                            let outcome =
                                settings.reportBatchItemFailures
                                ? KinesisEvent.outcome(ofResponse: response, batch: batch, shard: shard) : .succeeded
                            return Finished(batch: batch, outcome: outcome, attempts: invoked.attempts, facts: facts)
                        case .failed(let functionError):
                            return Finished(
                                batch: batch, outcome: .failed(functionError: functionError),
                                attempts: invoked.attempts, facts: facts)
                        }
                    }
                }
                if inFlight > 0, let finished = await group.next() {
                    inFlight -= 1
                    let (batch, outcome) = (finished.batch, finished.outcome)
                    let done = Self.nowMs()
                    record(outcome, batch: batch, stream: stream, shardID: shardID, now: done)
                    let effects = core.complete(batch, outcome: outcome, now: done)
                    handle(effects, stream: stream, shard: shard, now: done)
                    if tracing != nil {
                        let next = next(after: outcome, batch: batch, effects: effects, shard: shard)
                        recordTraces(
                            finished.facts, attempts: finished.attempts, outcome: outcome, batch: batch, next: next)
                        Self.trackHalves(&halves, batch: batch, next: next)
                    }
                    await deliver(effects, stream: stream, shard: shard, now: done)
                } else {
                    let wake = core.nextWake(now: now).map { Duration.milliseconds(max(1, $0 - now)) }
                    try? await Task.sleep(for: min(wake ?? pollInterval, pollInterval))
                }
                if core.checkpoint != saved {
                    do {
                        try await store.setStreamCheckpoint(
                            consumer: mapping.id, stream: stream.name, shard: shard, position: core.checkpoint,
                            now: Self.nowMs())
                        saved = core.checkpoint
                    } catch {
                        note("fnhost: stream \(stream.name) \(shardID): checkpoint not saved: \(error)")
                    }
                }
            }
            group.cancelAll()
        }
    }

    /// A batch back from the function: what the consumer applies, and what its traces need.
    struct Finished: Sendable {
        var batch: StreamBatch
        var outcome: StreamBatchOutcome
        var attempts: [BatchTrace.Attempt]
        var facts: BatchTrace?
    }

    func record(_ outcome: StreamBatchOutcome, batch: StreamBatch, stream: StoredStream, shardID: String, now: Int64) {
        guard let metrics else { return }
        let name =
            switch outcome {
            case .succeeded: "succeeded"
            case .failed: "failed"
            case .failedFrom: "partial"
            }
        metrics.batch(stream: stream.name, outcome: name, records: batch.records.count)
        if case .succeeded = outcome, let last = batch.records.last {
            metrics.iteratorAge(stream: stream.name, shard: shardID, milliseconds: max(0, now - last.arrivedAt))
        } else if let first = batch.records.first {
            // A failed batch holds the shard: its age is how far behind the consumer is.
            metrics.iteratorAge(stream: stream.name, shard: shardID, milliseconds: max(0, now - first.arrivedAt))
        }
    }

    func handle(_ effects: [ConsumerEffect], stream: StoredStream, shard: Int, now: Int64) {
        for effect in effects {
            switch effect {
            case .expired(let records):
                metrics?.batch(stream: stream.name, outcome: "expired", records: records.count)
                note(
                    "fnhost: stream \(stream.name) \(KinesisNames.shardID(shard)): \(records.count) records expired before they were processed"
                )
            case .discarded(let batch, _, _):
                metrics?.batch(stream: stream.name, outcome: "discarded", records: batch.records.count)
            }
        }
    }

    /// Sends each discarded batch's invocation record to the on-failure destination queue.
    func deliver(_ effects: [ConsumerEffect], stream: StoredStream, shard: Int, now: Int64) async {
        for case .discarded(let batch, let condition, let functionError) in effects {
            guard let destination = mapping.settings.onFailureDestination else { continue }
            let queue = String(destination.split(separator: ":").last ?? "")
            let body = KinesisEvent.onFailureRecord(
                batch, condition: condition, functionError: functionError, stream: stream.name, shard: shard,
                functionArn: mapping.functionArn, now: now
            ).serialized
            do {
                guard try await store.queue(named: queue) != nil else {
                    note("fnhost: stream \(stream.name): on-failure destination \(destination) does not exist")
                    continue
                }
                try await store.sendMessage(
                    StoredMessage(
                        queue: queue, messageID: UUID().uuidString.lowercased(), body: body, sentAt: now,
                        visibleAt: now))
            } catch {
                note("fnhost: stream \(stream.name): could not send to \(destination): \(error)")
            }
        }
    }
}
