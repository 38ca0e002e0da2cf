import FnhostStreams
import FnhostWire
import Testing

/// The stream consumer's decisions, without a clock or a function: each test drives a `ShardConsumer` with
/// records and outcomes and checks the batches it hands out, its checkpoint and the discarded batches.
@Suite("Stream consumer decisions")
struct ShardConsumerTests {
    static func records(_ positions: ClosedRange<Int64>, key: (Int64) -> String = { _ in "k" }, at: Int64 = 0)
        -> [StreamRecord]
    {
        positions.map { StreamRecord(position: $0, partitionKey: key($0), data: [UInt8($0 % 256)], arrivedAt: at) }
    }

    /// A consumer from checkpoint 0 without retry delay, handing out batches of `batchSize` (Lambda's default,
    /// 100, when nil).
    static func consumer(batchSize: Int? = nil, _ change: (inout StreamConsumerSettings) -> Void = { _ in })
        -> ShardConsumer
    {
        var s = StreamConsumerSettings()
        s.retryDelayMs = 0
        if let batchSize { s.batchSize = batchSize }
        change(&s)
        return ShardConsumer(settings: s, checkpoint: 0)
    }

    static func positions(_ batch: StreamBatch) -> [Int64] { batch.records.map(\.position) }

    @Test("Batches are in order, at most BatchSize records, and success checkpoints past them")
    func orderedBatchesAndCheckpoint() {
        var c = Self.consumer(batchSize: 3)
        c.offer(Self.records(1...7))
        var seen: [Int64] = []
        while let batch = c.nextBatches(now: 0).first {
            #expect(batch.records.count <= 3)
            #expect(c.nextBatches(now: 0).isEmpty, "one batch per shard at a time")
            seen += Self.positions(batch)
            #expect(c.complete(batch, outcome: .succeeded, now: 0).isEmpty)
            #expect(c.checkpoint == batch.records.last?.position)
        }
        #expect(seen == Array(1...7))
        #expect(c.backlog == 0)
    }

    @Test("By default a failing batch blocks the shard and is retried, the same records, without end")
    func defaultBlocksAndRetriesForever() {
        var c = Self.consumer(batchSize: 2)
        c.offer(Self.records(1...4))
        for attempt in 1...50 {
            let batch = c.nextBatches(now: Int64(attempt)).first!
            #expect(Self.positions(batch) == [1, 2])
            #expect(batch.invocations == attempt)
            #expect(c.complete(batch, outcome: .failed(functionError: "Unhandled"), now: Int64(attempt)).isEmpty)
            #expect(c.checkpoint == 0)
        }
        let ok = c.nextBatches(now: 99).first!
        _ = c.complete(ok, outcome: .succeeded, now: 99)
        #expect(c.checkpoint == 2)
        #expect(Self.positions(c.nextBatches(now: 99).first!) == [3, 4])
    }

    @Test("Records that expire while the shard is blocked are dropped, and the shard moves on")
    func expiryUnblocks() {
        var c = Self.consumer(batchSize: 2)
        c.offer(Self.records(1...2, at: 100) + Self.records(3...3, at: 5_000))
        let batch = c.nextBatches(now: 200).first!
        _ = c.complete(batch, outcome: .failed(functionError: "Unhandled"), now: 200)
        #expect(c.expire(arrivedAtOrBefore: 1_000) == [.expired(Self.records(1...2, at: 100))])
        #expect(c.checkpoint == 2)
        #expect(Self.positions(c.nextBatches(now: 300).first!) == [3])
    }

    @Test("A batch being invoked is not expired under the function")
    func expiryWaitsForTheInvocation() {
        var c = Self.consumer()
        c.offer(Self.records(1...2, at: 100))
        let batch = c.nextBatches(now: 200).first!
        #expect(c.expire(arrivedAtOrBefore: 1_000).isEmpty)
        _ = c.complete(batch, outcome: .succeeded, now: 300)
        #expect(c.checkpoint == 2)
    }

    @Test("MaximumRetryAttempts N: N+1 invocations, then the batch is discarded and the shard moves on")
    func retryLimit() {
        var c = Self.consumer(batchSize: 2) { $0.maximumRetryAttempts = 2 }
        c.offer(Self.records(1...3))
        var effects: [ConsumerEffect] = []
        var invocations = 0
        while effects.isEmpty {
            let batch = c.nextBatches(now: 0).first!
            #expect(Self.positions(batch) == [1, 2])
            invocations += 1
            effects = c.complete(batch, outcome: .failed(functionError: "Unhandled"), now: 0)
        }
        #expect(invocations == 3)
        guard case .discarded(let batch, .retryAttemptsExhausted, "Unhandled")? = effects.first else {
            Issue.record("expected a discard, got \(effects)")
            return
        }
        #expect(Self.positions(batch) == [1, 2] && batch.invocations == 3)
        #expect(c.checkpoint == 2)
        #expect(Self.positions(c.nextBatches(now: 0).first!) == [3])
    }

    @Test("MaximumRetryAttempts 0: the first failure discards")
    func zeroRetries() {
        var c = Self.consumer { $0.maximumRetryAttempts = 0 }
        c.offer(Self.records(1...1))
        let batch = c.nextBatches(now: 0).first!
        #expect(c.complete(batch, outcome: .failed(functionError: "Unhandled"), now: 0).count == 1)
        #expect(c.checkpoint == 1)
    }

    @Test("MaximumRecordAgeInSeconds: a failed batch older than the limit is discarded as RecordAgeExceeded")
    func recordAge() {
        var c = Self.consumer { $0.maximumRecordAgeInSeconds = 60 }
        c.offer(Self.records(1...2, at: 0))
        var batch = c.nextBatches(now: 59_000).first!
        #expect(c.complete(batch, outcome: .failed(functionError: "Unhandled"), now: 59_000).isEmpty)
        batch = c.nextBatches(now: 61_000).first!
        let effects = c.complete(batch, outcome: .failed(functionError: "Unhandled"), now: 61_000)
        guard case .discarded(_, .recordAgeExceeded, _)? = effects.first else {
            Issue.record("expected RecordAgeExceeded, got \(effects)")
            return
        }
        #expect(c.checkpoint == 2)
    }

    @Test("Bisection halves a failing batch down to the poison record; the good halves succeed; no retry is spent")
    func bisectionIsolatesThePoisonRecord() {
        var c = Self.consumer(batchSize: 8) {
            $0.bisectBatchOnFunctionError = true
            $0.maximumRetryAttempts = 1
        }
        c.offer(Self.records(1...8))
        let poison: Int64 = 6
        var invoked: [[Int64]] = []
        var processed: [Int64] = []
        var discarded: [[Int64]] = []
        while let batch = c.nextBatches(now: 0).first {
            invoked.append(Self.positions(batch))
            let fails = batch.records.contains { $0.position == poison }
            for effect in c.complete(
                batch, outcome: fails ? .failed(functionError: "Unhandled") : .succeeded, now: 0)
            {
                if case .discarded(let b, .retryAttemptsExhausted, _) = effect { discarded.append(Self.positions(b)) }
            }
            if !fails { processed += Self.positions(batch) }
        }
        #expect(
            invoked == [[1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 3, 4], [5, 6, 7, 8], [5, 6], [5], [6], [6], [7, 8]])
        #expect(processed == [1, 2, 3, 4, 5, 7, 8])
        #expect(discarded == [[6]])
        #expect(c.checkpoint == 8)
    }

    @Test("Bisection with the default retries blocks on the poison record until it expires")
    func bisectionWithoutLimitStillBlocks() {
        var c = Self.consumer(batchSize: 4) { $0.bisectBatchOnFunctionError = true }
        c.offer(Self.records(1...4))
        for _ in 0..<20 {
            let batch = c.nextBatches(now: 0).first!
            let fails = batch.records.contains { $0.position == 1 }
            _ = c.complete(batch, outcome: fails ? .failed(functionError: "Unhandled") : .succeeded, now: 0)
        }
        #expect(c.checkpoint == 0, "the poison record at the head blocks the checkpoint")
        #expect(Self.positions(c.nextBatches(now: 0).first!) == [1])
    }

    @Test("A partial batch response checkpoints before the lowest failed record and retries from it")
    func partialBatchCheckpoint() {
        var c = Self.consumer(batchSize: 5) { $0.reportBatchItemFailures = true }
        c.offer(Self.records(1...5))
        let batch = c.nextBatches(now: 0).first!
        let response =
            #"{"batchItemFailures":[{"itemIdentifier":"\#(SequenceNumber(shard: 0, position: 4))"},{"itemIdentifier":"\#(SequenceNumber(shard: 0, position: 3))"}]}"#
        let outcome = KinesisEvent.outcome(ofResponse: Array(response.utf8), batch: batch, shard: 0)
        #expect(outcome == .failedFrom(index: 2))
        #expect(c.complete(batch, outcome: outcome, now: 0).isEmpty)
        #expect(c.checkpoint == 2)
        let retry = c.nextBatches(now: 0).first!
        #expect(Self.positions(retry) == [3, 4, 5])
        _ = c.complete(retry, outcome: .succeeded, now: 0)
        #expect(c.checkpoint == 5)
    }

    @Test("Partial batch responses: success and failure as Lambda reads them for streams")
    func partialBatchResponseRules() {
        let batch = StreamBatch(lane: 0, records: Self.records(1...3))
        func outcome(_ text: String) -> StreamBatchOutcome {
            KinesisEvent.outcome(ofResponse: Array(text.utf8), batch: batch, shard: 0)
        }
        #expect(outcome("") == .succeeded)
        #expect(outcome("null") == .succeeded)
        #expect(outcome(#"{"batchItemFailures":[]}"#) == .succeeded)
        #expect(outcome(#"{"batchItemFailures":null}"#) == .succeeded)
        #expect(outcome(#"{"batchItemFailures":[{"itemIdentifier":""}]}"#) == .failedFrom(index: 0))
        #expect(outcome(#"{"batchItemFailures":[{"itemIdentifier":null}]}"#) == .failedFrom(index: 0))
        #expect(outcome(#"{"batchItemFailures":[{"id":"1"}]}"#) == .failedFrom(index: 0))
        let other = SequenceNumber(shard: 1, position: 2).description
        #expect(outcome(#"{"batchItemFailures":[{"itemIdentifier":"\#(other)"}]}"#) == .failedFrom(index: 0))
    }

    @Test("ParallelizationFactor: several batches of a shard at once, each partition key's records in order")
    func parallelizationKeepsOrderPerKey() {
        let keys = ["a", "b", "c", "d", "e", "f", "g", "h"]
        var c = Self.consumer(batchSize: 2) { $0.parallelizationFactor = 4 }
        c.offer(Self.records(1...64, key: { keys[Int($0) % keys.count] }))
        var order: [String: [Int64]] = [:]
        var maxConcurrent = 0
        var step = 0
        var inFlight: [StreamBatch] = []
        while true {
            inFlight += c.nextBatches(now: 0)
            maxConcurrent = max(maxConcurrent, inFlight.count)
            guard !inFlight.isEmpty else { break }
            // Finish them out of order, failing some once.
            let batch = inFlight.removeLast()
            step += 1
            if step % 5 == 0 {
                _ = c.complete(batch, outcome: .failed(functionError: "Unhandled"), now: 0)
                continue
            }
            for r in batch.records { order[r.partitionKey, default: []].append(r.position) }
            _ = c.complete(batch, outcome: .succeeded, now: 0)
        }
        #expect(maxConcurrent > 1 && maxConcurrent <= 4)
        for (key, positions) in order {
            #expect(positions == positions.sorted(), "key \(key) out of order: \(positions)")
        }
        #expect(order.values.map(\.count).reduce(0, +) == 64)
        #expect(c.checkpoint == 64)
    }

    @Test("The checkpoint waits for the slowest lane: a restart from it never skips a record")
    func checkpointIsTheLowestUnfinished() {
        var c = Self.consumer(batchSize: 1) { $0.parallelizationFactor = 10 }
        let keyA = "a"
        let keyB = (0..<1000).map { "k\($0)" }.first {
            ShardConsumer.lane(of: $0, factor: 10) != ShardConsumer.lane(of: keyA, factor: 10)
        }!
        c.offer([
            StreamRecord(position: 1, partitionKey: keyA, data: [], arrivedAt: 0),
            StreamRecord(position: 2, partitionKey: keyB, data: [], arrivedAt: 0),
        ])
        let batches = c.nextBatches(now: 0)
        #expect(batches.count == 2)
        _ = c.complete(batches.first { $0.records[0].position == 2 }!, outcome: .succeeded, now: 0)
        #expect(c.checkpoint == 0)
        _ = c.complete(batches.first { $0.records[0].position == 1 }!, outcome: .succeeded, now: 0)
        #expect(c.checkpoint == 2)
    }

    @Test("The batching window holds a short batch until its first record is that old, or the batch is full")
    func batchingWindow() {
        var c = Self.consumer(batchSize: 3) { $0.maximumBatchingWindowSeconds = 2 }
        c.offer(Self.records(1...2, at: 1_000))
        #expect(c.nextBatches(now: 2_000).isEmpty)
        #expect(c.nextWake(now: 2_000) == 3_000)
        #expect(Self.positions(c.nextBatches(now: 3_000).first!) == [1, 2])
        var full = Self.consumer(batchSize: 3) { $0.maximumBatchingWindowSeconds = 2 }
        full.offer(Self.records(1...3, at: 1_000))
        #expect(full.nextBatches(now: 1_000).count == 1)
    }

    @Test("A retry waits for the retry delay")
    func retryDelay() {
        var c = Self.consumer { $0.retryDelayMs = 500 }
        c.offer(Self.records(1...1))
        let batch = c.nextBatches(now: 0).first!
        _ = c.complete(batch, outcome: .failed(functionError: "Unhandled"), now: 100)
        #expect(c.nextBatches(now: 599).isEmpty)
        #expect(c.nextBatches(now: 600).count == 1)
    }

    @Test("Lambda's Kinesis event and on-failure record have AWS's shapes")
    func eventShapes() throws {
        let batch = StreamBatch(
            lane: 0,
            records: [
                StreamRecord(position: 5, partitionKey: "p", data: Array("Hello".utf8), arrivedAt: 1_545_084_650_987)
            ],
            invocations: 3)
        let event = KinesisEvent.payload(batch, stream: "s", shard: 6)
        guard case .object(let top) = event, case .array(let records)? = top["Records"],
            case .object(let record)? = records.first, case .object(let kinesis)? = record["kinesis"]
        else {
            Issue.record("bad event \(event)")
            return
        }
        let sequence = SequenceNumber(shard: 6, position: 5).description
        #expect(kinesis["data"] == .string("SGVsbG8="))
        #expect(kinesis["partitionKey"] == .string("p"))
        #expect(kinesis["sequenceNumber"] == .string(sequence))
        #expect(kinesis["kinesisSchemaVersion"] == .string("1.0"))
        #expect(kinesis["approximateArrivalTimestamp"] == .number(1_545_084_650.987))
        #expect(record["eventSource"] == .string("aws:kinesis"))
        #expect(record["eventName"] == .string("aws:kinesis:record"))
        #expect(record["eventVersion"] == .string("1.0"))
        #expect(record["eventID"] == .string("shardId-000000000006:\(sequence)"))
        #expect(record["eventSourceARN"] == .string("arn:aws:kinesis:us-east-1:000000000000:stream/s"))
        #expect(record["awsRegion"] == .string("us-east-1"))
        let failure = KinesisEvent.onFailureRecord(
            batch, condition: .retryAttemptsExhausted, functionError: "Unhandled", stream: "s", shard: 6,
            functionArn: "arn:aws:lambda:us-east-1:000000000000:function:f", now: 1_573_691_886_021)
        guard case .object(let f) = failure, case .object(let info)? = f["KinesisBatchInfo"],
            case .object(let context)? = f["requestContext"]
        else {
            Issue.record("bad record \(failure)")
            return
        }
        #expect(context["condition"] == .string("RetryAttemptsExhausted"))
        #expect(context["approximateInvokeCount"] == .number(3))
        #expect(f["timestamp"] == .string("2019-11-14T00:38:06.021Z"))
        #expect(info["shardId"] == .string("shardId-000000000006"))
        #expect(info["startSequenceNumber"] == .string(sequence) && info["batchSize"] == .number(1))
    }

    @Test("Settings outside Lambda's ranges are refused, naming the parameter")
    func settingsValidation() {
        var s = StreamConsumerSettings()
        #expect(throws: Never.self) { try s.validate() }
        s.parallelizationFactor = 11
        #expect(
            (#expect(throws: StreamConsumerSettings.Invalid.self) { try s.validate() })?.parameter
                == "ParallelizationFactor")
        s = StreamConsumerSettings()
        s.maximumRecordAgeInSeconds = 30
        #expect(throws: StreamConsumerSettings.Invalid.self) { try s.validate() }
        s.maximumRecordAgeInSeconds = -1
        s.onFailureDestination = "arn:aws:sns:us-east-1:000000000000:t"
        #expect(throws: StreamConsumerSettings.Invalid.self) { try s.validate() }
    }
}
