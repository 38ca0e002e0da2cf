import FnhostStore
import Foundation
import TestSupport
import Testing

/// The store against a real SQLite file in a temporary folder.
@Suite("Store")
struct StoreTests {
    @Test("Opening creates fnhost.sqlite in WAL mode at the newest schema; reopening keeps what was written")
    func openCreatesTheDatabaseAndReopeningKeepsItsRows() async throws {
        try await withTemporaryDirectory("store-open") { folder in
            let state = folder + "/state"
            let store = try await Store.open(stateDirectory: state)
            #expect(try await store.schemaVersion() >= 1)
            try await store.saveEvent(AsyncEventRecord(id: "a", function: "f", payload: [1, 2, 3], acceptedAt: 5))
            await store.close()
            #expect(FileManager.default.fileExists(atPath: state + "/fnhost.sqlite"))

            let again = try await Store.open(stateDirectory: state)
            let version = try await again.schemaVersion()
            #expect(
                try await again.events(.pending) == [
                    AsyncEventRecord(id: "a", function: "f", payload: [1, 2, 3], acceptedAt: 5)
                ])
            #expect(try await again.schemaVersion() == version)
            await again.close()
        }
    }

    @Test("Saving an event with failedAt makes it a dead letter in the same row: never in both states, nor in neither")
    func deadLetteringMovesTheEventInOneStatement() async throws {
        try await withTemporaryDirectory("store-events") { folder in
            let store = try await Store.open(stateDirectory: folder)
            var event = AsyncEventRecord(id: "e1", function: "poison", payload: Array("{}".utf8), acceptedAt: 10)
            try await store.saveEvent(event)
            try await store.saveEvent(AsyncEventRecord(id: "e0", function: "f", payload: [], acceptedAt: 9))
            #expect(try await store.events(.pending).map(\.id) == ["e0", "e1"], "oldest first")

            event.attempts = 3
            event.errorType = "Poison.AlwaysFails"
            event.errorMessage = "always"
            event.failedAt = 20
            try await store.saveEvent(event)
            #expect(try await store.events(.pending).map(\.id) == ["e0"])
            #expect(try await store.events(.deadLetter) == [event])
            #expect(try await store.eventCount(.deadLetter) == 1)
            #expect(try await store.event("e1", state: .pending) == nil)
            #expect(try await store.removeEvent("e1", state: .pending) == false, "a dead letter is not pending")
            #expect(try await store.removeEvent("e1", state: .deadLetter) == true)
            #expect(try await store.eventCount(.deadLetter) == 0)
            await store.close()
        }
    }

    @Test("Importing events twice adds each once (an interrupted import can be run again)")
    func importIsIdempotent() async throws {
        try await withTemporaryDirectory("store-import") { folder in
            let store = try await Store.open(stateDirectory: folder)
            let events = (0..<5).map {
                AsyncEventRecord(id: "i\($0)", function: "f", payload: [], acceptedAt: Int64($0))
            }
            #expect(try await store.importEvents(events) == 5)
            #expect(try await store.importEvents(events) == 0)
            #expect(try await store.eventCount(.pending) == 5)
            await store.close()
        }
    }

    @Test("Two stores on one file (serve and the CLI) see each other's commits")
    func twoConnectionsShareTheFile() async throws {
        try await withTemporaryDirectory("store-shared") { folder in
            let serve = try await Store.open(stateDirectory: folder)
            let cli = try await Store.open(stateDirectory: folder)
            try await serve.saveEvent(AsyncEventRecord(id: "s", function: "f", payload: [], acceptedAt: 1))
            #expect(try await cli.events(.pending).map(\.id) == ["s"])
            try await cli.removeEvent("s", state: .pending)
            #expect(try await serve.eventCount(.pending) == 0)
            await serve.close()
            await cli.close()
        }
    }

    @Test("A batch delete removes the messages its current receipt handles name, in one commit, and says which")
    func batchDeleteRemovesTheNamedMessages() async throws {
        try await withTemporaryDirectory("store-batch-delete") { folder in
            let store = try await Store.open(stateDirectory: folder)
            for i in 0..<4 {
                try await store.sendMessage(
                    StoredMessage(queue: "q", messageID: "m\(i)", body: [UInt8(i)], sentAt: 0, visibleAt: 0))
            }
            let received = try await store.receiveMessages(queue: "q", limit: 3, visibilityMs: 1000, now: 0)
            let receipts = received.compactMap(\.receipt)
            #expect(receipts.count == 3)
            let deleted = try await store.deleteMessages(queue: "q", receipts: [receipts[0], receipts[2], "0-nothing"])
            #expect(deleted == [receipts[0], receipts[2]])
            #expect(try await store.deleteMessages(queue: "q", receipts: []) == [])
            #expect(
                try await store.messageCounts(queue: "q", now: 0)
                    == .init(inFlight: 1, delayed: 0, visible: 1, oldestSentAt: 0))
            await store.close()
        }
    }

    @Test("FNHOST_STORE_SYNC chooses the durability; an unknown value is refused with the variable named")
    func durabilityComesFromTheEnvironment() throws {
        #expect(try StoreDurability.from(environment: [:]) == .normal)
        #expect(try StoreDurability.from(environment: ["FNHOST_STORE_SYNC": "FULL"]) == .full)
        #expect(throws: StoreError.badSetting("FNHOST_STORE_SYNC=sometimes: expected normal or full")) {
            try StoreDurability.from(environment: ["FNHOST_STORE_SYNC": "sometimes"])
        }
    }

    @Test("A received message is hidden until its visibility timeout, then comes back with a new receipt handle")
    func receiveHidesUntilTheVisibilityTimeout() async throws {
        try await withTemporaryDirectory("store-messages") { folder in
            let store = try await Store.open(stateDirectory: folder)
            for i in 0..<3 {
                try await store.sendMessage(
                    StoredMessage(
                        queue: "q", messageID: "m\(i)", body: Array("body \(i)".utf8), sentAt: 100, visibleAt: 100))
            }
            try await store.sendMessage(
                StoredMessage(queue: "other", messageID: "x", body: [], sentAt: 100, visibleAt: 100))
            try await store.sendMessage(
                StoredMessage(queue: "q", messageID: "late", body: [], sentAt: 100, visibleAt: 500))

            let first = try await store.receiveMessages(queue: "q", limit: 2, visibilityMs: 1000, now: 200)
            #expect(first.map(\.messageID) == ["m0", "m1"], "oldest first, at most the limit")
            #expect(first.allSatisfy { $0.receiveCount == 1 && $0.firstReceivedAt == 200 && $0.visibleAt == 1200 })
            #expect(
                try await store.messageCounts(queue: "q", now: 200)
                    == .init(inFlight: 2, delayed: 1, visible: 1, oldestSentAt: 100))

            let second = try await store.receiveMessages(queue: "q", limit: 10, visibilityMs: 1000, now: 600)
            #expect(second.map(\.messageID) == ["m2", "late"], "the in-flight ones stay hidden; the delay has passed")

            let again = try await store.receiveMessages(queue: "q", limit: 1, visibilityMs: 1000, now: 1200)
            #expect(again.map(\.messageID) == ["m0"])
            #expect(again.first?.receiveCount == 2)
            #expect(again.first?.firstReceivedAt == 200)
            let oldReceipt = try #require(first.first?.receipt)
            #expect(again.first?.receipt != oldReceipt)
            #expect(
                try await store.deleteMessage(queue: "q", receipt: oldReceipt) == false,
                "an old receipt deletes nothing")
            #expect(try await store.deleteMessage(queue: "other", receipt: try #require(again.first?.receipt)) == false)
            #expect(try await store.deleteMessage(queue: "q", receipt: try #require(again.first?.receipt)) == true)

            let m1 = try #require(first.last?.receipt)
            #expect(try await store.changeVisibility(queue: "q", receipt: m1, visibleAt: 1200))
            #expect(
                try await store.receiveMessages(queue: "q", limit: 10, visibilityMs: 0, now: 1200).map(\.messageID) == [
                    "m1"
                ])
            #expect(try await store.purgeMessages(queue: "q") == 3)
            #expect(
                try await store.messageCounts(queue: "q", now: 2000)
                    == .init(inFlight: 0, delayed: 0, visible: 0, oldestSentAt: nil))
            #expect(try await store.messageCounts(queue: "other", now: 2000).visible == 1)
            await store.close()
        }
    }
}
