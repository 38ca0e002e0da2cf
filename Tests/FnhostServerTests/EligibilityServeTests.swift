import FnhostWire
import Foundation
import Synchronization
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension ServeSuite {
    /// Seed 000's eligibility system behind `POST /eligibility`: the orchestrator's answer, its request log, and what
    /// a kill does to that log.
    @Suite("Eligibility")
    struct Eligibility {
        static let binaries = ["eligibility", "request-log", "org-status", "rules", "coverage"]

        /// (memberId, its orgId) pairs from coverage's reference data.
        static func pairs(_ count: Int) throws -> [(member: String, org: String)] {
            let text = try String(contentsOfFile: Paths.functions + "/coverage/data/members.csv", encoding: .utf8)
            return text.split(separator: "\n").dropFirst().prefix(count).map {
                let cells = $0.split(separator: ",")
                return (String(cells[0]), String(cells[1]))
            }
        }

        static func body(_ pair: (member: String, org: String)) -> String {
            #"{"orgId":"\#(pair.org)","memberId":"\#(pair.member)","date":"2026-03-01"}"#
        }

        static func logEntries(_ state: String) -> RequestLogRecord.FileContents {
            let bytes =
                (try? Data(contentsOf: URL(fileURLWithPath: state + "/request-log.jsonl"))).map(Array.init) ?? []
            return RequestLogRecord.readFile(bytes)
        }

        @Test(
            "POST /eligibility answers a decision, reasons, the log offset and each branch's latency; the log holds one entry per request"
        )
        func eligibilityAnswersAndLogsEachRequestOnce() async throws {
            try Paths.requireBuilt(Self.binaries)
            let pairs = try Self.pairs(12)
            try await withServer(ServeOptions(timeScale: "0.05", extraArguments: ["--profile", "lambda"])) { server in
                // Four clients at once, three requests each.
                let responses = try await withThrowingTaskGroup(of: [HTTPResponse].self) { group in
                    for client in 0..<4 {
                        group.addTask {
                            var mine: [HTTPResponse] = []
                            for pair in pairs[(client * 3)..<(client * 3 + 3)] {
                                mine.append(try await server.client.post("/eligibility", body: Self.body(pair)))
                            }
                            return mine
                        }
                    }
                    var all: [HTTPResponse] = []
                    for try await part in group { all += part }
                    return all
                }
                let answers = try responses.map { response in
                    guard response.status == 200 else { throw TestFailure("POST /eligibility: \(response)") }
                    return try response.jsonObject()
                }
                #expect(answers.count == pairs.count)
                for answer in answers {
                    let decision = try #require(answer["decision"] as? String)
                    #expect(["ELIGIBLE", "REVIEW", "INELIGIBLE"].contains(decision))
                    let branches = try #require(answer["branches"] as? [String: [String: Any]])
                    #expect(Set(branches.keys) == ["org-status", "coverage", "request-log"])
                    for (name, branch) in branches {
                        let simulated = try #require(branch["simulatedMs"] as? Double, "\(name) has no simulatedMs")
                        let measured = try #require(branch["measuredMs"] as? Double, "\(name) has no measuredMs")
                        #expect(simulated >= 25, "\(name): every hop under the lambda profile costs ≥ 25 simulated ms")
                        #expect(measured > 0)
                    }
                    let reasons = try #require(answer["reasons"] as? [[String: Any]])
                    #expect(Set(reasons.compactMap { $0["source"] as? String }) == ["org-status", "coverage"])
                    if decision == "ELIGIBLE" {
                        #expect(reasons.allSatisfy { ($0["outcome"] as? String) == "ELIGIBLE" })
                    }
                }
                let log = Self.logEntries(server.stateDirectory)
                #expect(log.unreadable.isEmpty && !log.truncatedTail)
                #expect(log.entries.count == pairs.count, "one entry per request: \(log.entries.count)")
                let ids = Set(answers.compactMap { $0["requestId"] as? String })
                #expect(Set(log.entries.map(\.record.requestID)) == ids)
                let offsets = Dictionary(
                    uniqueKeysWithValues: log.entries.map { ($0.record.requestID, String($0.offset)) })
                for answer in answers {
                    let id = try #require(answer["requestId"] as? String)
                    #expect(offsets[id] == answer["offset"] as? String, "the answer's offset is its line's")
                }
            }
        }

        @Test("A bad request to POST /eligibility is a 400 that names the field, and no branch is invoked")
        func badRequestInvokesNoBranch() async throws {
            try Paths.requireBuilt(Self.binaries)
            try await withServer(ServeOptions(timeScale: "0.01", extraArguments: ["--profile", "lambda"])) { server in
                let cases = [
                    (#"{"orgId":"ORG-12","memberId":"M-000001","date":"2026-03-01"}"#, "InvalidOrgId"),
                    (#"{"orgId":"ORG-0001","date":"2026-03-01"}"#, "InvalidMemberId"),
                    (#"{"orgId":"ORG-0001","memberId":"M-000001","date":"2026-02-30"}"#, "InvalidDate"),
                    (#"{"orgId":"ORG-0001","memberId":"M-000001"}"#, "InvalidDate"),
                    (#"[1,2]"#, "InvalidEvent"),
                    (#"not json"#, "InvalidEvent"),
                ]
                for (body, errorType) in cases {
                    let response = try await server.client.post("/eligibility", body: body)
                    #expect(response.status == 400, "\(body): \(response)")
                    let object = try response.jsonObject()
                    #expect(object["errorType"] as? String == errorType, "\(body): \(object)")
                }
                let direct = try await server.client.invoke("eligibility", payload: #"{"orgId":"ORG-0001"}"#)
                #expect(direct.header("X-Amz-Function-Error") == "Unhandled")
                #expect(try direct.jsonObject()["errorType"] as? String == "InvalidMemberId")
                let metrics = try await server.metrics()
                #expect(
                    metrics.value("fnhost_invocations_total", ["function": "eligibility", "outcome": "success"]) == 6)
                for branch in ["org-status", "rules", "coverage", "request-log"] {
                    for outcome in ["success", "error"] {
                        #expect(
                            metrics.value("fnhost_invocations_total", ["function": branch, "outcome": outcome]) == nil,
                            "\(branch) was invoked for a bad request")
                    }
                }
                #expect(!FileManager.default.fileExists(atPath: server.stateDirectory + "/request-log.jsonl"))
            }
        }

        @Test(
            "After fnhost serve is killed (SIGKILL) mid-run and restarted, the log has every answered request once and no id twice"
        )
        func requestLogSurvivesAKillMidRun() async throws {
            try Paths.requireBuilt(Self.binaries)
            try await withTemporaryDirectory("killed-log") { state in
                let pairs = try Self.pairs(400)
                let options = ServeOptions(
                    stateDirectory: state, timeScale: "0.02", extraArguments: ["--profile", "lambda"])
                let tally = ClientTally()
                /// Four clients send until `until` answers have come back or the server stops answering.
                func drive(_ server: ServeProcess, until target: Int) async {
                    await withTaskGroup(of: Void.self) { group in
                        for _ in 0..<4 {
                            group.addTask {
                                while tally.answeredCount < target {
                                    let i = tally.nextRequest()
                                    guard
                                        let response = try? await server.client.post(
                                            "/eligibility", body: Self.body(pairs[i % pairs.count]))
                                    else { return }  // the server is gone
                                    if response.status == 200,
                                        let id = try? response.jsonObject()["requestId"] as? String
                                    {
                                        tally.answered(id)
                                    }
                                }
                            }
                        }
                    }
                }
                let first = try await ServeProcess.start(options)
                // Clients keep sending; the kill lands while requests are in flight.
                async let firstRun: Void = drive(first, until: 1_000_000)
                _ = await eventually(within: .seconds(60)) { tally.answeredCount >= 30 }
                let family = first.descendants
                ProcessLedger.record(family)
                first.signal(SIGKILL)
                _ = await first.waitForExit(within: .seconds(10))
                await firstRun
                let beforeKill = tally.answeredCount
                #expect(beforeKill >= 30)
                // Every worker dies with its host.
                #expect(await eventually(within: .seconds(10)) { family.allSatisfy { !$0.isRunning } })
                await first.stopAndVerify(sourceLocation: #_sourceLocation)

                try await withServer(options) { second in
                    await drive(second, until: beforeKill + 30)
                }
                let ids = tally.ids
                let log = Self.logEntries(state)
                var seen: [String: Int] = [:]
                for entry in log.entries { seen[entry.record.requestID, default: 0] += 1 }
                #expect(seen.values.allSatisfy { $0 == 1 }, "an id logged twice: \(seen.filter { $0.value > 1 })")
                let missing = ids.filter { seen[$0] == nil }
                #expect(missing.isEmpty, "answered 200 but not in the log: \(missing.prefix(5))")
                #expect(log.entries.count >= ids.count)
                #expect(log.entries.count - ids.count <= 8, "only requests in flight at the kill may be extra")
            }
        }
    }
}

/// What the clients of the kill test share: requests sent, and the ids of those answered 200.
private final class ClientTally: Sendable {
    private let sent = Atomic<Int>(0)
    private let answeredIDs = Mutex<[String]>([])

    func nextRequest() -> Int { sent.wrappingAdd(1, ordering: .relaxed).oldValue }
    func answered(_ id: String) { answeredIDs.withLock { $0.append(id) } }
    var answeredCount: Int { answeredIDs.withLock { $0.count } }
    var ids: [String] { answeredIDs.withLock { $0 } }
}
