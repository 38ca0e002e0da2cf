import FnhostStore
import TestSupport
import Testing

/// The queue operations that must be one transaction: FIFO deduplication, group locking, redrive, retention.
@Suite("Store queues")
struct StoreQueueTests {
    static func message(_ queue: String, _ body: String, group: String? = nil, dedup: String? = nil, at: Int64)
        -> StoredMessage
    {
        StoredMessage(
            queue: queue, messageID: "id-\(body)-\(at)", body: Array(body.utf8), groupID: group,
            deduplicationID: dedup, sentAt: at, visibleAt: at)
    }

    @Test("A queue is created once; creating it again returns the first; deleting it deletes its messages")
    func queueRows() async throws {
        try await withTemporaryDirectory("store-queues") { folder in
            let store = try await Store.open(stateDirectory: folder)
            let first = try await store.createQueue("q", attributes: #"{"a":"1"}"#, now: 10)
            let again = try await store.createQueue("q", attributes: #"{"a":"2"}"#, now: 20)
            #expect(again == first)
            try await store.sendMessage(Self.message("q", "x", at: 10))
            #expect(try await store.setQueueAttributes("q", attributes: #"{"a":"3"}"#, now: 30))
            #expect(try await store.queue(named: "q")?.modifiedAt == 30)
            #expect(try await store.deleteQueue("q"))
            #expect(try await store.queue(named: "q") == nil)
            #expect(try await store.peekMessages(queue: "q", limit: 10).isEmpty)
            #expect(try await !store.deleteQueue("q"))
            await store.close()
        }
    }

    @Test("A FIFO send with a deduplication id seen in the window stores nothing and returns the first message")
    func fifoDeduplication() async throws {
        try await withTemporaryDirectory("store-dedup") { folder in
            let store = try await Store.open(stateDirectory: folder)
            let a = try await store.sendFIFOMessage(
                Self.message("f", "a", group: "g", dedup: "d", at: 1000), windowMs: 300_000)
            let b = try await store.sendFIFOMessage(
                Self.message("f", "b", group: "g", dedup: "d", at: 2000), windowMs: 300_000)
            #expect(!a.duplicate && b.duplicate && b.messageID == a.messageID && b.sequence == a.sequence)
            let later = try await store.sendFIFOMessage(
                Self.message("f", "c", group: "g", dedup: "d", at: 1000 + 300_000), windowMs: 300_000)
            #expect(!later.duplicate, "the window has passed")
            #expect(
                try await store.peekMessages(queue: "f", limit: 10).map(\.body) == [Array("a".utf8), Array("c".utf8)])
            await store.close()
        }
    }

    @Test("A FIFO receive skips a group with a message in flight and keeps each group in order")
    func fifoGroupLocking() async throws {
        try await withTemporaryDirectory("store-groups") { folder in
            let store = try await Store.open(stateDirectory: folder)
            for (body, group) in [("a1", "A"), ("a2", "A"), ("b1", "B")] {
                _ = try await store.sendFIFOMessage(
                    Self.message("f", body, group: group, dedup: body, at: 0), windowMs: 1)
            }
            func receive(_ limit: Int, at now: Int64) async throws -> [String] {
                try await store.receive(
                    queue: "f", limit: limit, visibilityMs: 1000, now: now, fifo: true, retentionMs: 1_000_000,
                    deadLetter: nil
                ).map { String(decoding: $0.body, as: UTF8.self) }
            }
            #expect(try await receive(1, at: 10) == ["a1"])
            #expect(try await receive(10, at: 20) == ["b1"], "group A is locked while a1 is in flight")
            #expect(try await receive(10, at: 30) == [])
            #expect(
                try await receive(10, at: 1100) == ["a1", "a2", "b1"], "a1 is back first, then the rest of its group")
            await store.close()
        }
    }

    @Test("A receive moves messages past maxReceiveCount to the dead-letter queue and drops expired ones")
    func redriveAndRetention() async throws {
        try await withTemporaryDirectory("store-redrive") { folder in
            let store = try await Store.open(stateDirectory: folder)
            try await store.sendMessage(Self.message("src", "poison", at: 0))
            func receive(at now: Int64) async throws -> Int {
                try await store.receive(
                    queue: "src", limit: 10, visibilityMs: 0, now: now, fifo: false, retentionMs: 1_000_000,
                    deadLetter: ("dlq", 2)
                ).count
            }
            #expect(try await receive(at: 1) == 1)
            #expect(try await receive(at: 2) == 1)
            #expect(try await receive(at: 3) == 0)
            let moved = try await store.peekMessages(queue: "dlq", limit: 10)
            #expect(moved.map(\.messageID) == ["id-poison-0"] && moved.first?.sentAt == 0)
            try await store.sendMessage(Self.message("old", "stale", at: 0))
            let fresh = try await store.receive(
                queue: "old", limit: 10, visibilityMs: 0, now: 61_000, fifo: false, retentionMs: 60_000,
                deadLetter: nil)
            let left = try await store.peekMessages(queue: "old", limit: 1)
            #expect(fresh.isEmpty && left.isEmpty)
            await store.close()
        }
    }
}
