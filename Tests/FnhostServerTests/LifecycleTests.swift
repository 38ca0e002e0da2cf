import FnhostStore
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension ServeSuite {
    /// Accepted events survive a stop; SIGTERM drains, SIGKILL leaves no worker behind.
    @Suite("Lifecycle")
    struct Lifecycle {
        @Test(
            "Events accepted (202) before SIGTERM or SIGKILL stay in the store and run after a restart: none is lost",
            arguments: [SIGTERM, SIGKILL])
        func acceptedEventsSurviveAStop(signal: Int32) async throws {
            try await withTemporaryDirectory("persist") { folder in
                let ran = folder + "/ran"
                let state = folder + "/state"
                try FileManager.default.createDirectory(atPath: ran, withIntermediateDirectories: true)
                let functions = try Fixtures.install(
                    ["slow"], into: folder, environment: ["slow": ["SLOW_RECORD_DIR": ran]])
                var options = ServeOptions(functions: functions, stateDirectory: state)
                // One event at a time, 0.3 s each: most of them are still queued when the signal comes.
                options.extraArguments = ["--async-concurrency", "1"]

                let accepted: [String] = try await withServer(options) { server in
                    var ids: [String] = []
                    for _ in 0..<6 {
                        let response = try await server.client.invoke(
                            "slow", payload: #"{"sleep": 0.3}"#, type: "Event")
                        #expect(response.status == 202)
                        ids.append(try #require(response.header("X-Amzn-RequestId")))
                    }
                    server.signal(signal)
                    let ended = await server.waitForExit(within: .seconds(15))
                    if signal == SIGTERM {
                        #expect(
                            ended == .exited(0),
                            "SIGTERM: \(ended.map(\.description) ?? "still running"); \(server.capture.error.suffix(1000))"
                        )
                    } else {
                        #expect(ended != nil, "fnhost serve outlived SIGKILL")
                    }
                    return ids
                }
                #expect(Set(accepted).count == 6)
                let queued = await ServeProcess.storedEvents(.pending, in: state)
                let done = Self.files(in: ran)
                #expect(!queued.isEmpty, "every event ran before the stop: the test proves nothing (make them slower)")
                #expect(
                    queued.union(done).isSuperset(of: accepted),
                    "accepted events lost: \(Set(accepted).subtracting(queued.union(done)))")
                #expect(await ServeProcess.storedEvents(.deadLetter, in: state).isEmpty)

                // The same state folder: the queued events run.
                options.extraArguments = []
                try await withServer(options) { (server) async throws in
                    let drained = await eventually(within: .seconds(20)) {
                        let queued = await server.storedEvents(.pending)
                        return queued.isEmpty && Self.files(in: ran).isSuperset(of: accepted)
                    }
                    let stillQueued = await server.storedEvents(.pending)
                    #expect(
                        drained,
                        "after the restart, still queued: \(stillQueued); never ran: \(Set(accepted).subtracting(Self.files(in: ran)))"
                    )
                    #expect(try await server.deadLetters().isEmpty)
                    #expect(try await server.health()["asyncQueueDepth"] as? Int == 0)
                }
            }
        }

        @Test("An Event running when SIGTERM comes completes during the drain and leaves the queue")
        func runningEventCompletesDuringTheDrain() async throws {
            try await withTemporaryDirectory("drain-event") { folder in
                let ran = folder + "/ran"
                try FileManager.default.createDirectory(atPath: ran, withIntermediateDirectories: true)
                let functions = try Fixtures.install(
                    ["slow"], into: folder, environment: ["slow": ["SLOW_RECORD_DIR": ran]])
                var options = ServeOptions(functions: functions)
                options.drainTimeout = 8
                try await withServer(options) { server in
                    let accepted = try await server.client.invoke("slow", payload: #"{"sleep": 1.5}"#, type: "Event")
                    #expect(accepted.status == 202)
                    let id = try #require(accepted.header("X-Amzn-RequestId"))
                    let busy = try await eventually(within: .seconds(10)) {
                        try await server.metrics().value("fnhost_workers", ["function": "slow", "state": "busy"]) == 1
                    }
                    try #require(busy, "the event never ran")
                    server.signal(SIGTERM)
                    let ended = await server.waitForExit(within: .seconds(15))
                    #expect(ended == .exited(0))
                    #expect(
                        FileManager.default.fileExists(atPath: ran + "/" + id),
                        "the running event did not run to its end")
                    #expect(
                        !(await server.storedEvents(.pending).contains(id)),
                        "the event that was running is still queued (it will run again after a restart)")
                }
            }
        }

        @Test("SIGTERM with 4 requests in flight: all 4 answered 200, exit 0 within the drain bound, no worker left")
        func sigtermDrainsInFlightRequests() async throws {
            try await Self.drain(function: "slow", requests: 4)
        }

        @Test("SIGTERM with 2 requests in flight on provisioned workers: both answered, exit 0, no worker left")
        func sigtermDrainsInFlightRequestsOnProvisionedWorkers() async throws {
            try await Self.drain(function: "provisioned", requests: 2)
        }

        /// Sends `requests` invocations of `function` that each take 1.5 s, sends SIGTERM once they all run, and
        /// checks that each completes (200, the function's own answer), that fnhost exits 0 within the drain
        /// bound, and that no worker survives it.
        static func drain(function: String, requests: Int) async throws {
            var options = ServeOptions(functions: Paths.fixtureFunctions)
            options.drainTimeout = 8
            try await withServer(options) { server in
                try await withThrowingTaskGroup(of: HTTPResponse.self) { group in
                    for _ in 0..<requests {
                        group.addTask { try await server.client.invoke(function, payload: #"{"sleep": 1.5}"#) }
                    }
                    let busy = try await eventually(within: .seconds(10)) {
                        try await server.metrics().value("fnhost_workers", ["function": function, "state": "busy"])
                            == Double(requests)
                    }
                    try #require(busy, "the \(requests) requests never ran at once")
                    let family = server.descendants
                    ProcessLedger.record(family)
                    let signalled = ContinuousClock.now
                    server.signal(SIGTERM)

                    var pids: [Int32] = []
                    for try await response in group {
                        #expect(response.status == 200, "an in-flight request was not drained: \(response)")
                        #expect(
                            response.header("X-Amz-Function-Error") == nil,
                            "an in-flight invocation was cut short by the shutdown: \(response.text)")
                        if let pid = (try? response.jsonObject())?["pid"] as? Int { pids.append(Int32(pid)) }
                    }
                    #expect(pids.count == requests, "\(pids.count) of \(requests) in-flight invocations completed")
                    let ended = await server.waitForExit(within: .seconds(15))
                    let took = ContinuousClock.now - signalled
                    #expect(
                        ended == .exited(0),
                        "\(ended.map(\.description) ?? "still running"); \(server.capture.error.suffix(1000))")
                    #expect(took < .seconds(8) + .seconds(2), "exit took \(took), beyond the 8 s drain bound")
                    #expect(
                        Set(pids).isSubset(of: Set(family.map(\.pid))),
                        "the answering workers were the server's children")
                    let survivors = await Processes.survivors(of: family, within: .seconds(1))
                    #expect(survivors.isEmpty, "alive after fnhost serve exited: \(survivors)")
                    #expect(await server.waitForOutputEnd())
                    #expect(server.capture.output.contains("fnhost: stopped"))
                }
            }
        }

        @Test("A second signal exits at once, in-flight invocation or not, and the workers go with it")
        func secondSignalExitsAtOnce() async throws {
            try await withServer(ServeOptions(functions: Paths.fixtureFunctions)) { server in
                let inFlight = Task {
                    await server.client.exchange(
                        HTTPClient.request(
                            "POST", "/2015-03-31/functions/slow/invocations", port: server.port, headers: [],
                            body: Array(#"{"sleep": 30}"#.utf8)))
                }
                let busy = try await eventually(within: .seconds(10)) {
                    try await server.metrics().value("fnhost_workers", ["function": "slow", "state": "busy"]) == 1
                }
                try #require(busy, "the request never ran")
                let family = server.descendants
                ProcessLedger.record(family)
                server.signal(SIGTERM)
                // Wait until the first signal was seen, so that the second is a second one.
                let draining = await eventually(within: .seconds(5)) { server.capture.output.contains("shutting down") }
                #expect(draining)
                let signalled = ContinuousClock.now
                server.signal(SIGINT)
                let ended = await server.waitForExit(within: .seconds(5))
                #expect(ended != nil, "a second signal did not end fnhost serve")
                #expect(ContinuousClock.now - signalled < .seconds(2), "took \(ContinuousClock.now - signalled)")
                let survivors = await Processes.survivors(of: family, within: .seconds(1))
                #expect(survivors.isEmpty, "alive after fnhost serve exited: \(survivors)")
                let exchange = await inFlight.value
                #expect(exchange.response?.status != 200, "the 30 s invocation cannot have finished")
            }
        }

        @Test("SIGKILL to the server: every worker is gone within 1 s")
        func sigkillLeavesNoWorker() async throws {
            try await withServer(ServeOptions(functions: Paths.fixtureFunctions)) { server in
                // Three idle workers and one in the middle of an invocation.
                let warm = try await Concurrency.concurrently(3) { _ in
                    try await server.client.invoke("slow", payload: #"{"sleep": 0.2}"#)
                }
                let pids = try warm.map { Int32(try #require($0.jsonObject()["pid"] as? Int)) }
                let inFlight = Task {
                    await server.client.exchange(
                        HTTPClient.request(
                            "POST", "/2015-03-31/functions/slow/invocations", port: server.port, headers: [],
                            body: Array(#"{"sleep": 30}"#.utf8)))
                }
                let busy = try await eventually(within: .seconds(10)) {
                    try await server.metrics().value("fnhost_workers", ["function": "slow", "state": "busy"]) == 1
                }
                try #require(busy, "the long request never ran")
                let family = server.descendants
                ProcessLedger.record(family)
                #expect(Set(pids).isSubset(of: Set(family.map(\.pid))), "the workers are the server's children")
                #expect(family.count >= 4, "\(family)")

                server.signal(SIGKILL)
                let ended = await server.waitForExit(within: .seconds(5))
                #expect(ended == .signaled(SIGKILL))
                let survivors = await Processes.survivors(of: family, within: .seconds(1))
                #expect(survivors.isEmpty, "alive 1 s after SIGKILL to fnhost serve: \(survivors)")
                #expect(await inFlight.value.response == nil, "the killed server cannot have answered")
            }
        }

        static func files(in folder: String) -> Set<String> {
            Set((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
        }
    }
}
