import FnhostStreams
import FnhostWire

/// Kinesis' JSON 1.1 request decoder under the fuzzer (`kinesis`): the first NUL splits the `X-Amz-Target` value
/// from the body. Any input is either refused with a `KinesisError` that has a name and a message, or decoded into
/// a request whose parameters every typed accessor (records, shard iterators, sequence numbers) reads without
/// trapping.
enum KinesisFuzzEntry {
    static func request(_ input: [UInt8]) {
        let parts = input.split(separator: 0, maxSplits: 1, omittingEmptySubsequences: false)
        let target = String(decoding: parts[0], as: UTF8.self)
        let body = parts.count > 1 ? Array(parts[1]) : []
        let request: KinesisRequest
        do {
            request = try KinesisRequest(target: target, body: body)
        } catch {
            check(error)
            return
        }
        precondition(
            KinesisRequest.targetPrefix + request.operation.rawValue == target, "a decoded request names its target")
        accessors(request)
        if let records = try? request.records() {
            precondition((1...KinesisLimits.maxPutRecordsEntries).contains(records.count), "1 to 500 records")
            for record in records { accessors(record) }
        }
    }

    static func accessors(_ request: KinesisRequest) {
        for name in ["StreamName", "ShardId", "ShardIteratorType", "NextToken", "ExclusiveStartShardId"] {
            do { _ = try request.string(name) } catch { check(error) }
        }
        do { _ = try request.streamName() } catch { check(error) }
        do {
            if let n = try request.integer("Limit", in: 1...10_000) { precondition((1...10_000).contains(n)) }
        } catch { check(error) }
        do { _ = try request.timestampMs("Timestamp") } catch { check(error) }
        do {
            let record = try request.record()
            precondition(record.data.count + record.partitionKey.utf8.count <= KinesisLimits.maxRecordBytes)
            precondition((1...256).contains(record.partitionKey.unicodeScalars.count), "a key of 1 to 256")
            let ranges = HashKeyRange.split(shardCount: 7)
            let key = record.explicitHashKey ?? HashKeyRange.hashKey(partitionKey: record.partitionKey)
            precondition(ranges[HashKeyRange.shard(for: key, in: ranges)].contains(key), "a key lands in its range")
        } catch { check(error) }
        if let text = try? request.string("ShardIterator") {
            do {
                let iterator = try ShardIterator(token: text)
                let again = try ShardIterator(token: iterator.token)
                precondition(again == iterator, "an iterator round-trips")
            } catch { check(error) }
        }
        if let text = try? request.string("StartingSequenceNumber") {
            do {
                let sequence = try SequenceNumber(parsing: text, parameter: "startingSequenceNumber")
                precondition(sequence.description == text, "a sequence number round-trips")
            } catch { check(error) }
        }
    }

    static func check(_ error: KinesisError) {
        precondition(!error.name.isEmpty && !error.message.isEmpty, "a refusal has a name and a message")
        precondition(error.status == 400, "a refused request is the sender's fault")
    }
}
