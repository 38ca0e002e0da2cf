import FnhostWire
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension ServeSuite {
    /// Event source mappings on `fnhost serve`, through boto3's `lambda` and `sqs` clients unchanged: each scenario of
    /// Tests/Fixtures/sqs/mappings.py asserts what Lambda does, against a real server, its store, and the sqs-batch
    /// fixture function (real worker processes) that logs what it processed durably in the state folder.
    @Suite("Event source mappings", .serialized)
    struct EventSourceMappings {
        static let scenarios = Paths.fixtures + "/sqs/mappings.py"

        /// Runs one scenario against the server; its failed assertion is the test's message.
        @discardableResult
        static func scenario(_ name: String, server: ServeProcess, _ extra: [String] = []) async throws -> String {
            try await ServeSuite.SQSAPI.requireBoto3()
            let result = try await Command.run(
                "python3", [scenarios, String(server.port), server.stateDirectory, name] + extra,
                environment: AWSClients.environment, timeLimit: 120)
            #expect(result.exitCode == 0, "\(name): \(result)")
            return result.standardOutput
        }

        /// A server of the fixture functions (sqs-batch among them) with a state folder of its own.
        static func withFixtures(_ body: (ServeProcess) async throws -> Void) async throws {
            try await withTemporaryDirectory("mappings") { folder in
                let functions = try Fixtures.install(["sqs-batch", "echo"], into: folder)
                try await withServer(ServeOptions(functions: functions, stateDirectory: folder + "/state")) {
                    try await body($0)
                }
            }
        }

        @Test(
            "Create, List, Get, Update, Delete as boto3 sends them, then: success deletes, failures come back and are redriven, partial batch responses, invalid answers, FIFO order per group, pollers scale to MaximumConcurrency, /metrics"
        )
        func mappingsEndToEnd() async throws {
            try await Self.withFixtures { server in
                for name in ["api", "redrive", "whole_batch", "partial", "garbage", "fifo", "scaling", "metrics"] {
                    try await Self.scenario(name, server: server)
                }
            }
        }

        @Test("A manifest's eventSources create the queue and the mapping; fnhost mappings lists it (--json too)")
        func manifestDeclaredMapping() async throws {
            try await withTemporaryDirectory("mappings-manifest") { folder in
                let functions = try Fixtures.install(
                    ["sqs-batch"], into: folder,
                    overrides: [
                        "sqs-batch": [
                            "eventSources": .array([
                                .object(["queue": .string("declared"), "batchSize": .number(4)])
                            ])
                        ]
                    ])
                let state = folder + "/state"
                try await withServer(ServeOptions(functions: functions, stateDirectory: state)) { server in
                    #expect(
                        server.capture.error.contains("created queue declared")
                            || server.capture.output.contains("created queue declared"))
                    try await Self.scenario("send_many", server: server, ["declared", "8", "30"])
                    let done = await eventually(within: .seconds(30)) {
                        Self.processed(state).count >= 8
                    }
                    #expect(done, "processed: \(Self.processed(state))")
                    let list = try await Command.fnhost(["mappings", "list", "--state-dir", state, "--json"])
                    #expect(list.exitCode == 0, "\(list)")
                    let row = try #require(
                        try JSONSerialization.jsonObject(with: Data(list.standardOutput.utf8)) as? [String: Any])
                    #expect(row["BatchSize"] as? Int == 4)
                    #expect(row["Origin"] as? String == "manifest")
                    #expect(row["State"] as? String == "Enabled")
                    let table = try await Command.fnhost(["mappings", "--state-dir", state])
                    #expect(table.standardOutput.contains("declared (sqs) → sqs-batch  Enabled  batch 4"), "\(table)")
                    let help = try await Command.fnhost(["mappings", "list", "--help"])
                    #expect(help.exitCode == 0 && help.standardOutput.contains("--json"))
                }
            }
        }

        /// The ids the function logged as processed, in order (one per line of STATE/processed.log).
        static func processed(_ state: String) -> [String] {
            guard let text = try? String(contentsOfFile: state + "/processed.log", encoding: .utf8) else { return [] }
            return text.split(separator: "\n").compactMap {
                (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["id"] as? String
            }
        }

        /// The batches the function began, as lists of ids (STATE/processed.log.batches).
        static func batches(_ state: String) -> [[String]] {
            guard let text = try? String(contentsOfFile: state + "/processed.log.batches", encoding: .utf8) else {
                return []
            }
            return text.split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String]
            }
        }

        @Test(
            "SIGKILL while a batch is in the function, restart on the same state folder: every message processed, duplicates only from the batches begun before the kill"
        )
        func sigkillMidBatchLosesNothing() async throws {
            try await withTemporaryDirectory("mappings-kill") { folder in
                let functions = try Fixtures.install(
                    ["sqs-batch"], into: folder, environment: ["sqs-batch": ["SQS_BATCH_SLEEP": "1.5"]])
                let state = folder + "/state"
                let options = ServeOptions(functions: functions, stateDirectory: state)
                let count = 40
                var sentIDs: Set<String> = []
                let begunBeforeKill: [[String]] = try await {
                    let server = try await ServeProcess.start(options)
                    do {
                        try await Self.scenario("send_many", server: server, ["killed", String(count), "3"])
                        try await Self.scenario("map_queue", server: server, ["killed", "5"])
                        // A batch is in the function (begun, sleeping 1.5 s before it logs anything).
                        let inFunction = await eventually(within: .seconds(30)) { !Self.batches(state).isEmpty }
                        #expect(inFunction, "no batch reached the function: \(server.capture.error.suffix(2000))")
                        let family = server.descendants
                        ProcessLedger.record(family)
                        server.signal(SIGKILL)
                        #expect(await server.waitForExit(within: .seconds(10)) != nil, "fnhost serve outlived SIGKILL")
                        let survivors = await Processes.survivors(of: family, within: .seconds(3))
                        #expect(survivors.isEmpty, "workers outlived the killed server: \(survivors)")
                        for survivor in survivors { kill(survivor.pid, SIGKILL) }
                    } catch {
                        await server.stopAndVerify(sourceLocation: #_sourceLocation)
                        throw error
                    }
                    return Self.batches(state)
                }()
                let processedBeforeKill = Self.processed(state)
                #expect(processedBeforeKill.count < count, "everything was processed before the kill: proves nothing")
                try await withServer(options) { server in
                    let done = await eventually(within: .seconds(90)) { Set(Self.processed(state)).count >= count }
                    let seen = Self.processed(state)
                    #expect(done, "after the restart only \(Set(seen).count) of \(count) processed")
                    let output = try await Self.scenario("queue_counts", server: server, ["killed"])
                    #expect(output.trimmingCharacters(in: .whitespacesAndNewlines) == "[0, 0]", "queue left: \(output)")
                    for batch in Self.batches(state) { sentIDs.formUnion(batch) }
                    #expect(Set(seen) == sentIDs, "processed and delivered differ")
                    #expect(Set(seen).count == count)
                    // At least once: a duplicate is a message of a batch begun before the kill and not finished.
                    var tally: [String: Int] = [:]
                    for id in seen { tally[id, default: 0] += 1 }
                    let duplicates = Set(tally.filter { $0.value > 1 }.keys)
                    let inFlight = Set(begunBeforeKill.joined()).subtracting(processedBeforeKill)
                    #expect(
                        duplicates.isSubset(of: Set(begunBeforeKill.joined())),
                        "duplicates beyond the batches in flight: \(duplicates.subtracting(inFlight))")
                    print(
                        "SIGKILL mid-batch (measured): \(count) messages, \(processedBeforeKill.count) processed before the kill, \(inFlight.count) in flight, \(duplicates.count) processed twice, 0 lost"
                    )
                }
            }
        }
    }
}
