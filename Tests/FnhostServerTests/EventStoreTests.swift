import FnhostStore
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension ServeSuite {
    /// The asynchronous events in the durable store (SQLite in the state folder): the folders of JSON files an older
    /// fnhost kept are imported once. (That a SIGTERM or SIGKILL loses no accepted event: `Lifecycle`.)
    @Suite("Event store")
    struct EventStoreTests {
        @Test("An older fnhost's queue/ and dead-letters/ folders are imported once; an unreadable file stays")
        func legacyFoldersAreImported() async throws {
            try await withTemporaryDirectory("import-events") { folder in
                let ran = folder + "/ran"
                let state = folder + "/state"
                for path in [ran, state + "/queue", state + "/dead-letters"] {
                    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
                }
                let functions = try Fixtures.install(
                    ["slow", "poison"], into: folder, environment: ["slow": ["SLOW_RECORD_DIR": ran]])
                let queuedID = UUID().uuidString.lowercased()
                let deadID = UUID().uuidString.lowercased()
                let payload = Data(#"{"sleep": 0.05}"#.utf8).base64EncodedString()
                try Self.write(
                    state + "/queue/\(queuedID).json",
                    #"{"id":"\#(queuedID)","function":"slow","payload":"\#(payload)","acceptedAt":1000,"attempts":0}"#)
                try Self.write(
                    state + "/dead-letters/\(deadID).json",
                    #"{"id":"\#(deadID)","function":"poison","payload":"e30=","acceptedAt":900,"attempts":3,"lastError":{"errorType":"Poison.AlwaysFails","errorMessage":"this event always fails"},"failedAt":2000}"#
                )
                try Self.write(state + "/queue/not-an-event.json", "{ this is not JSON")

                try await withServer(ServeOptions(functions: functions, stateDirectory: state)) {
                    (server) async throws in
                    let ranIt = await eventually(within: .seconds(10)) {
                        FileManager.default.fileExists(atPath: ran + "/" + queuedID)
                    }
                    #expect(ranIt, "the imported queued event never ran")
                    let letters = try await server.deadLetters()
                    #expect(letters.map { $0["id"] as? String } == [deadID])
                    #expect(letters.first?["attempts"] as? Int == 3)
                    #expect(letters.first?["failedAt"] as? Int == 2000)
                    #expect(
                        (letters.first?["lastError"] as? [String: Any])?["errorType"] as? String == "Poison.AlwaysFails"
                    )
                    #expect(server.capture.error.contains("not-an-event.json"), "the unreadable file is not reported")
                }
                #expect(
                    Self.files(in: state + "/queue") == ["not-an-event.json"], "the unreadable file stays, the rest go")
                #expect(!FileManager.default.fileExists(atPath: state + "/dead-letters"))
                // A second start imports nothing again.
                try await withServer(ServeOptions(functions: functions, stateDirectory: state)) {
                    (server) async throws in
                    #expect(try await server.deadLetters().count == 1)
                    #expect(!server.capture.error.contains("imported 1"), "\(server.capture.error)")
                }
            }
        }

        static func write(_ path: String, _ text: String) throws {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }

        static func files(in folder: String) -> Set<String> {
            Set((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
        }
    }
}
