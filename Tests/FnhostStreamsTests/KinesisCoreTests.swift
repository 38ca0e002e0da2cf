import FnhostStreams
import FnhostWire
import Testing

@Suite("Kinesis core: hash ranges, sequence numbers, iterators, requests")
struct KinesisCoreTests {
    @Test("Shards split 0…2^128-1 evenly, as Kinesis assigns a new stream's ranges")
    func hashKeyRangesMatchKinesis() {
        let four = HashKeyRange.split(shardCount: 4)
        #expect(
            four.map { String($0.starting) } == [
                "0", "85070591730234615865843651857942052864", "170141183460469231731687303715884105728",
                "255211775190703847597530955573826158592",
            ])
        #expect(four[3].ending == UInt128.max)
        // Three shards: Kinesis' own figures.
        let three = HashKeyRange.split(shardCount: 3)
        #expect(String(three[0].ending) == "113427455640312821154458202477256070484")
        #expect(String(three[1].starting) == "113427455640312821154458202477256070485")
        #expect(String(three[2].starting) == "226854911280625642308916404954512140970")
        for n in [1, 2, 5, 7, 500] {
            let ranges = HashKeyRange.split(shardCount: n)
            #expect(ranges.first?.starting == 0 && ranges.last?.ending == UInt128.max)
            for i in 1..<ranges.count { #expect(ranges[i].starting == ranges[i - 1].ending + 1) }
        }
    }

    @Test("A partition key's hash key is the MD5 of its bytes read big-endian")
    func partitionKeyHash() {
        // md5("a") = 0cc175b9c0f1b6a831c399e269772661
        #expect(HashKeyRange.hashKey(partitionKey: "a") == UInt128("0cc175b9c0f1b6a831c399e269772661", radix: 16))
        let ranges = HashKeyRange.split(shardCount: 4)
        #expect(HashKeyRange.shard(for: HashKeyRange.hashKey(partitionKey: "a"), in: ranges) == 0)
        #expect(HashKeyRange.shard(for: UInt128.max, in: ranges) == 3)
    }

    @Test("Sequence numbers round-trip, order by position and refuse other shapes")
    func sequenceNumbers() throws {
        let s = SequenceNumber(shard: 3, position: 42)
        #expect(s.description.count == 32 && s.description.hasPrefix("49"))
        #expect(try SequenceNumber(parsing: s.description, parameter: "x") == s)
        #expect(SequenceNumber(shard: 0, position: 9) < SequenceNumber(shard: 0, position: 10))
        #expect(throws: KinesisError.self) { try SequenceNumber(parsing: "abc", parameter: "x") }
        #expect(throws: KinesisError.self) { try SequenceNumber(parsing: "0123", parameter: "x") }
        let error = #expect(throws: KinesisError.self) { try SequenceNumber(parsing: "12345", parameter: "x") }
        #expect(error?.name == "InvalidArgumentException")
    }

    @Test("Iterators round-trip; altered, foreign and expired ones are refused with Kinesis' errors")
    func iterators() throws {
        let it = ShardIterator(stream: "s", streamCreatedAt: 7, shard: 1, afterPosition: 99, issuedAt: 1_000)
        #expect(try ShardIterator(token: it.token) == it)
        let bad = #expect(throws: KinesisError.self) { try ShardIterator(token: "AAAA" + it.token.dropFirst(4)) }
        #expect(bad?.name == "InvalidArgumentException")
        #expect(throws: KinesisError.self) { try ShardIterator(token: "not base64 at all!") }
        #expect(throws: KinesisError.self) { try ShardIterator(token: "") }
        try it.checkNotExpired(now: 1_000 + ShardIterator.lifetimeMs)
        let expired = #expect(throws: KinesisError.self) {
            try it.checkNotExpired(now: 1_001 + ShardIterator.lifetimeMs)
        }
        #expect(expired?.name == "ExpiredIteratorException")
    }

    @Test("Requests: unknown operations, non-objects and broken limits are refused as Kinesis refuses them")
    func requests() throws {
        let unknown = #expect(throws: KinesisError.self) {
            try KinesisRequest(target: "Kinesis_20131202.SplitShard", body: [])
        }
        #expect(unknown?.name == "UnknownOperationException")
        let array = #expect(throws: KinesisError.self) {
            try KinesisRequest(target: "Kinesis_20131202.PutRecord", body: Array("[]".utf8))
        }
        #expect(array?.name == "SerializationException")
        let put = try KinesisRequest(
            target: "Kinesis_20131202.PutRecord",
            body: Array(#"{"StreamName":"s","Data":"aGk=","PartitionKey":"k"}"#.utf8))
        let record = try put.record()
        #expect(record.data == Array("hi".utf8) && record.partitionKey == "k")
        let longKey = KinesisRequest(
            operation: .putRecord,
            parameters: ["Data": .string("aGk="), "PartitionKey": .string(String(repeating: "k", count: 257))])
        #expect((#expect(throws: KinesisError.self) { try longKey.record() })?.name == "ValidationException")
        let many = KinesisRequest(
            operation: .putRecords,
            parameters: ["Records": .array(Array(repeating: .object([:]), count: 501))])
        #expect((#expect(throws: KinesisError.self) { try many.records() })?.name == "ValidationException")
        let badName = KinesisRequest(operation: .createStream, parameters: ["StreamName": .string("a b")])
        #expect((#expect(throws: KinesisError.self) { try badName.streamName() })?.name == "ValidationException")
        let byARN = KinesisRequest(
            operation: .listShards,
            parameters: ["StreamARN": .string("arn:aws:kinesis:us-east-1:000000000000:stream/x")])
        #expect(try byARN.streamName() == "x")
    }
}
