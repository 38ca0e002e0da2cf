import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension ServeSuite {
    /// STANDARD executions outlive `fnhost serve`: killed (SIGKILL) or stopped (SIGTERM) in the middle, a real server
    /// restarted on the same state folder resumes them from their last checkpoint, driven by boto3 throughout.
    @Suite("Step Functions restarts", .serialized)
    struct StepFunctionsRestart {
        /// A Wait of 100 s (5 s real at time scale 0.05) between two Pass states.
        static let waiter = #"""
            {"StartAt": "Before", "States": {
              "Before": {"Type": "Pass", "Next": "W"},
              "W": {"Type": "Wait", "Seconds": 100, "Next": "After"},
              "After": {"Type": "Pass", "Result": "waited", "ResultPath": "$.done", "End": true}}}
            """#

        /// A Task on the `slow` fixture that sleeps 8 s on its first attempt and not at all on a retry; its Retry
        /// takes the interruption.
        static let sleeper = #"""
            {"StartAt": "Sleep", "States": {
              "Sleep": {"Type": "Task", "Resource": "slow",
                        "Parameters": {"sleep.$": "States.ArrayGetItem($.sleeps, $$.State.RetryCount)"},
                        "Retry": [{"ErrorEquals": ["Fnhost.TaskInterrupted"], "IntervalSeconds": 1, "MaxAttempts": 1}],
                        "End": true}}}
            """#

        static func install(into folder: String) throws -> (functions: String, state: String) {
            let functions = try Fixtures.install(["slow"], into: folder)
            let machines = folder + "/statemachines"
            try FileManager.default.createDirectory(atPath: machines, withIntermediateDirectories: true)
            try Self.waiter.write(toFile: machines + "/waiter.asl.json", atomically: true, encoding: .utf8)
            try Self.sleeper.write(toFile: machines + "/sleeper.asl.json", atomically: true, encoding: .utf8)
            let state = folder + "/state"
            try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
            return (functions, state)
        }

        /// A boto3 `stepfunctions` client and helpers, then `body`, which prints one JSON object.
        static func sfn(port: Int, _ body: String) async throws -> [String: Any] {
            try await AWSClients.boto3(
                "stepfunctions", port: port,
                """
                import time
                ARN = "arn:aws:states:us-east-1:000000000000:"
                def history(name, machine):
                    return client.get_execution_history(executionArn=ARN + "execution:%s:%s" % (machine, name))["events"]
                def wait_for(name, machine, event_type, limit=60):
                    deadline = time.time() + limit
                    while time.time() < deadline:
                        if any(e["type"] == event_type for e in history(name, machine)):
                            return True
                        time.sleep(0.1)
                    return False
                def finish(name, machine, limit=60):
                    arn = ARN + "execution:%s:%s" % (machine, name)
                    deadline = time.time() + limit
                    while time.time() < deadline:
                        d = client.describe_execution(executionArn=arn)
                        if d["status"] != "RUNNING":
                            break
                        time.sleep(0.1)
                    events = history(name, machine)
                    return {"status": d["status"], "output": d.get("output"),
                            "types": [e["type"] for e in events],
                            "ids": [e["id"] for e in events], "previous": [e["previousEventId"] for e in events],
                            "errors": [e.get("lambdaFunctionFailedEventDetails", {}).get("error") for e in events]}
                def start(name, machine, data):
                    client.start_execution(stateMachineArn=ARN + "stateMachine:" + machine, name=name,
                                           input=json.dumps(data))

                """ + body)
        }

        /// Ids 1…n in order, each event following the one before it.
        static func expectContinuous(_ run: [String: Any], sourceLocation: SourceLocation = #_sourceLocation) {
            let ids = run["ids"] as? [Int] ?? []
            let previous = run["previous"] as? [Int] ?? []
            #expect(!ids.isEmpty && ids == Array(1...ids.count), "\(run)", sourceLocation: sourceLocation)
            #expect(previous == ids.map { $0 - 1 }, "\(run)", sourceLocation: sourceLocation)
        }

        @Test(
            "killed (SIGKILL) then stopped (SIGTERM): a Wait resumes with its history continuous, a Task in flight fails with Fnhost.TaskInterrupted and its Retry runs it"
        )
        func executionsResumeAfterRestarts() async throws {
            guard await AWSClients.boto3Importable() else {
                throw TestFailure(
                    "boto3 is not importable (`python3 -c 'import boto3'`): run scripts/setup --deps (it installs the test tools in .build/test-venv)"
                )
            }
            try await withTemporaryDirectory("sfn-restart") { folder in
                let (functions, state) = try Self.install(into: folder)
                let options = ServeOptions(functions: functions, stateDirectory: state, timeScale: "0.05")

                // 1: both started, then the server is killed with the Wait pending and the task running.
                let first = try await ServeProcess.start(options)
                let started = try await Self.sfn(
                    port: first.port,
                    """
                    start("w1", "waiter", {"k": 1})
                    start("t1", "sleeper", {"sleeps": [8, 0]})
                    print(json.dumps({"waiting": wait_for("w1", "waiter", "WaitStateEntered"),
                                      "running": wait_for("t1", "sleeper", "LambdaFunctionStarted")}))
                    """)
                #expect(started["waiting"] as? Bool == true && started["running"] as? Bool == true, "\(started)")
                let family = first.descendants + [first.identity]
                ProcessLedger.record(family)
                first.signal(SIGKILL)
                #expect(await first.waitForExit(within: .seconds(10)) == .signaled(SIGKILL))
                let orphans = await Processes.survivors(of: family, within: .seconds(5))
                #expect(orphans.isEmpty, "workers outlived the killed server: \(orphans)")
                for orphan in orphans { kill(orphan.pid, SIGKILL) }

                // 2: restarted on the same state folder: both finish; a third execution is left waiting at SIGTERM.
                let second = try await ServeProcess.start(options)
                let resumed = try await Self.sfn(
                    port: second.port,
                    """
                    w1 = finish("w1", "waiter")
                    t1 = finish("t1", "sleeper")
                    start("w2", "waiter", {"k": 2})
                    print(json.dumps({"w1": w1, "t1": t1,
                                      "w2waiting": wait_for("w2", "waiter", "WaitStateEntered")}))
                    """)
                let w1 = try #require(resumed["w1"] as? [String: Any], "\(resumed)")
                #expect(w1["status"] as? String == "SUCCEEDED", "\(w1)")
                #expect(w1["output"] as? String == #"{"done":"waited","k":1}"#, "\(w1)")
                #expect(
                    w1["types"] as? [String] == [
                        "ExecutionStarted", "PassStateEntered", "PassStateExited", "WaitStateEntered",
                        "WaitStateExited", "PassStateEntered", "PassStateExited", "ExecutionSucceeded",
                    ], "\(w1)")
                Self.expectContinuous(w1)
                let t1 = try #require(resumed["t1"] as? [String: Any], "\(resumed)")
                #expect(t1["status"] as? String == "SUCCEEDED", "\(t1)")
                #expect(
                    t1["types"] as? [String] == [
                        "ExecutionStarted", "TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted",
                        "LambdaFunctionFailed", "LambdaFunctionScheduled", "LambdaFunctionStarted",
                        "LambdaFunctionSucceeded", "TaskStateExited", "ExecutionSucceeded",
                    ], "\(t1)")
                #expect((t1["errors"] as? [Any])?.compactMap { $0 as? String } == ["Fnhost.TaskInterrupted"], "\(t1)")
                Self.expectContinuous(t1)
                #expect(resumed["w2waiting"] as? Bool == true, "\(resumed)")
                let (ended, forced) = await second.stop()
                #expect(
                    ended == .exited(0) && !forced, "SIGTERM: \(ended); stderr: \(second.capture.error.suffix(800))")

                // The command line sees what the server left: the machines, and w2 still RUNNING.
                let fnhost = try Paths.fnhost
                let list = try await Command.run(
                    fnhost, ["states", "list", "--functions", functions, "--state-dir", state, "--json"])
                #expect(list.exitCode == 0, "\(list)")
                #expect(list.standardOutput.contains(#""name":"sleeper""#), "\(list)")
                #expect(list.standardOutput.contains(#""file":""#), "\(list)")
                let running = try await Command.run(
                    fnhost, ["states", "executions", "waiter", "--state-dir", state, "--status", "RUNNING", "--json"])
                #expect(running.exitCode == 0, "\(running)")
                let lines = running.standardOutput.split(separator: "\n")
                #expect(lines.count == 1 && lines.first?.contains(#""name":"w2""#) == true, "\(running)")
                let all = try await Command.run(fnhost, ["states", "executions", "waiter", "--state-dir", state])
                #expect(all.standardOutput.contains("w1  SUCCEEDED"), "\(all)")

                // 3: SIGTERM left w2 RUNNING (not aborted); the next start completes it.
                try await withServer(options) { third in
                    let last = try await Self.sfn(port: third.port, #"print(json.dumps(finish("w2", "waiter")))"#)
                    #expect(last["status"] as? String == "SUCCEEDED", "\(last)")
                    #expect((last["types"] as? [String])?.contains("ExecutionAborted") == false, "\(last)")
                    #expect((last["types"] as? [String])?.last == "ExecutionSucceeded", "\(last)")
                    Self.expectContinuous(last)
                }
                await second.stopAndVerify(sourceLocation: #_sourceLocation)
                await first.stopAndVerify(sourceLocation: #_sourceLocation)
            }
        }
    }
}
