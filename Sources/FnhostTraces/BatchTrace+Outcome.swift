import FnhostWire

extension BatchTrace {
    /// One invocation attempt of a batch: the trace it starts (its id and the batch's span, the parent the
    /// invocation joined under) and how the invocation went.
    public struct Attempt: Sendable, Equatable {
        public var traceID: TraceID
        public var batchSpan: SpanID
        public var invocation: Invocation

        public init(traceID: TraceID, batchSpan: SpanID, invocation: Invocation) {
            self.traceID = traceID
            self.batchSpan = batchSpan
            self.invocation = invocation
        }
    }

    /// What became of the attempt's invocation.
    public enum Invocation: Sendable, Equatable {
        /// The function ran: when the invocation began (Unix epoch ms), its spans (its own first, at offset 0, a
        /// child of the batch's span) and how it ended (`ok`, `error`, `timeout`).
        case ran(startedAtMs: Double, spans: [Span], outcome: Trace.Outcome)
        /// Refused before a worker took it (`throttled` at the function's concurrency, or the host stopping):
        /// asked at `startedAtMs` (Unix epoch ms), refused after `waitedMs` (measured).
        case refused(Trace.Outcome, reason: String, startedAtMs: Double, waitedMs: Double)

        /// When the invocation was asked for, Unix epoch ms.
        public var startedAtMs: Double {
            switch self {
            case .ran(let at, _, _), .refused(_, _, let at, _): at
            }
        }
    }

    /// What the attempt meant for the batch, as Lambda reads the function's answer.
    public enum Result: Sendable, Equatable, CustomStringConvertible {
        case ok
        /// The function failed (its `errorType`): the whole batch failed.
        case functionError(String)
        case timedOut
        /// With `ReportBatchItemFailures`: these many records failed, every other one succeeded.
        case partial(failed: Int)
        /// A stream's partial batch response (or an answer it does not read): the records from the lowest one
        /// reported (`index`, from 0) on failed, of `size`.
        case failedFrom(index: Int, of: Int)
        /// With `ReportBatchItemFailures`: an answer Lambda does not read as a batch response fails the batch.
        case invalidResponse
        /// Refused at the function's concurrency (429) before it ran.
        case throttled
        /// Refused for another reason before it ran (the host stopping).
        case refused(String)

        /// The trace's outcome: a partial batch or an invalid answer is an `error` (records failed).
        public var outcome: Trace.Outcome {
            switch self {
            case .ok: .ok
            case .functionError, .partial, .failedFrom, .invalidResponse, .refused: .error
            case .timedOut: .timeout
            case .throttled: .throttled
            }
        }

        /// The result of an invocation that ran and whose answer needs no reading (no `ReportBatchItemFailures`).
        public init(ran outcome: Trace.Outcome, errorType: String = "Unhandled") {
            switch outcome {
            case .ok: self = .ok
            case .timeout: self = .timedOut
            case .throttled: self = .throttled
            case .error: self = .functionError(errorType)
            }
        }

        public var description: String {
            switch self {
            case .ok: "ok"
            case .functionError(let type): "function error (\(type))"
            case .timedOut: "timed out"
            case .partial(let n): "partial: \(n) item failure\(n == 1 ? "" : "s")"
            case .failedFrom(let index, let size): "partial: failed from record \(index + 1) of \(size)"
            case .invalidResponse: "function error: the answer is not a batch response, the whole batch failed"
            case .throttled: "throttled"
            case .refused(let reason): "refused: \(reason)"
            }
        }
    }

    /// What happens next to the batch's records.
    public enum Next: Sendable, Equatable, CustomStringConvertible {
        /// Deleted from the queue (processed).
        case deleted(Int)
        /// Back in the queue, visible again after `afterSeconds` (the visibility timeout; 0: at once).
        case returnedToQueue(Int, afterSeconds: Int)
        /// Of the returned messages, these reached the redrive policy's `maxReceiveCount`: the next receive moves
        /// them to the dead-letter queue.
        case redrivenToDeadLetterQueue(Int, queue: String)
        /// Messages beyond Lambda's 6 MB payload, made visible again at once for a later batch.
        case deferred(Int)
        /// A stream's records done: the checkpoint moves past them.
        case checkpointed(Int)
        /// The batch is invoked again after `afterMs` (a throttle does not count against the retries).
        case retried(afterMs: Int64)
        /// A partial batch response: retried from the lowest failed record.
        case retriedFrom(sequenceNumber: String, afterMs: Int64)
        /// Split in two halves, tried one after the other.
        case bisected(Int, Int)
        /// Given up (`RetryAttemptsExhausted`, `RecordAgeExceeded`), its record sent to the on-failure destination.
        case sentToOnFailureDestination(Int, destination: String, condition: String)
        /// Given up with no on-failure destination: the records are skipped.
        case discarded(Int, condition: String)

        public var description: String {
            switch self {
            case .deleted(let n): "\(n) deleted"
            case .returnedToQueue(let n, let seconds):
                "\(n) returned to the queue" + (seconds > 0 ? " (visible again in \(seconds) s)" : " (visible at once)")
            case .redrivenToDeadLetterQueue(let n, let queue):
                "\(n) redriven to the DLQ \(queue) on the next receive (maxReceiveCount reached)"
            case .deferred(let n): "\(n) returned to the queue at once (beyond the 6 MB payload)"
            case .checkpointed(let n): "\(n) checkpointed"
            case .retried(let ms): "retried in \(LogLines.milliseconds(Double(ms))) ms"
            case .retriedFrom(let sequence, let ms):
                "retried from \(sequence) in \(LogLines.milliseconds(Double(ms))) ms"
            case .bisected(let a, let b): "bisected into \(a) + \(b)"
            case .sentToOnFailureDestination(let n, let destination, let condition):
                "\(n) sent to the on-failure destination \(destination) (\(condition))"
            case .discarded(let n, let condition): "\(n) discarded (\(condition), no on-failure destination)"
            }
        }
    }
}
