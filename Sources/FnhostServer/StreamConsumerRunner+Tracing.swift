import FnhostStreams
import FnhostTraces

extension StreamConsumerRunner {
    /// One invocation of a batch as a traced invoker reports it: the outcome the consumer applies, and each
    /// attempt it made (a throttled attempt, retried by the invoker, is an attempt of its own, with its own trace).
    public struct Invoked: Sendable {
        public var outcome: InvokeOutcome
        public var attempts: [BatchTrace.Attempt]

        public init(outcome: InvokeOutcome, attempts: [BatchTrace.Attempt] = []) {
            self.outcome = outcome
            self.attempts = attempts
        }
    }

    /// An invoker that joins each attempt to a trace of the batch (the ids in its attempts).
    public typealias TracedInvoke = @Sendable (_ payload: [UInt8]) async -> Invoked

    /// Where a runner's batch traces go: the function (the batch span's), span ids, and the recorder.
    public struct Tracing: Sendable {
        public var function: String
        public var newSpanID: @Sendable () -> SpanID
        public var record: @Sendable (Trace) -> Void

        public init(
            function: String, newSpanID: @escaping @Sendable () -> SpanID, record: @escaping @Sendable (Trace) -> Void
        ) {
            self.function = function
            self.newSpanID = newSpanID
            self.record = record
        }
    }

    /// A batch handed to the function: its facts for the trace, taken when it was handed out.
    func facts(_ batch: StreamBatch, stream: String, shard: Int, half: String?, now: Int64) -> BatchTrace? {
        guard let tracing else { return nil }
        return BatchTrace(
            source: .stream, sourceName: stream, sourceARN: KinesisNames.arn(stream: stream),
            function: tracing.function, mapping: mapping.id,
            identifiers: batch.records.lazy.map { SequenceNumber(shard: shard, position: $0.position).description },
            shardID: KinesisNames.shardID(shard), attempt: batch.invocations, half: half, takenAtMs: Double(now),
            ageMs: batch.records.first.map { Double(max(0, now - $0.arrivedAt)) })
    }

    /// Records the traces of a finished batch's attempts: those the invoker retried (throttled) say so, the last
    /// one says what the consumer decided.
    func recordTraces(
        _ facts: BatchTrace?, attempts: [BatchTrace.Attempt], outcome: StreamBatchOutcome, batch: StreamBatch,
        next decided: [BatchTrace.Next]
    ) {
        guard let tracing, let facts else { return }
        for (i, attempt) in attempts.enumerated() {
            let last = i == attempts.count - 1
            var f = facts
            if i > 0 {
                // A later attempt starts when it was asked for, after the invoker's pause.
                f.takenAtMs = attempt.invocation.startedAtMs
                f.ageMs = nil
            }
            let result: BatchTrace.Result
            switch attempt.invocation {
            case .refused(let outcome, let reason, _, _):
                result = outcome == .throttled ? .throttled : .refused(reason)
            case .ran(_, _, let ran):
                result = last ? Self.result(outcome, ran: ran, size: batch.records.count) : BatchTrace.Result(ran: ran)
            }
            let next: [BatchTrace.Next] = last ? decided : [.retried(afterMs: 1000)]
            tracing.record(f.trace(attempt, result: result, next: next, newID: tracing.newSpanID))
        }
    }

    /// The batch's result, from the consumer's outcome and how the invocation ended.
    static func result(_ outcome: StreamBatchOutcome, ran: Trace.Outcome, size: Int) -> BatchTrace.Result {
        switch outcome {
        case .succeeded: .ok
        case .failed(let functionError): BatchTrace.Result(ran: ran == .ok ? .error : ran, errorType: functionError)
        case .failedFrom(let index) where index >= size: .ok
        case .failedFrom(let index): .failedFrom(index: max(0, index), of: size)
        }
    }

    /// What the consumer's core decided for the batch, read from its effects and the settings it follows: a
    /// discarded batch's record goes to the on-failure destination; else a failure halves the batch (bisection on,
    /// more than one record) or retries it after the retry pause; a partial response checkpoints the records before
    /// the lowest failed one and retries from it.
    func next(after outcome: StreamBatchOutcome, batch: StreamBatch, effects: [ConsumerEffect], shard: Int)
        -> [BatchTrace.Next]
    {
        let settings = mapping.settings
        let count = batch.records.count
        var next: [BatchTrace.Next] = []
        var failing = batch.records[...]
        switch outcome {
        case .succeeded: return [.checkpointed(count)]
        case .failedFrom(let index) where index >= count: return [.checkpointed(count)]
        case .failedFrom(let index) where index > 0:
            next.append(.checkpointed(index))
            failing = batch.records.dropFirst(index)
        case .failedFrom, .failed: break
        }
        for case .discarded(let gone, let condition, _) in effects {
            if let destination = settings.onFailureDestination {
                let name = String(destination.split(separator: ":").last ?? "")
                next.append(
                    .sentToOnFailureDestination(gone.records.count, destination: name, condition: condition.rawValue))
            } else {
                next.append(.discarded(gone.records.count, condition: condition.rawValue))
            }
            return next
        }
        if failing.count < count, let first = failing.first {
            next.append(
                .retriedFrom(
                    sequenceNumber: SequenceNumber(shard: shard, position: first.position).description,
                    afterMs: settings.retryDelayMs))
        } else if settings.bisectBatchOnFunctionError && count > 1 {
            next.append(.bisected(count / 2, count - count / 2))
        } else {
            next.append(.retried(afterMs: settings.retryDelayMs))
        }
        return next
    }

    /// Keeps the labels of bisected halves: a batch halved labels its two halves, a retried one keeps its label,
    /// any other end forgets it.
    static func trackHalves(
        _ halves: inout [Int64: (size: Int, label: String)], batch: StreamBatch, next: [BatchTrace.Next]
    ) {
        guard let first = batch.records.first else { return }
        switch next.last {
        case .bisected(let a, let b)?:
            halves[first.position] = (a, "first half of \(a + b)")
            halves[batch.records[a].position] = (b, "second half of \(a + b)")
        case .retried?: break
        default: halves[first.position] = nil
        }
    }
}
