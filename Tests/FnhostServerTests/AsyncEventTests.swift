import FnhostStore
import Foundation
import TestSupport
import Testing

extension ServeSuite {
    /// Asynchronous invocations: 202 once on disk, retried twice (the delays scaled by --time-scale), then
    /// dead-lettered; a poison event never blocks the events behind it.
    @Suite("Async events")
    struct AsyncEvents {
        @Test("An Event to flaky is 202, fails twice, succeeds on the third attempt, and is never dead-lettered")
        func flakyEventSucceedsOnTheThirdAttempt() async throws {
            try await withTemporaryDirectory("flaky") { folder in
                let attempts = folder + "/attempts"
                try FileManager.default.createDirectory(atPath: attempts, withIntermediateDirectories: true)
                let functions = try Fixtures.install(
                    ["flaky"], into: folder, environment: ["flaky": ["FLAKY_ATTEMPTS_DIR": attempts]])
                try await withServer(ServeOptions(functions: functions, timeScale: "0.002")) { server in
                    let response = try await server.client.invoke("flaky", payload: #"{"n":1}"#, type: "Event")
                    #expect(response.status == 202)
                    #expect(response.body.isEmpty)
                    let id = try #require(response.header("X-Amzn-RequestId"), "no X-Amzn-RequestId on the 202")
                    #expect(UUID(uuidString: id) != nil, "the request id is a UUID: \(id)")

                    // Retries after 60 s and 120 s × 0.002: 0.12 s and 0.24 s.
                    let done = await eventually(within: .seconds(15)) {
                        let queued = await server.storedEvents(.pending)
                        return Self.lines(attempts + "/" + id) >= 3 && !queued.contains(id)
                    }
                    let queued = await server.storedEvents(.pending)
                    #expect(done, "flaky never succeeded: \(Self.lines(attempts + "/" + id)) attempts, queue \(queued)")
                    #expect(Self.lines(attempts + "/" + id) == 3, "exactly three attempts")
                    #expect(queued.isEmpty)
                    #expect(await server.storedEvents(.deadLetter).isEmpty)
                    #expect(try await server.deadLetters().isEmpty, "dead-letters list must stay empty")
                    let metrics = try await server.metrics()
                    #expect(metrics.value("fnhost_async_events_total", ["function": "flaky", "fate": "accepted"]) == 1)
                    #expect(metrics.value("fnhost_async_events_total", ["function": "flaky", "fate": "retried"]) == 2)
                    #expect(
                        metrics.value("fnhost_async_events_total", ["function": "flaky", "fate": "succeeded"]) == 1)
                    #expect(metrics.value("fnhost_async_queue_depth") == 0)
                }
            }
        }

        @Test("A poison Event is dead-lettered after 3 attempts, and an Event sent after it completes first")
        func poisonEventIsDeadLetteredWithoutBlockingTheQueue() async throws {
            try await withTemporaryDirectory("poison") { folder in
                let ran = folder + "/ran"
                try FileManager.default.createDirectory(atPath: ran, withIntermediateDirectories: true)
                let functions = try Fixtures.install(
                    ["poison", "slow"], into: folder, environment: ["slow": ["SLOW_RECORD_DIR": ran]])
                // Time scale 0.01: the poison event's retries wait 0.6 s and 1.2 s, so it cannot be dead-lettered
                // before 1.8 s; the slow event behind it takes 0.2 s.
                try await withServer(ServeOptions(functions: functions, timeScale: "0.01")) { server in
                    let poison = try await server.client.invoke("poison", payload: #"{"n":1}"#, type: "Event")
                    #expect(poison.status == 202)
                    let poisonID = try #require(poison.header("X-Amzn-RequestId"))
                    let slow = try await server.client.invoke("slow", payload: #"{"sleep": 0.2}"#, type: "Event")
                    #expect(slow.status == 202)
                    let slowID = try #require(slow.header("X-Amzn-RequestId"))

                    let slowDone = await eventually(within: .seconds(10)) {
                        !(await server.storedEvents(.pending).contains(slowID))
                    }
                    #expect(slowDone, "the event behind the poison one never completed")
                    #expect(FileManager.default.fileExists(atPath: ran + "/" + slowID), "slow did not run the event")
                    #expect(
                        !(await server.storedEvents(.deadLetter).contains(poisonID)),
                        "the poison event was dead-lettered before the event behind it completed")
                    #expect(
                        await server.storedEvents(.pending).contains(poisonID),
                        "the poison event is still waiting for its retries")

                    let deadLettered = await eventually(within: .seconds(15)) {
                        let dead = await server.storedEvents(.deadLetter)
                        let queued = await server.storedEvents(.pending)
                        return dead.contains(poisonID) && !queued.contains(poisonID)
                    }
                    #expect(deadLettered, "the poison event never reached the dead-letter store")
                    let letters = try await server.deadLetters()
                    #expect(letters.count == 1, "\(letters)")
                    let letter = try #require(letters.first { $0["id"] as? String == poisonID }, "\(letters)")
                    #expect(letter["function"] as? String == "poison")
                    #expect(letter["attempts"] as? Int == 3)
                    let lastError = letter["lastError"] as? [String: Any]
                    #expect(lastError?["errorType"] as? String == "Poison.AlwaysFails")
                    #expect(lastError?["errorMessage"] as? String == "this event always fails")
                    #expect(letter["failedAt"] is Int)
                    #expect(try await server.metrics().value("fnhost_dead_letters") == 1)

                    // Replaying it fails again (exit 1) and keeps it in the store.
                    let replay = try await Command.fnhost([
                        "dead-letters", "replay", "--all", "--state-dir", server.stateDirectory, "--functions",
                        functions,
                    ])
                    #expect(replay.exitCode == 1, "\(replay)")
                    #expect(replay.standardError.contains(poisonID), "\(replay)")
                    #expect(try await server.deadLetters().map { $0["id"] as? String } == [poisonID])
                }
            }
        }

        static func lines(_ file: String) -> Int {
            ((try? String(contentsOfFile: file, encoding: .utf8)) ?? "").split(separator: "\n").count
        }
    }
}
