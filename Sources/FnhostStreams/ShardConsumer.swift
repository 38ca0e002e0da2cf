/// The decisions of a stream event source mapping for one shard, pure (no clock, no I/O): which batches go to
/// the function next, and what a batch's outcome does — a success checkpoints past it; a failure blocks its lane
/// and retries the same batch (Lambda's default: until the records expire), or bisects it, or discards it once
/// `MaximumRetryAttempts` or `MaximumRecordAgeInSeconds` say so; a partial batch response checkpoints before the
/// lowest failed record and retries from there.
///
/// With `ParallelizationFactor` P the shard's records are dealt to P lanes by the hash of their partition key: a
/// key always lands in the same lane, so its records stay in order while up to P batches run at once. The shard's
/// checkpoint is the highest position below which every record offered is done (processed or discarded): a restart
/// from it repeats at most work already done, never skips a record.
public struct ShardConsumer: Sendable {
    public let settings: StreamConsumerSettings

    struct Lane: Sendable {
        /// Records offered and not yet in a batch, in order.
        var pending: [StreamRecord] = []
        /// Batches formed and not finished; the first is the one that runs (a bisected batch's halves wait here).
        var work: [StreamBatch] = []
        var busy = false
        /// No batch before this time (ms): the pause after a failure.
        var notBefore: Int64 = 0
    }

    var lanes: [Lane]
    /// Positions offered and not yet done, in order; `head` is the first still counted.
    var outstanding: [Int64] = []
    var head = 0
    var done: Set<Int64> = []
    /// Every record at or below this position is done.
    public private(set) var checkpoint: Int64
    /// The highest position offered so far (where the next read of the shard starts after).
    public private(set) var lastOffered: Int64

    public init(settings: StreamConsumerSettings, checkpoint: Int64) {
        self.settings = settings
        self.checkpoint = checkpoint
        self.lastOffered = checkpoint
        self.lanes = Array(repeating: Lane(), count: max(1, settings.parallelizationFactor))
    }

    /// The lane of a partition key: the same key, the same lane.
    public static func lane(of partitionKey: String, factor: Int) -> Int {
        factor <= 1 ? 0 : Int(HashKeyRange.hashKey(partitionKey: partitionKey) % UInt128(factor))
    }

    /// Records offered and not yet done.
    public var backlog: Int { outstanding.count - head }

    /// Batches handed out and not yet completed.
    public var inFlight: Int { lanes.filter(\.busy).count }

    /// Takes new records of the shard (positions above `lastOffered`, in order; others are ignored).
    public mutating func offer(_ records: [StreamRecord]) {
        for record in records where record.position > lastOffered {
            lastOffered = record.position
            outstanding.append(record.position)
            lanes[Self.lane(of: record.partitionKey, factor: lanes.count)].pending.append(record)
        }
    }

    /// The batches to invoke now, at most one per idle lane: a lane's unfinished batch first (a retry, or the next
    /// half of a bisected batch); else up to `BatchSize` pending records, once the batch is full, the batching
    /// window of its first record has passed, or `flush` is set.
    public mutating func nextBatches(now: Int64, flush: Bool = false) -> [StreamBatch] {
        var out: [StreamBatch] = []
        let windowMs = Int64(settings.maximumBatchingWindowSeconds) * 1000
        for i in lanes.indices where !lanes[i].busy && now >= lanes[i].notBefore {
            if lanes[i].work.isEmpty, let first = lanes[i].pending.first {
                let full = lanes[i].pending.count >= settings.batchSize
                guard full || flush || windowMs == 0 || first.arrivedAt + windowMs <= now else { continue }
                let count = min(settings.batchSize, lanes[i].pending.count)
                lanes[i].work.append(StreamBatch(lane: i, records: Array(lanes[i].pending.prefix(count))))
                lanes[i].pending.removeFirst(count)
            }
            guard !lanes[i].work.isEmpty else { continue }
            lanes[i].busy = true
            lanes[i].work[0].invocations += 1
            out.append(lanes[i].work[0])
        }
        return out
    }

    /// When the next batch could be ready if no record arrives (the end of a batching window or of a retry pause),
    /// or nil when nothing waits on time.
    public func nextWake(now: Int64) -> Int64? {
        let windowMs = Int64(settings.maximumBatchingWindowSeconds) * 1000
        var wake: Int64?
        for lane in lanes where !lane.busy {
            var at: Int64?
            if !lane.work.isEmpty {
                at = lane.notBefore
            } else if let first = lane.pending.first {
                at = max(lane.notBefore, first.arrivedAt + windowMs)
            }
            if let at { wake = min(wake ?? at, max(at, now)) }
        }
        return wake
    }

    /// Applies a batch's outcome; returns what the runner must do (send a discarded batch's metadata).
    public mutating func complete(_ batch: StreamBatch, outcome: StreamBatchOutcome, now: Int64) -> [ConsumerEffect] {
        let i = batch.lane
        guard lanes.indices.contains(i), lanes[i].busy, let current = lanes[i].work.first,
            current.records.first?.position == batch.records.first?.position
        else { return [] }
        lanes[i].busy = false
        switch outcome {
        case .succeeded:
            lanes[i].work.removeFirst()
            finish(current.records)
            return []
        case .failedFrom(let index) where index <= 0:
            return fail(lane: i, current, functionError: nil, now: now, bisect: settings.bisectBatchOnFunctionError)
        case .failedFrom(let index):
            guard index < current.records.count else {
                lanes[i].work.removeFirst()
                finish(current.records)
                return []
            }
            finish(Array(current.records.prefix(index)))
            var rest = current
            rest.records = Array(current.records.dropFirst(index))
            lanes[i].work[0] = rest
            // Lambda retries from the reported record: the batch is cut there, not halved again.
            return fail(lane: i, rest, functionError: nil, now: now, bisect: false)
        case .failed(let functionError):
            return fail(
                lane: i, current, functionError: functionError, now: now, bisect: settings.bisectBatchOnFunctionError)
        }
    }

    /// The failure of the lane's first batch: discard it (too old, or out of retries), halve it, or retry it.
    mutating func fail(
        lane i: Int, _ batch: StreamBatch, functionError: String?, now: Int64, bisect: Bool
    ) -> [ConsumerEffect] {
        if settings.maximumRecordAgeInSeconds >= 0, let first = batch.records.first,
            now - first.arrivedAt > Int64(settings.maximumRecordAgeInSeconds) * 1000
        {
            return discard(lane: i, batch, .recordAgeExceeded, functionError: functionError)
        }
        if bisect && batch.records.count > 1 {
            let half = batch.records.count / 2
            var left = batch
            left.records = Array(batch.records.prefix(half))
            var right = batch
            right.records = Array(batch.records.dropFirst(half))
            lanes[i].work.replaceSubrange(0..<1, with: [left, right])
            return []
        }
        if settings.maximumRetryAttempts >= 0 && batch.retries >= settings.maximumRetryAttempts {
            return discard(lane: i, batch, .retryAttemptsExhausted, functionError: functionError)
        }
        lanes[i].work[0].retries += 1
        lanes[i].notBefore = now + settings.retryDelayMs
        return []
    }

    mutating func discard(
        lane i: Int, _ batch: StreamBatch, _ condition: DiscardCondition, functionError: String?
    ) -> [ConsumerEffect] {
        lanes[i].work.removeFirst()
        finish(batch.records)
        return [.discarded(batch, condition, functionError: functionError)]
    }

    /// Drops the records that arrived at or before `cutoff` (they left the stream with its retention period) from
    /// every lane that is not invoking them; they count as done, as Lambda moves on past expired records.
    public mutating func expire(arrivedAtOrBefore cutoff: Int64) -> [ConsumerEffect] {
        var gone: [StreamRecord] = []
        for i in lanes.indices {
            if !lanes[i].busy {
                for b in lanes[i].work.indices.reversed() {
                    let old = lanes[i].work[b].records.filter { $0.arrivedAt <= cutoff }
                    gone += old
                    lanes[i].work[b].records.removeAll { $0.arrivedAt <= cutoff }
                    if lanes[i].work[b].records.isEmpty { lanes[i].work.remove(at: b) }
                }
            }
            gone += lanes[i].pending.filter { $0.arrivedAt <= cutoff }
            lanes[i].pending.removeAll { $0.arrivedAt <= cutoff }
        }
        guard !gone.isEmpty else { return [] }
        gone.sort { $0.position < $1.position }
        finish(gone)
        return [.expired(gone)]
    }

    /// Marks records done and moves the checkpoint over every done position at the front.
    mutating func finish(_ records: [StreamRecord]) {
        for record in records { done.insert(record.position) }
        while head < outstanding.count, done.remove(outstanding[head]) != nil {
            checkpoint = outstanding[head]
            head += 1
        }
        if head > 1024 && head * 2 > outstanding.count {
            outstanding.removeFirst(head)
            head = 0
        }
    }
}
