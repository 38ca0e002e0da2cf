import FnhostTraces
import FnhostWire
import Testing

@Suite struct BatchTraceTests {
    final class IDs: @unchecked Sendable {
        var next: UInt64 = 100
        func id() -> SpanID {
            next += 1
            return SpanID(next)!
        }
    }

    static let traceID = TraceID(high: 0x5759_e988_bd86_2e3f, low: 0xe1be_46a9_9427_2793)
    static let batchSpan = SpanID(7)!

    static func queueBatch(ids: [String] = ["m1", "m2", "m3", "m4", "m5"], attempt: Int = 1) -> BatchTrace {
        BatchTrace(
            source: .queue, sourceName: "orders", sourceARN: "arn:aws:sqs:us-east-1:000000000000:orders",
            function: "sqs-batch", mapping: "uuid-1", identifiers: ids, receiveCounts: 1...3, attempt: attempt,
            takenAtMs: 1_000_000, receiveMs: 2.5)
    }

    /// An invocation's spans as `invoke` gives them: its own first at offset 0 (a `call`, the batch's child).
    static func invocationSpans(latencyMs: Double = 40) -> [Span] {
        [
            Span(
                id: SpanID(20)!, parent: batchSpan, name: "sqs-batch", kind: .call, function: "sqs-batch", startMs: 0,
                durationMs: latencyMs, timing: .measured),
            Span(
                id: SpanID(21)!, parent: SpanID(20)!, name: "invoke overhead", kind: .overhead, function: "sqs-batch",
                startMs: 0, durationMs: 10, timing: .simulated),
            Span(
                id: SpanID(22)!, parent: SpanID(20)!, name: "duration", kind: .worker, function: "sqs-batch",
                startMs: 10, durationMs: 30, timing: .measured),
        ]
    }

    @Test func aQueueBatchIsTheRootSpanWithTheReceiveAndTheInvocationBelowIt() {
        let ids = IDs()
        let attempt = BatchTrace.Attempt(
            traceID: Self.traceID, batchSpan: Self.batchSpan,
            invocation: .ran(startedAtMs: 1_000_003, spans: Self.invocationSpans(), outcome: .ok))
        let trace = Self.queueBatch().trace(attempt, result: .ok, next: [.deleted(5)], newID: ids.id)
        #expect(trace.trigger == .queue)
        #expect(trace.root == "orders")
        #expect(trace.id == Self.traceID)
        #expect(trace.outcome == .ok)
        #expect(trace.startedAtMs == 1_000_000)
        let root = trace.spans[0]
        #expect(root.id == Self.batchSpan && root.parent == nil)
        #expect(root.kind == .batch && root.name == "batch of 5 from orders")
        #expect(root.function == "sqs-batch", "a function filter finds the batch")
        // The invocation starts after the receive and the event's making (3 ms by the wall clock).
        #expect(root.durationMs == 43)
        #expect(trace.durationMs == 43)
        #expect(root.attributes["messaging.batch.message_count"] == "5")
        #expect(root.attributes["messaging.system"] == "aws_sqs")
        #expect(root.attributes["fnhost.batch.ids"] == "m1, m2, m3, …, m5")
        #expect(root.attributes["sqs.receiveCount"] == "1–3")
        #expect(root.attributes["fnhost.batch.attempt"] == "1")
        #expect(root.attributes["fnhost.batch.result"] == "ok")
        #expect(root.attributes["fnhost.batch.next"] == "5 deleted")
        #expect(root.attributes["fnhost.mapping"] == "uuid-1")
        let receive = trace.spans[1]
        #expect(receive.name == "receive" && receive.parent == Self.batchSpan && receive.timing == .measured)
        #expect(receive.startMs == 0 && receive.durationMs == 2.5)
        let invocation = trace.spans[2]
        #expect(invocation.parent == Self.batchSpan && invocation.startMs == 3)
        #expect(trace.spans.first { $0.name == "duration" }?.startMs == 13)
        #expect(trace.spans.first { $0.name == "invoke overhead" }?.timing == .simulated)
        let spanIDs = Set(trace.spans.map(\.id))
        #expect(spanIDs.count == trace.spans.count, "span ids are unique")
        for span in trace.spans.dropFirst() { #expect(span.parent.map(spanIDs.contains) == true, "\(span)") }
    }

    @Test func aFailedBatchSaysItWasReturnedAndWhichMessagesGoToTheDeadLetterQueue() {
        let attempt = BatchTrace.Attempt(
            traceID: Self.traceID, batchSpan: Self.batchSpan,
            invocation: .ran(startedAtMs: 1_000_002.5, spans: Self.invocationSpans(), outcome: .error))
        let trace = Self.queueBatch(attempt: 3).trace(
            attempt, result: .functionError("Unhandled"),
            next: [.returnedToQueue(5, afterSeconds: 30), .redrivenToDeadLetterQueue(2, queue: "orders-dlq")],
            newID: IDs().id)
        #expect(trace.outcome == .error)
        let root = trace.spans[0]
        #expect(root.name == "batch of 5 from orders (attempt 3)")
        #expect(root.attributes["fnhost.batch.attempt"] == "3")
        #expect(root.attributes["fnhost.batch.result"] == "function error (Unhandled)")
        #expect(
            root.attributes["fnhost.batch.next"]
                == "5 returned to the queue (visible again in 30 s); 2 redriven to the DLQ orders-dlq on the next receive (maxReceiveCount reached)"
        )
    }

    @Test func aThrottledAttemptHasARefusalSpanAndNoInvocation() {
        let ids = IDs()
        let attempt = BatchTrace.Attempt(
            traceID: Self.traceID, batchSpan: Self.batchSpan,
            invocation: .refused(
                .throttled, reason: "reserved concurrency 1 reached", startedAtMs: 1_000_002.5, waitedMs: 0.4))
        let trace = Self.queueBatch().trace(
            attempt, result: .throttled, next: [.returnedToQueue(5, afterSeconds: 0)], newID: ids.id)
        #expect(trace.outcome == .throttled)
        #expect(trace.spans.count == 3)
        let refusal = trace.spans[2]
        #expect(refusal.kind == .call && refusal.parent == Self.batchSpan && refusal.timing == .measured)
        #expect(refusal.attributes["fnhost.outcome"] == "throttled")
        #expect(refusal.attributes["fnhost.reason"] == "reserved concurrency 1 reached")
        #expect(trace.durationMs == 2.9)
        #expect(trace.spans[0].attributes["fnhost.batch.next"] == "5 returned to the queue (visible at once)")
    }

    @Test func aStreamBatchNamesItsShardSequenceNumbersHalfAndAge() {
        let first = "49000000000000000000000000000000000001"
        let batch = BatchTrace(
            source: .stream, sourceName: "clicks", sourceARN: "arn:aws:kinesis:us-east-1:000000000000:stream/clicks",
            function: "stream-poison", mapping: "uuid-2", identifiers: [first, "s2"], shardID: "shardId-000000000000",
            attempt: 2, half: "first half of 4", takenAtMs: 5_000, ageMs: 120)
        let attempt = BatchTrace.Attempt(
            traceID: Self.traceID, batchSpan: Self.batchSpan,
            invocation: .ran(startedAtMs: 5_000, spans: Self.invocationSpans(latencyMs: 12), outcome: .timeout))
        let trace = batch.trace(attempt, result: .timedOut, next: [.bisected(1, 1)], newID: IDs().id)
        #expect(trace.trigger == .stream && trace.root == "clicks")
        #expect(trace.outcome == .timeout)
        #expect(trace.spans.count == 4, "no receive span when the consumer did not time one")
        let root = trace.spans[0]
        #expect(root.attributes["kinesis.shardId"] == "shardId-000000000000")
        #expect(root.attributes["fnhost.batch.ids"] == "\(first), s2")
        #expect(root.attributes["fnhost.batch.half"] == "first half of 4")
        #expect(root.attributes["fnhost.batch.ageMs"] == "120.00")
        #expect(root.attributes["messaging.system"] == "aws_kinesis")
        #expect(root.attributes["fnhost.batch.result"] == "timed out")
        #expect(root.attributes["fnhost.batch.next"] == "bisected into 1 + 1")
        #expect(root.durationMs == 12)
        #expect(trace.spans[1].parent == Self.batchSpan && trace.spans[1].startMs == 0)
    }

    @Test func aBatchKeepsOnlyAFewIdentifiersWhateverItsSize() {
        let ids = (1...10_000).map { "m\($0)" }
        let batch = Self.queueBatch(ids: ids)
        #expect(batch.size == 10_000)
        #expect(batch.firstIdentifiers == ["m1", "m2", "m3"])
        #expect(batch.lastIdentifier == "m10000")
        let four = Self.queueBatch(ids: ["a", "b", "c", "d"])
        let trace = four.trace(
            .init(
                traceID: Self.traceID, batchSpan: Self.batchSpan,
                invocation: .ran(startedAtMs: 0, spans: [], outcome: .ok)),
            result: .ok, next: [], newID: IDs().id)
        #expect(trace.spans[0].attributes["fnhost.batch.ids"] == "a, b, c, d", "no ellipsis when nothing is left out")
        #expect(trace.spans[0].attributes["fnhost.batch.next"] == nil)
    }

    @Test func partialBatchesAndInvalidAnswersAreErrorsThatSayHowManyFailed() {
        #expect(BatchTrace.Result.partial(failed: 2).outcome == .error)
        #expect(BatchTrace.Result.partial(failed: 2).description == "partial: 2 item failures")
        #expect(BatchTrace.Result.partial(failed: 1).description == "partial: 1 item failure")
        #expect(BatchTrace.Result.invalidResponse.outcome == .error)
        #expect(BatchTrace.Result.failedFrom(index: 2, of: 8).description == "partial: failed from record 3 of 8")
        #expect(BatchTrace.Result.failedFrom(index: 2, of: 8).outcome == .error)
        #expect(BatchTrace.Result(ran: .timeout) == .timedOut)
        #expect(BatchTrace.Result(ran: .error, errorType: "Poison.Record") == .functionError("Poison.Record"))
        #expect(BatchTrace.Result(ran: .ok) == .ok)
        #expect(BatchTrace.Result.refused("fnhost is shutting down").outcome == .error)
        #expect(BatchTrace.Next.retried(afterMs: 1000).description == "retried in 1000.00 ms")
        #expect(
            BatchTrace.Next.sentToOnFailureDestination(1, destination: "parked", condition: "RetryAttemptsExhausted")
                .description == "1 sent to the on-failure destination parked (RetryAttemptsExhausted)")
        #expect(BatchTrace.Next.discarded(3, condition: "RecordAgeExceeded").description.contains("3 discarded"))
        #expect(BatchTrace.Next.checkpointed(8).description == "8 checkpointed")
        #expect(BatchTrace.Next.deferred(2).description.contains("6 MB"))
    }

    @Test func theTraceWritesAsTheFixedJSONShape() throws {
        let attempt = BatchTrace.Attempt(
            traceID: Self.traceID, batchSpan: Self.batchSpan,
            invocation: .ran(startedAtMs: 1_000_003, spans: Self.invocationSpans(), outcome: .ok))
        let json = Self.queueBatch().trace(attempt, result: .ok, next: [.deleted(5)], newID: IDs().id).json
        guard case .object(let fields) = json, case .array(let spans)? = fields["spans"],
            case .object(let root)? = spans.first
        else {
            Issue.record("not a trace object: \(json)")
            return
        }
        #expect(fields["trigger"] == .string("queue"))
        #expect(fields["root"] == .string("orders"))
        #expect(root["kind"] == .string("batch"))
        #expect(root["parentSpanId"] == .null)
    }
}
