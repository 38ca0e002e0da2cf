import FnhostHost
import FnhostSimulation
import FnhostWire
import Foundation
import TestSupport
import Testing

/// The eligibility orchestrator, request-log and org-status's merged mode on real worker processes.
@Suite(.serialized, .timeLimit(.minutes(3))) struct EligibilityTests {
    static let binaries = ["eligibility", "request-log", "org-status", "rules", "coverage"]
    static let request = #"{"orgId":"ORG-2339","memberId":"M-000001","date":"2026-03-01"}"#

    /// A host over the real functions, with a state folder of its own, always shut down.
    func withRealHost<T>(
        profile: String = "none", timeScale: Double = 1, redis: String? = nil, environment: [String: String] = [:],
        _ body: (FunctionHost, String) async throws -> T
    ) async throws -> T {
        try Paths.requireBuilt(["fnhost-launch"] + Self.binaries)
        return try await withTemporaryDirectory("eligibility") { state in
            var configuration = HostConfiguration(
                functionsDirectory: Paths.functions, buildDirectory: Paths.buildDirectory, maxWait: .seconds(30),
                workerEnvironment: environment,
                simulation: SimulationSettings(profile: profile, seed: 7, timeScale: try TimeScale(timeScale)),
                redisURL: redis)
            configuration.stateDirectory = state
            let host = try FunctionHost(configuration: configuration, sink: CollectingSink())
            do {
                let result = try await body(host, state)
                await host.shutdown()
                return result
            } catch {
                await host.shutdown()
                throw error
            }
        }
    }

    @Test func theThreeBranchesRunAtOnceSoTheHandlerTakesAboutTheSlowestNotTheSum() async throws {
        // Real time under the lambda profile: every hop sleeps 25-150 ms, so overlap is plain to measure.
        try await withRealHost(profile: "lambda", timeScale: 1) { host, _ in
            _ = try await host.invoke("eligibility", Self.request)  // warm every pool
            for _ in 0..<3 {
                let result = try await host.invoke("eligibility", Self.request)
                #expect(!result.isError, "\(String(decoding: result.payload, as: UTF8.self))")
                let summary = try EligibilitySummary(parsing: result.payload)
                let walls = try JSONValue.parse(result.payload)
                guard case .object(let answer) = walls, case .object(let branches)? = answer["branches"] else {
                    throw TestFailure("no branches")
                }
                let wallMs: [Double] = branches.values.compactMap {
                    guard case .object(let b) = $0, case .number(let w)? = b["wallMs"] else { return nil }
                    return w
                }
                #expect(wallMs.count == 3)
                let sum = wallMs.reduce(0, +)
                let slowest = wallMs.max() ?? 0
                // Measured: in sequence the handler would take the sum; in parallel, the slowest plus a little.
                #expect(summary.handlerMs >= slowest)
                #expect(
                    summary.handlerMs < slowest + 0.5 * (sum - slowest), "walls \(wallMs), handler \(summary.handlerMs)"
                )
                for (name, branch) in summary.branches {
                    #expect(branch.simulatedMs >= 25, "\(name): a hop under the lambda profile is ≥ 25 simulated ms")
                }
            }
        }
    }

    @Test func aBadRequestIsAFunctionErrorAndInvokesNoBranch() async throws {
        try await withRealHost { host, state in
            for (payload, type) in [
                (#"{"orgId":"ORG-1","memberId":"M-000001","date":"2026-03-01"}"#, "InvalidOrgId"),
                (#"{"orgId":"ORG-0001","memberId":42,"date":"2026-03-01"}"#, "InvalidMemberId"),
                (#"{"orgId":"ORG-0001","memberId":"M-000001","date":"yesterday"}"#, "InvalidDate"),
                (#""just a string""#, "InvalidEvent"),
            ] {
                let result = try await host.invoke("eligibility", payload)
                guard case .functionError(let error) = result.outcome else {
                    throw TestFailure("\(payload) was accepted")
                }
                #expect(error.errorType == type, "\(payload): \(error)")
            }
            for branch in ["org-status", "rules", "coverage", "request-log"] {
                let pool = try #require(await host.poolSnapshot(branch))
                #expect(pool.idle + pool.busy + pool.starting == 0, "\(branch) started a worker: \(pool)")
                #expect(host.usage.byFunction[branch] == nil, "\(branch) was invoked")
            }
            #expect(host.usage.byFunction["eligibility"]?.requests == 4)
            #expect(!FileManager.default.fileExists(atPath: state + "/request-log.jsonl"))
        }
    }

    @Test func aFailingBranchFailsTheRequestWithAnErrorThatNamesIt() async throws {
        // ORG-9999 is not in the reference data: org-status fails; the error names the branch and its cause.
        try await withRealHost { host, _ in
            let result = try await host.invoke(
                "eligibility", #"{"orgId":"ORG-9999","memberId":"M-000001","date":"2026-03-01"}"#)
            guard case .functionError(let error) = result.outcome else { throw TestFailure("accepted") }
            #expect(error.errorType == "BranchFailed")
            #expect(error.errorMessage.hasPrefix("org-status failed: OrganisationNotFound"), "\(error.errorMessage)")
        }
    }

    @Test func mergedOrgStatusDecidesAsTheRulesFunctionDoesWithoutInvokingIt() async throws {
        let orgs = (1...25).map { String(format: "ORG-%04d", $0 * 173 % 5000 + 1) }
        func decisions(_ environment: [String: String]) async throws -> ([JSONValue], Int?) {
            try await withRealHost(environment: environment) { host, _ in
                var out: [JSONValue] = []
                for org in orgs {
                    let result = try await host.invoke("org-status", #"{"orgId":"\#(org)","date":"2026-03-01"}"#)
                    guard case .object(let answer) = try JSONValue.parse(result.payload) else {
                        throw TestFailure("not an object")
                    }
                    out.append(
                        .array([
                            answer["decision"] ?? .null, answer["reasons"] ?? .null, answer["rulesetVersion"] ?? .null,
                        ]))
                }
                return (out, host.usage.byFunction["rules"]?.requests)
            }
        }
        let (invoked, rulesCalls) = try await decisions([:])
        let (merged, mergedRulesCalls) = try await decisions(["FNHOST_ORG_STATUS_RULES": "merged"])
        #expect(invoked == merged)
        #expect(rulesCalls == orgs.count)
        #expect(mergedRulesCalls == nil, "merged org-status never invokes rules")
    }

    @Test func concurrentRequestLogWorkersAppendWholeLinesEachAtItsOwnOffset() async throws {
        try await withRealHost { host, state in
            let answers = try await withThrowingTaskGroup(of: (String, String).self) { group in
                for i in 0..<40 {
                    group.addTask {
                        let id = "req-\(i)"
                        let result = try await host.invoke(
                            "request-log",
                            #"{"requestId":"\#(id)","orgId":"ORG-0001","memberId":"M-000001","date":"2026-03-01"}"#)
                        guard case .object(let o) = try JSONValue.parse(result.payload),
                            case .string(let offset)? = o["offset"]
                        else { throw TestFailure("\(String(decoding: result.payload, as: UTF8.self))") }
                        return (id, offset)
                    }
                }
                var all: [String: String] = [:]
                for try await (id, offset) in group { all[id] = offset }
                return all
            }
            let workers = try #require(await host.poolSnapshot("request-log"))
            #expect(workers.idle > 1, "several workers appended at once")
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: state + "/request-log.jsonl")))
            let log = RequestLogRecord.readFile(bytes)
            #expect(log.unreadable.isEmpty && !log.truncatedTail)
            #expect(log.entries.count == 40)
            for entry in log.entries { #expect(answers[entry.record.requestID] == String(entry.offset)) }
        }
    }

    @Test func aRequestIDLoggedOnceIsNotLoggedAgainByAnyWorker() async throws {
        try await withRealHost { host, state in
            let offsets = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<12 {
                    group.addTask {
                        let result = try await host.invoke(
                            "request-log",
                            #"{"requestId":"again","orgId":"ORG-0001","memberId":"M-000001","date":"2026-03-01"}"#)
                        guard case .object(let o) = try JSONValue.parse(result.payload),
                            case .string(let offset)? = o["offset"]
                        else { throw TestFailure("\(String(decoding: result.payload, as: UTF8.self))") }
                        return offset
                    }
                }
                var all: [String] = []
                for try await offset in group { all.append(offset) }
                return all
            }
            #expect(Set(offsets).count == 1, "every answer names the one entry: \(offsets)")
            let log = RequestLogRecord.readFile(
                Array(try Data(contentsOf: URL(fileURLWithPath: state + "/request-log.jsonl"))))
            #expect(log.entries.count == 1)
        }
    }

    @Test func withRedisTheLogIsAStreamUnderFnhostsPrefix() async throws {
        let redis = try RedisServer.start()
        defer { redis.stop() }
        try await withRealHost(redis: redis.url) { host, state in
            var ids: [String] = []
            for i in 0..<5 {
                let result = try await host.invoke(
                    "request-log",
                    #"{"requestId":"r\#(i)","orgId":"ORG-0001","memberId":"M-000001","date":"2026-03-01"}"#)
                guard case .object(let o) = try JSONValue.parse(result.payload),
                    case .string(let offset)? = o["offset"],
                    o["log"] == .string("redis")
                else { throw TestFailure("\(String(decoding: result.payload, as: UTF8.self))") }
                ids.append(offset)
            }
            let raw = try RawRedis(port: redis.port)
            #expect(try raw.run("XLEN", "fnhost:request-log:requests") == .integer(5))
            #expect(try raw.allKeys().allSatisfy { $0.hasPrefix("fnhost:") })
            #expect(Set(ids).count == 5)
            #expect(!FileManager.default.fileExists(atPath: state + "/request-log.jsonl"))
        }
    }
}
