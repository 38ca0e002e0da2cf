import FnhostSimulation
import FnhostStore
import FnhostStreams
import FnhostWire
import Foundation

/// Kinesis' operations on fnhost's store: each decoded request (`KinesisRequest`) becomes the store calls it needs
/// and an answer in AWS JSON 1.1's shape, or a `KinesisError`. Records are committed (one transaction per
/// `PutRecord` or `PutRecords`) before the answer goes out.
///
/// Retention is time-scaled: a stream keeps records for `RetentionPeriodHours` × the host's time scale (24 h at
/// `--time-scale 0.001` is 86.4 real seconds), so an experiment sees records expire as they would in a day. At
/// time scale 0 (no sleeping) retention is not scaled. Iterators live five real minutes, as clients expect.
struct KinesisService: Sendable {
    let store: Store
    let timeScale: TimeScale
    let metrics: KinesisMetrics

    static func nowMs() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }

    /// How long (real ms) a stream keeps a record at `timeScale` (0, no sleeping, leaves retention unscaled).
    static func retentionMs(hours: Int, timeScale: TimeScale) -> Int64 {
        let factor = timeScale.factor > 0 ? timeScale.factor : 1
        return Int64((Double(hours) * 3_600_000 * factor).rounded(.up))
    }

    /// The arrival time before which a stream's records are gone.
    func cutoff(_ stream: StoredStream, now: Int64) -> Int64 {
        now - Self.retentionMs(hours: stream.retentionHours, timeScale: timeScale)
    }

    func handle(_ request: KinesisRequest) async throws -> JSONValue {
        switch request.operation {
        case .createStream: return try await createStream(request)
        case .deleteStream:
            let name = try request.streamName()
            guard try await store.deleteStream(name) else { throw KinesisError.resourceNotFound(stream: name) }
            return .object([:])
        case .describeStreamSummary: return try await describeSummary(request)
        case .describeStream: return try await describe(request)
        case .listStreams: return try await listStreams(request)
        case .listShards: return try await listShards(request)
        case .putRecord: return try await putRecord(request)
        case .putRecords: return try await putRecords(request)
        case .getShardIterator: return try await getShardIterator(request)
        case .getRecords: return try await getRecords(request)
        }
    }

    // MARK: Streams

    func load(_ name: String) async throws -> StoredStream {
        guard let stream = try await store.stream(named: name) else {
            throw KinesisError.resourceNotFound(stream: name)
        }
        return stream
    }

    func createStream(_ request: KinesisRequest) async throws -> JSONValue {
        let name = try request.requiredString("StreamName")
        try KinesisNames.checkStreamName(name)
        // Without ShardCount Kinesis makes an on-demand stream, which starts with 4 shards.
        let shards = try request.integer("ShardCount", in: 1...KinesisLimits.maxShardCount) ?? 4
        let stream = StoredStream(
            name: name, shardCount: shards, retentionHours: KinesisLimits.defaultRetentionHours,
            createdAt: Self.nowMs())
        guard try await store.createStream(stream) else {
            throw KinesisError.resourceInUse("Stream \(name) under account \(KinesisNames.account) already exists.")
        }
        return .object([:])
    }

    static func created(_ stream: StoredStream) -> JSONValue { .number(Double(stream.createdAt) / 1000) }

    static let provisioned: JSONValue = .object(["StreamMode": .string("PROVISIONED")])

    func describeSummary(_ request: KinesisRequest) async throws -> JSONValue {
        let stream = try await load(try request.streamName())
        return .object([
            "StreamDescriptionSummary": .object([
                "StreamName": .string(stream.name), "StreamARN": .string(KinesisNames.arn(stream: stream.name)),
                "StreamStatus": .string("ACTIVE"), "StreamModeDetails": Self.provisioned,
                "RetentionPeriodHours": .number(Double(stream.retentionHours)),
                "StreamCreationTimestamp": Self.created(stream),
                "EnhancedMonitoring": .array([.object(["ShardLevelMetrics": .array([])])]),
                "EncryptionType": .string("NONE"), "OpenShardCount": .number(Double(stream.shardCount)),
                "ConsumerCount": .number(0),
            ])
        ])
    }

    static func shards(_ stream: StoredStream) -> [JSONValue] {
        HashKeyRange.split(shardCount: stream.shardCount).enumerated().map { index, range in
            .object([
                "ShardId": .string(KinesisNames.shardID(index)),
                "HashKeyRange": .object([
                    "StartingHashKey": .string(String(range.starting)), "EndingHashKey": .string(String(range.ending)),
                ]),
                "SequenceNumberRange": .object([
                    "StartingSequenceNumber": .string(SequenceNumber(shard: index, position: 0).description)
                ]),
            ])
        }
    }

    func describe(_ request: KinesisRequest) async throws -> JSONValue {
        let stream = try await load(try request.streamName())
        return .object([
            "StreamDescription": .object([
                "StreamName": .string(stream.name), "StreamARN": .string(KinesisNames.arn(stream: stream.name)),
                "StreamStatus": .string("ACTIVE"), "StreamModeDetails": Self.provisioned,
                "Shards": .array(Self.shards(stream)), "HasMoreShards": .bool(false),
                "RetentionPeriodHours": .number(Double(stream.retentionHours)),
                "StreamCreationTimestamp": Self.created(stream),
                "EnhancedMonitoring": .array([.object(["ShardLevelMetrics": .array([])])]),
                "EncryptionType": .string("NONE"),
            ])
        ])
    }

    func listStreams(_ request: KinesisRequest) async throws -> JSONValue {
        let limit = try request.integer("Limit", in: 1...10_000) ?? 100
        let start = try request.string("ExclusiveStartStreamName") ?? ""
        let all = try await store.streams().filter { $0.name > start }
        let page = Array(all.prefix(limit))
        return .object([
            "StreamNames": .array(page.map { .string($0.name) }),
            "HasMoreStreams": .bool(all.count > page.count),
            "StreamSummaries": .array(
                page.map {
                    .object([
                        "StreamName": .string($0.name), "StreamARN": .string(KinesisNames.arn(stream: $0.name)),
                        "StreamStatus": .string("ACTIVE"), "StreamModeDetails": Self.provisioned,
                        "StreamCreationTimestamp": Self.created($0),
                    ])
                }),
        ])
    }

    func listShards(_ request: KinesisRequest) async throws -> JSONValue {
        let limit = try request.integer("MaxResults", in: 1...10_000) ?? 1_000
        var name: String
        var skip = 0
        if let token = try request.string("NextToken") {
            if request.parameters["StreamName"] != nil || request.parameters["StreamARN"] != nil {
                throw KinesisError.invalidArgument("NextToken and StreamName cannot be provided together.")
            }
            let parts = token.split(separator: "|")
            guard parts.count == 2, let offset = Int(parts[1]), offset >= 0 else {
                throw KinesisError.invalidArgument("Invalid NextToken: \(token.prefix(100))")
            }
            name = String(parts[0])
            skip = offset
        } else {
            name = try request.streamName()
        }
        let stream = try await load(name)
        if let start = try request.string("ExclusiveStartShardId") {
            guard let index = KinesisNames.shardIndex(start) else {
                throw KinesisError.validation(
                    "1 validation error detected: Value '\(start.prefix(200))' at 'exclusiveStartShardId' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"
                )
            }
            skip = max(skip, index + 1)
        }
        let all = Self.shards(stream)
        let page = Array(all.dropFirst(skip).prefix(limit))
        var out: [String: JSONValue] = ["Shards": .array(page)]
        if skip + page.count < all.count { out["NextToken"] = .string("\(name)|\(skip + page.count)") }
        return .object(out)
    }

    // MARK: Records

    /// The shard a record goes to: its explicit hash key's, or its partition key's MD5's.
    static func shard(
        _ record: (data: [UInt8], partitionKey: String, explicitHashKey: UInt128?), _ stream: StoredStream
    )
        -> Int
    {
        let key = record.explicitHashKey ?? HashKeyRange.hashKey(partitionKey: record.partitionKey)
        return HashKeyRange.shard(for: key, in: HashKeyRange.split(shardCount: stream.shardCount))
    }

    func put(_ stream: StoredStream, _ records: [StoredStreamRecord], now: Int64) async throws -> [StoredStreamRecord] {
        guard
            let stored = try await store.putStreamRecords(
                stream: stream.name, createdAt: stream.createdAt, records, expireBefore: cutoff(stream, now: now))
        else { throw KinesisError.resourceNotFound(stream: stream.name) }
        metrics.recordsPut(stream: stream.name, count: stored.count)
        return stored
    }

    func putRecord(_ request: KinesisRequest) async throws -> JSONValue {
        let stream = try await load(try request.streamName())
        let record = try request.record()
        _ = try request.string("SequenceNumberForOrdering")
        let now = Self.nowMs()
        let shard = Self.shard(record, stream)
        let stored = try await put(
            stream,
            [StoredStreamRecord(shard: shard, partitionKey: record.partitionKey, data: record.data, arrivedAt: now)],
            now: now)
        return .object([
            "ShardId": .string(KinesisNames.shardID(shard)),
            "SequenceNumber": .string(SequenceNumber(shard: shard, position: stored[0].position).description),
            "EncryptionType": .string("NONE"),
        ])
    }

    func putRecords(_ request: KinesisRequest) async throws -> JSONValue {
        let stream = try await load(try request.streamName())
        let entries = try request.records()
        let now = Self.nowMs()
        var records: [StoredStreamRecord] = []
        var bytes = 0
        for entry in entries {
            let record = try entry.record()
            bytes += record.data.count + record.partitionKey.utf8.count
            records.append(
                StoredStreamRecord(
                    shard: Self.shard(record, stream), partitionKey: record.partitionKey, data: record.data,
                    arrivedAt: now))
        }
        if bytes > KinesisLimits.maxPutRecordsBytes {
            throw KinesisError.invalidArgument(
                "Records size exceeds \(KinesisLimits.maxPutRecordsBytes / 1_048_576) MB limit: \(bytes) bytes.")
        }
        let stored = try await put(stream, records, now: now)
        return .object([
            "FailedRecordCount": .number(0),
            "Records": .array(
                stored.map {
                    .object([
                        "SequenceNumber": .string(SequenceNumber(shard: $0.shard, position: $0.position).description),
                        "ShardId": .string(KinesisNames.shardID($0.shard)),
                    ])
                }),
            "EncryptionType": .string("NONE"),
        ])
    }

    func getShardIterator(_ request: KinesisRequest) async throws -> JSONValue {
        let stream = try await load(try request.streamName())
        let shardID = try request.requiredString("ShardId")
        guard let shard = KinesisNames.shardIndex(shardID), shard < stream.shardCount else {
            throw KinesisError.resourceNotFound(shard: shardID, stream: stream.name)
        }
        let typeName = try request.requiredString("ShardIteratorType")
        guard let kind = ShardIterator.Kind(rawValue: typeName) else {
            throw KinesisError.validation(
                "1 validation error detected: Value '\(typeName.prefix(100))' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [AFTER_SEQUENCE_NUMBER, LATEST, AT_TIMESTAMP, TRIM_HORIZON, AT_SEQUENCE_NUMBER]"
            )
        }
        let after: Int64
        switch kind {
        case .trimHorizon: after = 0
        case .latest: after = try await store.latestPosition()
        case .atSequenceNumber, .afterSequenceNumber:
            guard let text = try request.string("StartingSequenceNumber") else {
                throw KinesisError.invalidArgument(
                    "The StartingSequenceNumber must be specified for ShardIteratorType \(kind.rawValue).")
            }
            let sequence = try SequenceNumber(parsing: text, parameter: "startingSequenceNumber")
            guard sequence.shard == shard else {
                throw KinesisError.invalidArgument(
                    "Invalid StartingSequenceNumber. It encodes \(KinesisNames.shardID(sequence.shard)), while it was used in a call to a shard with \(KinesisNames.shardID(shard))"
                )
            }
            after = kind == .atSequenceNumber ? sequence.position - 1 : sequence.position
        case .atTimestamp:
            guard let time = try request.timestampMs("Timestamp") else {
                throw KinesisError.invalidArgument("The timestampInMillis parameter cannot be null for AT_TIMESTAMP.")
            }
            after = try await store.streamPosition(stream: stream.name, shard: shard, before: time)
        }
        let iterator = ShardIterator(
            stream: stream.name, streamCreatedAt: stream.createdAt, shard: shard, afterPosition: after,
            issuedAt: Self.nowMs())
        return .object(["ShardIterator": .string(iterator.token)])
    }

    /// The most data one `GetRecords` returns (Kinesis: 10 MiB).
    static let maxGetRecordsBytes = 10 * 1_048_576

    func getRecords(_ request: KinesisRequest) async throws -> JSONValue {
        let iterator = try ShardIterator(token: try request.requiredString("ShardIterator"))
        let limit = try request.integer("Limit", in: 1...KinesisLimits.maxGetRecordsLimit) ?? 10_000
        let now = Self.nowMs()
        try iterator.checkNotExpired(now: now)
        guard let stream = try await store.stream(named: iterator.stream), stream.createdAt == iterator.streamCreatedAt
        else { throw KinesisError.resourceNotFound(stream: iterator.stream) }
        guard iterator.shard < stream.shardCount else {
            throw KinesisError.resourceNotFound(shard: KinesisNames.shardID(iterator.shard), stream: stream.name)
        }
        let cutoff = cutoff(stream, now: now)
        var records = try await store.streamRecords(
            stream: stream.name, shard: iterator.shard, after: iterator.afterPosition, notBefore: cutoff, limit: limit)
        var bytes = 0
        if let over = records.firstIndex(where: {
            bytes += $0.data.count + $0.partitionKey.utf8.count
            return bytes > Self.maxGetRecordsBytes
        }) {
            records = Array(records.prefix(max(1, over)))
        }
        let extent = try await store.shardExtent(stream: stream.name, shard: iterator.shard, notBefore: cutoff)
        var next = iterator
        next.afterPosition = records.last?.position ?? iterator.afterPosition
        next.issuedAt = now
        let behind: Int64 =
            if let last = records.last, let newest = extent.last, last.position < newest {
                max(0, now - last.arrivedAt)
            } else { 0 }
        return .object([
            "Records": .array(
                records.map {
                    .object([
                        "SequenceNumber": .string(
                            SequenceNumber(shard: iterator.shard, position: $0.position).description),
                        "ApproximateArrivalTimestamp": .number(Double($0.arrivedAt) / 1000),
                        "Data": .string(Data($0.data).base64EncodedString()),
                        "PartitionKey": .string($0.partitionKey),
                    ])
                }),
            "NextShardIterator": .string(next.token),
            "MillisBehindLatest": .number(Double(behind)),
        ])
    }
}
