import FnhostHost
import FnhostWire
import Foundation
import TestSupport
import Testing

/// Every test in here runs real worker processes. They run one at a time, so that the timing they assert (a crash
/// noticed within a second, an idle worker reaped within 1.5 s) is measured on a machine that is not also busy
/// starting other tests' workers.
@Suite(.serialized, .timeLimit(.minutes(1))) struct Integration {}

extension Integration {
    @Suite struct ColdAndWarm {
        @Test func aSecondInvocationReusesTheColdWorkersProcessAndOnlyTheFirstHasAnInitDuration() async throws {
            let sink = CollectingSink()
            try await withHost(sink: sink) { host in
                let cold = try await host.invoke("echo", #"{"n":1}"#)
                let warm = try await host.invoke("echo", #"{"n":2}"#)
                let first = try cold.answer()
                let second = try warm.answer()

                #expect(first["event"] as? [String: Int] == ["n": 1])
                #expect(second["event"] as? [String: Int] == ["n": 2])
                // One process served both: the same pid, and its own count of invocations went on.
                let pid = try #require(cold.workerPID)
                #expect(first["pid"] as? Int == Int(pid))
                #expect(warm.workerPID == pid)
                #expect(second["pid"] as? Int == Int(pid))
                #expect(first["count"] as? Int == 1)
                #expect(second["count"] as? Int == 2)
                #expect(cold.workerName == warm.workerName)

                #expect(cold.isColdStart)
                #expect((cold.initDurationMs ?? 0) > 0)
                #expect(!warm.isColdStart)
                #expect(warm.initDurationMs == nil)
            }
        }

        @Test func eachInvocationIsFramedByLambdasStartEndAndReportLines() async throws {
            let sink = CollectingSink()
            try await withHost(sink: sink) { host in
                let cold = try await host.invoke("echo", #"{"log":true}"#)
                let warm = try await host.invoke("echo", "{}")
                for (result, isCold) in [(cold, true), (warm, false)] {
                    let id = result.requestID
                    let lines = sink.platformLines(for: id)
                    #expect(lines.count == 3)
                    #expect(lines.first == "START RequestId: \(id) Version: $LATEST")
                    #expect(lines.dropFirst().first == "END RequestId: \(id)")
                    let report = try #require(sink.report(for: id))
                    try Self.checkReport(report, of: result, memorySize: 128, cold: isCold)
                    // The invocation's own log: START, what the function wrote, END, REPORT.
                    #expect(result.log.first == lines.first)
                    #expect(result.log.suffix(2) == [lines[1], report])
                }
                #expect(cold.log.contains("echo: a line from the function"))
                #expect(
                    sink.all.contains {
                        !$0.fromPlatform && $0.requestID == cold.requestID
                            && $0.text == "echo: a line from the function"
                    })
            }
        }

        /// `REPORT RequestId: ID<TAB>Duration: D ms<TAB>Billed Duration: B ms<TAB>Memory Size: M MB<TAB>Max Memory
        /// Used: U MB[<TAB>Init Duration: I ms]`, with B = ceil(D), U measured (never M), I only when cold.
        static func checkReport(_ line: String, of result: InvocationResult, memorySize: Int, cold: Bool) throws {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            #expect(fields.count == (cold ? 6 : 5), "\(line)")
            guard fields.count >= 5 else { return }
            #expect(fields[0] == "REPORT RequestId: \(result.requestID)")

            let duration = try #require(Self.value(fields[1], prefix: "Duration: ", suffix: " ms"))
            #expect(duration.split(separator: ".").last?.count == 2, "two decimals: \(duration)")
            #expect(duration == LogLines.milliseconds(result.durationMs))
            let billed = try #require(Int(Self.value(fields[2], prefix: "Billed Duration: ", suffix: " ms") ?? ""))
            #expect(billed == max(1, Int(result.durationMs.rounded(.up))))
            #expect(Double(billed) >= Double(duration)!)

            #expect(fields[3] == "Memory Size: \(memorySize) MB")
            let used = try #require(Int(Self.value(fields[4], prefix: "Max Memory Used: ", suffix: " MB") ?? ""))
            #expect(used > 0)
            #expect(used != memorySize, "Max Memory Used must be measured, not copied from the memory size")
            #expect(used == result.maxMemoryUsedMB)

            if cold, fields.count == 6 {
                let initMs = try #require(Self.value(fields[5], prefix: "Init Duration: ", suffix: " ms"))
                #expect(initMs == LogLines.milliseconds(try #require(result.initDurationMs)))
            }
            #expect(!line.contains("Init Duration") || cold)
        }

        static func value(_ field: String, prefix: String, suffix: String) -> String? {
            guard field.hasPrefix(prefix), field.hasSuffix(suffix) else { return nil }
            return String(field.dropFirst(prefix.count).dropLast(suffix.count))
        }

        @Test func aFunctionErrorLeavesTheWorkerWarmForTheNextInvocation() async throws {
            try await withHost { host in
                let failed = try await host.invoke("echo", #"{"fail":true}"#)
                let error = try failed.functionError()
                #expect(error == FunctionError(errorMessage: "asked to fail", errorType: "Fixture.Failed"))
                #expect(failed.status == "error")
                let next = try await host.invoke("echo", "{}")
                #expect(next.workerPID == failed.workerPID)
                #expect(!next.isColdStart)
                #expect(try next.answer()["count"] as? Int == 2)
            }
        }

        @Test func aRequestThatNeverReachesAFunctionIsAServiceError() async throws {
            try await withHost { host in
                await #expect(throws: ServiceError.notFound(function: "nope")) { try await host.invoke("nope", "{}") }
                do throws(ServiceError) {
                    _ = try await host.invoke("echo", #"{"unterminated": "#)
                    Issue.record("a payload that is not JSON reached the function")
                } catch {
                    #expect(error.type == "InvalidRequestContentException")
                    #expect(error.status == 400)
                }
                let tooLarge = "\"" + String(repeating: "x", count: InvokeAPI.maxSyncPayloadBytes) + "\""
                do throws(ServiceError) {
                    _ = try await host.invoke("echo", tooLarge)
                    Issue.record("a payload over 6 MB reached the function")
                } catch {
                    #expect(error.type == "RequestTooLargeException")
                    #expect(error.status == 413)
                }
                // None of them started a worker.
                #expect(await host.poolSnapshot("echo").map { $0.idle + $0.busy + $0.starting } == 0)
            }
        }
    }

    @Suite struct Pool {
        /// Two invocations of echo with the given sleeps, the second started once the first holds a worker.
        static func overlapping(
            _ host: FunctionHost, first: Double, second: Double
        ) async throws -> (InvocationResult, InvocationResult) {
            async let a = host.invoke("echo", #"{"sleep":\#(first)}"#)
            #expect(await host.waitForPool("echo") { $0.busy == 1 })
            async let b = host.invoke("echo", #"{"sleep":\#(second)}"#)
            return (try await a, try await b)
        }

        @Test func concurrentInvocationsUpToTheLimitGetDistinctWorkers() async throws {
            try await withHost { host in
                async let a = host.invoke("echo", #"{"sleep":0.4}"#)
                async let b = host.invoke("echo", #"{"sleep":0.4}"#)
                let (x, y) = try await (a, b)
                #expect(x.isColdStart && y.isColdStart)
                #expect(x.workerPID != nil && x.workerPID != y.workerPID)
                #expect(x.workerName != y.workerName)
                #expect(
                    await host.poolSnapshot("echo").map { [$0.idle, $0.busy, $0.starting, $0.waiting] } == [2, 0, 0, 0])
            }
        }

        @Test func theMostRecentlyUsedIdleWorkerIsHandedOutFirst() async throws {
            try await withHost { host in
                // Round 1: A holds its worker longest, so A's worker is the most recently used.
                let (a, b) = try await Self.overlapping(host, first: 0.4, second: 0.05)
                #expect(a.workerPID != b.workerPID)
                #expect(await host.idleWorkers("echo").map(\.pid) == [a.workerPID, b.workerPID].compactMap { $0 })
                let next = try await host.invoke("echo", "{}")
                #expect(next.workerPID == a.workerPID)
                #expect(!next.isColdStart)

                // Round 2: the first request takes A's worker (still the most recent) and this time finishes first,
                // so B's worker becomes the most recently used and serves the next request.
                let (c, d) = try await Self.overlapping(host, first: 0.05, second: 0.4)
                #expect(c.workerPID == a.workerPID)
                #expect(d.workerPID == b.workerPID)
                #expect(!c.isColdStart && !d.isColdStart)
                let last = try await host.invoke("echo", "{}")
                #expect(last.workerPID == b.workerPID)
            }
        }

        @Test func beyondReservedConcurrencyWithoutWaitingARequestIsThrottledWith429() async throws {
            try await withHost(maxWait: .zero) { host in
                async let a = host.invoke("echo", #"{"sleep":0.5}"#)
                async let b = host.invoke("echo", #"{"sleep":0.5}"#)
                #expect(await host.waitForPool("echo") { $0.busy == 2 })
                do throws(ServiceError) {
                    let result = try await host.invoke("echo", "{}")
                    Issue.record("a third invocation ran beyond reservedConcurrency 2 on \(result.workerName ?? "?")")
                } catch {
                    #expect(error == .throttled(function: "echo", limit: 2))
                    #expect(error.type == "TooManyRequestsException")
                    #expect(error.status == 429)
                    #expect(error.reason == "ReservedFunctionConcurrentInvocationLimitExceeded")
                }
                let (x, y) = try await (a, b)
                #expect(!x.isError && !y.isError)
                // Other functions have their own limit.
                #expect(try await host.invoke("hang", "{}").isError == false)
            }
        }

        @Test func beyondReservedConcurrencyWithMaxWaitARequestWaitsForAWarmWorker() async throws {
            try await withHost(maxWait: .seconds(5)) { host in
                async let a = host.invoke("echo", #"{"sleep":0.4}"#)
                async let b = host.invoke("echo", #"{"sleep":0.4}"#)
                #expect(await host.waitForPool("echo") { $0.busy == 2 })
                async let c = host.invoke("echo", #"{"n":3}"#)
                #expect(await host.waitForPool("echo") { $0.waiting == 1 })
                let (x, y, z) = try await (a, b, c)
                #expect(!z.isError)
                #expect(!z.isColdStart, "the waiting request takes a released warm worker")
                #expect([x.workerPID, y.workerPID].contains(z.workerPID))
                #expect(
                    await host.poolSnapshot("echo").map { [$0.idle, $0.busy, $0.starting, $0.waiting] } == [2, 0, 0, 0])
            }
        }

        @Test func aRequestWaitsNoLongerThanMaxWaitThenIsThrottled() async throws {
            try await withHost(maxWait: .milliseconds(200)) { host in
                async let a = host.invoke("echo", #"{"sleep":1.2}"#)
                async let b = host.invoke("echo", #"{"sleep":1.2}"#)
                #expect(await host.waitForPool("echo") { $0.busy == 2 })
                let (outcome, waited) = await measure { () async -> ServiceError? in
                    do throws(ServiceError) { _ = try await host.invoke("echo", "{}"); return nil } catch {
                        return error
                    }
                }
                #expect(outcome == .throttled(function: "echo", limit: 2))
                #expect(waited >= .milliseconds(190) && waited < .milliseconds(900), "waited \(waited)")
                #expect(await host.poolSnapshot("echo")?.waiting == 0)
                _ = try await (a, b)
            }
        }
    }

    @Suite struct KeepAlive {
        @Test func anIdleWorkerIsStoppedAfterItsKeepAliveAndTheNextCallIsCold() async throws {
            try await withHost(keepAlive: 0.2) { host in
                let first = try await host.invoke("echo", "{}")
                let pid = try #require(first.workerPID)
                #expect(Processes.isRunning(pid))
                // The reaper runs every second: the worker is gone within about 1.2 s.
                let (gone, after) = await measure { await Processes.allGone([pid], within: .seconds(3)) }
                #expect(gone, "the idle worker \(pid) outlived its keep-alive")
                #expect(after < .milliseconds(1500), "reaped after \(after)")
                #expect(await host.poolSnapshot("echo")?.idle == 0)
                let second = try await host.invoke("echo", "{}")
                #expect(second.isColdStart)
                #expect(second.workerPID != pid)
            }
        }

        @Test func withAKeepAliveOfZeroEveryRequestStartsAColdWorkerEvenBackToBack() async throws {
            try await withHost(keepAlive: 0) { host in
                var pids: [Int32] = []
                for _ in 0..<5 {
                    let result = try await host.invoke("echo", "{}")
                    #expect(result.isColdStart, "a request found a warm worker at keep-alive 0")
                    pids.append(try #require(result.workerPID))
                }
                #expect(Set(pids).count == 5)
                // The used workers never serve again; the reaper only frees their processes.
                #expect(await Processes.allGone(pids, within: .seconds(3)))
            }
        }

        @Test func aWorkerInUseIsNotReapedAndAWarmOneWithinItsKeepAliveIsKept() async throws {
            try await withHost(keepAlive: 30) { host in
                let first = try await host.invoke("echo", "{}")
                #expect(await host.reapIdleWorkers() == 0)
                let second = try await host.invoke("echo", "{}")
                #expect(second.workerPID == first.workerPID)
            }
            try await withHost(keepAlive: 0) { host in
                async let busy = host.invoke("echo", #"{"sleep":0.3}"#)
                #expect(await host.waitForPool("echo") { $0.busy == 1 })
                #expect(await host.reapIdleWorkers() == 0)
                let result = try await busy
                #expect(!result.isError)
                // Now idle past its keep-alive: reaped (by this call or by the reaper, whichever comes first).
                _ = await host.reapIdleWorkers()
                #expect(await Processes.allGone([try #require(result.workerPID)], within: .seconds(2)))
                #expect(await host.poolSnapshot("echo")?.idle == 0)
            }
        }
    }
}
