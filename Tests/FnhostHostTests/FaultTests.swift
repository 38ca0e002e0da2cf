import FnhostHost
import FnhostWire
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension Integration {
    @Suite struct Crashes {
        struct Crash: Sendable, CustomTestStringConvertible {
            var mode: String
            /// How Lambda words the end of the runtime in `Runtime exited with error: ...`.
            var detail: String
            var testDescription: String { mode }
        }

        @Test(arguments: [
            Crash(mode: "kill", detail: "signal: killed"),
            Crash(mode: "exit", detail: "exit status 3"),
            Crash(mode: "segv", detail: "signal: segmentation fault"),
        ])
        func aWorkerThatDiesMidInvocationGivesExitErrorWithinASecondAndIsReplaced(_ crash: Crash) async throws {
            let sink = CollectingSink()
            try await withHost(sink: sink) { host in
                let warm = try await host.invoke("crash-mid-invocation", "{}")
                let pid = try #require(warm.workerPID)
                let bystander = try await host.invoke("echo", "{}")

                // Another function's invocation runs across the crash.
                async let other = host.invoke("echo", #"{"sleep":0.5}"#)
                #expect(await host.waitForPool("echo") { $0.busy == 1 })
                let (crashed, took) = try await measure {
                    try await host.invoke("crash-mid-invocation", #"{"crash":"\#(crash.mode)"}"#)
                }

                #expect(took < .seconds(1), "the caller waited \(took) for a dead worker")
                let error = try crashed.functionError()
                #expect(error.errorType == "Runtime.ExitError")
                #expect(
                    error.errorMessage
                        == "RequestId: \(crashed.requestID) Error: Runtime exited with error: \(crash.detail)")
                #expect(crashed.status == "error")
                #expect(crashed.workerPID == pid)
                #expect(!Processes.isRunning(pid))
                let report = try #require(sink.report(for: crashed.requestID))
                #expect(report.hasSuffix("\tStatus: error"))
                #expect(
                    sink.platformLines(for: crashed.requestID).contains {
                        $0.hasSuffix(" Runtime.ExitError: \(error.errorMessage)")
                    })

                // The next call starts a fresh worker.
                let next = try await host.invoke("crash-mid-invocation", "{}")
                #expect(!next.isError)
                #expect(next.isColdStart)
                #expect(next.workerPID != pid)
                #expect(try next.answer()["pid"] as? Int == next.workerPID.map(Int.init))

                // The other function's invocation and its warm worker were not disturbed.
                let otherResult = try await other
                #expect(!otherResult.isError)
                let after = try await host.invoke("echo", "{}")
                #expect(Set([bystander.workerPID, otherResult.workerPID]).contains(after.workerPID))
                #expect(!after.isColdStart)
            }
        }

        /// A worker's death is news the moment the process ends, even if something it started still holds its
        /// output open; and what it started goes with it, as when Lambda tears down a crashed environment.
        @Test func aWorkerThatDiesLeavingAChildBehindGivesExitErrorAndTheChildIsKilled() async throws {
            try await withTemporaryDirectory { state in
                var child: Int32?
                try await withHost(workerEnvironment: ["FIXTURE_STATE_DIR": state]) { host in
                    let (crashed, took) = try await measure {
                        try await host.invoke("crash-mid-invocation", #"{"crash":"kill-with-child"}"#)
                    }
                    let error = try crashed.functionError()
                    #expect(error.errorType == "Runtime.ExitError", "got \(error.errorType): \(error.errorMessage)")
                    #expect(took < .seconds(1), "the caller waited \(took) for a dead worker")
                    child = Fixtures.recordedPIDs(in: state)["crash-mid-invocation-1-child"]
                    let pid = try #require(child)
                    #expect(
                        await Processes.allGone([pid], within: .seconds(1)),
                        "the dead worker's child \(pid) is still running")
                }
                let pid = try #require(child)
                #expect(
                    await Processes.allGone([pid], within: .seconds(1)),
                    "the dead worker's child \(pid) outlived the host")
                if Processes.isRunning(pid) { kill(pid, SIGKILL) }  // leave nothing behind, whatever the outcome
            }
        }

        @Test func anInvocationWaitingBehindACrashingOneGetsAFreshWorker() async throws {
            try await withHost(maxWait: .seconds(5)) { host in
                // crash-mid-invocation has reservedConcurrency 1: the second request waits for the first's worker.
                async let crashing = host.invoke("crash-mid-invocation", #"{"sleep":0.3,"crash":"kill"}"#)
                #expect(await host.waitForPool("crash-mid-invocation") { $0.busy == 1 })
                async let behind = host.invoke("crash-mid-invocation", "{}")
                #expect(await host.waitForPool("crash-mid-invocation") { $0.waiting == 1 })
                let (crashed, waited) = try await (crashing, behind)
                #expect(try crashed.functionError().errorType == "Runtime.ExitError")
                #expect(!waited.isError)
                #expect(waited.isColdStart)
                #expect(waited.workerPID != crashed.workerPID)
            }
        }

        @Test func aWarmWorkerThatDiedWhileIdleIsReplacedBeforeTheNextEvent() async throws {
            try await withHost { host in
                let first = try await host.invoke("echo", "{}")
                let pid = try #require(first.workerPID)
                #expect(kill(pid, SIGKILL) == 0)
                #expect(await Processes.allGone([pid], within: .seconds(1)))
                let second = try await host.invoke("echo", "{}")
                #expect(!second.isError, "an event was handed to a dead worker")
                #expect(second.isColdStart)
                #expect(second.workerPID != pid)
            }
        }
    }

    @Suite struct Timeouts {
        @Test func aHangingInvocationTimesOutWithLambdasMessageAndItsWorkerIsKilled() async throws {
            try await withTemporaryDirectory { state in
                let sink = CollectingSink()
                try await withHost(workerEnvironment: ["FIXTURE_STATE_DIR": state], sink: sink) { host in
                    let (result, took) = try await measure { try await host.invoke("hang", #"{"hang":true}"#) }
                    let error = try result.functionError()
                    #expect(error.errorMessage == "Task timed out after 1.00 seconds")
                    #expect(error.errorType == "Sandbox.Timedout")
                    #expect(result.status == "timeout")
                    #expect(result.durationMs == 1000)
                    #expect(took >= .seconds(1) && took < .seconds(2), "took \(took)")
                    #expect(
                        try #require(sink.report(for: result.requestID)).contains(
                            "\tDuration: 1000.00 ms\tBilled Duration: 1000 ms\t"))
                    #expect(try #require(sink.report(for: result.requestID)).hasSuffix("\tStatus: timeout"))
                    #expect(
                        sink.platformLines(for: result.requestID).contains {
                            $0.hasSuffix(" \(result.requestID) Task timed out after 1.00 seconds")
                        })

                    // The worker, and what it started, are dead by the time the caller has its answer.
                    let pids = Fixtures.recordedPIDs(in: state)
                    let worker = try #require(pids["hang-1"])
                    #expect(worker == result.workerPID)
                    let child = try #require(pids["hang-1-child"])
                    #expect(!Processes.isRunning(worker), "the timed-out worker is still running")
                    #expect(
                        await Processes.allGone([child], within: .milliseconds(500)),
                        "the timed-out worker's child is still running")

                    let next = try await host.invoke("hang", "{}")
                    #expect(!next.isError)
                    #expect(next.isColdStart)
                    #expect(next.workerPID != worker)
                }
            }
        }
    }

    @Suite struct InitFailures {
        @Test(arguments: ["linger", "exit"])
        func anInitErrorIsTheInvocationsFunctionErrorAndNothingIsLeftRunning(then: String) async throws {
            try await withTemporaryDirectory { state in
                let sink = CollectingSink()
                try await withHost(
                    workerEnvironment: ["FIXTURE_STATE_DIR": state, "INIT_ERROR_THEN": then], sink: sink
                ) { host in
                    let (result, took) = try await measure { try await host.invoke("init-error", "{}") }
                    let error = try result.functionError()
                    #expect(error.errorMessage == "cannot load the configuration")
                    #expect(error.errorType == "Fixture.InitFailed", "Lambda answers with the error the runtime posted")
                    #expect(result.status == "error")
                    #expect(took < .seconds(2))
                    #expect(
                        sink.all.contains {
                            $0.fromPlatform && $0.function == "init-error"
                                && $0.text.hasPrefix("INIT_REPORT Init Duration: ")
                                && $0.text.contains("\tPhase: init\tStatus: error")
                        })

                    let worker = try #require(Fixtures.recordedPIDs(in: state)["init-error-1"])
                    #expect(
                        await Processes.allGone([worker], within: .milliseconds(500)),
                        "the failed worker \(worker) is still running")
                    #expect(
                        await host.poolSnapshot("init-error").map { [$0.idle, $0.busy, $0.starting, $0.waiting] } == [
                            0, 0, 0, 0,
                        ])

                    // The next invocation tries a new worker, which fails the same way.
                    let again = try await host.invoke("init-error", "{}")
                    #expect(try again.functionError().errorMessage == "cannot load the configuration")
                    let second = try #require(Fixtures.recordedPIDs(in: state)["init-error-2"])
                    #expect(second != worker)
                    #expect(await Processes.allGone([second], within: .milliseconds(500)))
                }
            }
        }
    }

    @Suite struct Garbage {
        @Test func anErrorBodyThatIsNotJSONStillBecomesAFunctionErrorAndTheWorkerStays() async throws {
            try await withHost { host in
                let result = try await host.invoke("garbage", #"{"send":"error-not-json"}"#)
                let error = try result.functionError()
                #expect(error.errorMessage == "this is not json")
                #expect(!error.errorType.isEmpty)
                let next = try await host.invoke("garbage", "{}")
                #expect(!next.isError)
                #expect(next.workerPID == result.workerPID)
            }
        }

        @Test func routesTheRuntimeAPIDoesNotHaveAreRefusedAndTheInvocationStillCompletes() async throws {
            try await withHost { host in
                let result = try await host.invoke("garbage", #"{"send":"unknown-route"}"#)
                let answer = try result.answer()
                #expect(answer["bogusPostStatus"] as? Int == 404)
                #expect(answer["bogusGetStatus"] as? Int == 404)
                // init/error once init is over is refused, and does not end the invocation.
                #expect(answer["lateInitErrorStatus"] as? Int == 403)
                let next = try await host.invoke("garbage", "{}")
                #expect(next.workerPID == result.workerPID)
            }
        }

        @Test func askingForTheNextEventWithoutAnsweringIsAClearErrorAndTheWorkerIsDiscarded() async throws {
            try await withHost { host in
                let result = try await host.invoke("garbage", #"{"send":"double-next"}"#)
                let error = try result.functionError()
                #expect(error.errorType == "Runtime.InvalidResponse")
                #expect(error.errorMessage.contains(result.requestID))
                let pid = try #require(result.workerPID)
                #expect(await Processes.allGone([pid], within: .milliseconds(500)))
                let next = try await host.invoke("garbage", "{}")
                #expect(!next.isError)
                #expect(next.isColdStart)
                #expect(next.workerPID != pid)
                // Nothing else was disturbed.
                #expect(!(try await host.invoke("echo", "{}")).isError)
            }
        }

        @Test func aResponseThatIsNotJSONIsPassedOnAsTheRuntimeSentIt() async throws {
            try await withHost { host in
                let result = try await host.invoke("garbage", #"{"send":"response-not-json"}"#)
                #expect(result.payload == Array("not json\nsecond line".utf8))
                let next = try await host.invoke("garbage", "{}")
                #expect(next.workerPID == result.workerPID)
            }
        }
    }
}

/// Init is capped (Lambda: 10 s, `WorkerLimits.initTimeoutSeconds`); the cap is a host setting, shortened here.
@Suite(.timeLimit(.minutes(1))) struct InitTimeout {
    @Test func aWorkerThatNeverAsksForAnEventFailsInitAfterTheInitTimeoutAndIsKilled() async throws {
        #expect(HostConfiguration(functionsDirectory: "x").initTimeout == .seconds(10), "Lambda's cap is the default")
        try await withTemporaryDirectory { state in
            try await withHost(workerEnvironment: ["FIXTURE_STATE_DIR": state], initTimeout: .seconds(1)) { host in
                let (result, took) = try await measure { try await host.invoke("never-asks", "{}") }
                let error = try result.functionError()
                #expect(error.errorType == "Runtime.InitTimeout")
                #expect(error.errorMessage == "Init timed out after 1.00 seconds")
                #expect(took >= .seconds(1) && took < .seconds(3))
                let worker = try #require(Fixtures.recordedPIDs(in: state)["never-asks-1"])
                #expect(
                    await Processes.allGone([worker], within: .milliseconds(500)),
                    "the worker stuck in init is still running")
                #expect(await host.poolSnapshot("never-asks").map { $0.idle + $0.busy + $0.starting } == 0)
            }
        }
    }
}
