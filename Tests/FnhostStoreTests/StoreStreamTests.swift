import FnhostStore
import TestSupport
import Testing

/// Streams in the store: records committed per call and read back in order per shard, positions never reused,
/// retention applied on read and on put, checkpoints kept per consumer and shard and dropped with the stream.
@Suite("Store streams")
struct StoreStreamTests {
    static func record(_ shard: Int, _ data: String, at: Int64) -> StoredStreamRecord {
        StoredStreamRecord(shard: shard, partitionKey: "k-\(data)", data: Array(data.utf8), arrivedAt: at)
    }

    @Test("Records come back per shard in order of putting, after a position and within retention")
    func recordsInOrderPerShard() async throws {
        try await withTemporaryDirectory("store-streams") { folder in
            let store = try await Store.open(stateDirectory: folder)
            #expect(
                try await store.createStream(StoredStream(name: "s", shardCount: 2, retentionHours: 24, createdAt: 1)))
            #expect(
                try await !store.createStream(StoredStream(name: "s", shardCount: 3, retentionHours: 24, createdAt: 2)))
            #expect(try await store.stream(named: "s")?.shardCount == 2)
            let put = try #require(
                try await store.putStreamRecords(
                    stream: "s", createdAt: 1,
                    [Self.record(0, "a", at: 100), Self.record(1, "b", at: 100), Self.record(0, "c", at: 200)],
                    expireBefore: 0))
            #expect(put.map(\.position) == put.map(\.position).sorted() && Set(put.map(\.position)).count == 3)
            let shard0 = try await store.streamRecords(stream: "s", shard: 0, after: 0, notBefore: 0, limit: 10)
            #expect(shard0.map { String(decoding: $0.data, as: UTF8.self) } == ["a", "c"])
            let after = try await store.streamRecords(
                stream: "s", shard: 0, after: put[0].position, notBefore: 0, limit: 10)
            #expect(after.map(\.partitionKey) == ["k-c"])
            let recent = try await store.streamRecords(stream: "s", shard: 0, after: 0, notBefore: 150, limit: 10)
            #expect(recent.map(\.partitionKey) == ["k-c"])
            #expect(try await store.latestPosition() == put[2].position)
            #expect(try await store.streamPosition(stream: "s", shard: 0, before: 150) == put[2].position - 1)
            let extent = try await store.shardExtent(stream: "s", shard: 0, notBefore: 0)
            #expect(extent.count == 2 && extent.last == put[2].position && extent.lastArrivedAt == 200)
            // A put to a stream that was replaced (another creation time) stores nothing.
            #expect(
                try await store.putStreamRecords(
                    stream: "s", createdAt: 99, [Self.record(0, "x", at: 300)], expireBefore: 0) == nil)
            await store.close()
        }
    }

    @Test(
        "A put drops records past retention; deleting a stream drops its records and checkpoints; positions are never reused"
    )
    func retentionDeletionAndPositions() async throws {
        try await withTemporaryDirectory("store-streams") { folder in
            let store = try await Store.open(stateDirectory: folder)
            _ = try await store.createStream(StoredStream(name: "s", shardCount: 1, retentionHours: 24, createdAt: 1))
            let first = try #require(
                try await store.putStreamRecords(
                    stream: "s", createdAt: 1, [Self.record(0, "old", at: 10)], expireBefore: 0))
            _ = try await store.putStreamRecords(
                stream: "s", createdAt: 1, [Self.record(0, "new", at: 500)], expireBefore: 100)
            #expect(try await store.shardExtent(stream: "s", shard: 0, notBefore: 0).count == 1)
            try await store.setStreamCheckpoint(consumer: "m", stream: "s", shard: 0, position: 7, now: 1)
            try await store.setStreamCheckpoint(consumer: "m", stream: "s", shard: 0, position: 9, now: 2)
            #expect(try await store.streamCheckpoint(consumer: "m", stream: "s", shard: 0) == 9)
            #expect(try await store.streamCheckpoint(consumer: "other", stream: "s", shard: 0) == nil)
            #expect(try await store.deleteStream("s"))
            #expect(try await !store.deleteStream("s"))
            #expect(try await store.streamCheckpoint(consumer: "m", stream: "s", shard: 0) == nil)
            _ = try await store.createStream(StoredStream(name: "s", shardCount: 1, retentionHours: 24, createdAt: 2))
            let again = try #require(
                try await store.putStreamRecords(
                    stream: "s", createdAt: 2, [Self.record(0, "x", at: 600)], expireBefore: 0))
            #expect(again[0].position > first[0].position + 1)
            await store.close()
            // Durable: a new connection sees the same records.
            let reopened = try await Store.open(stateDirectory: folder)
            #expect(try await reopened.streams().map(\.name) == ["s"])
            #expect(
                try await reopened.streamRecords(stream: "s", shard: 0, after: 0, notBefore: 0, limit: 10).map(
                    \.partitionKey) == ["k-x"])
            await reopened.close()
        }
    }
}
