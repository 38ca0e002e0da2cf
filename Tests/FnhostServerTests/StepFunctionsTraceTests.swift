import Foundation
import TestSupport
import Testing

extension ServeSuite {
    /// One trace per state machine execution on a real `fnhost serve`: started with boto3, its tasks on real workers,
    /// read back from `/fnhost/traces`; and `fnhost states run --trace`.
    @Suite("Step Functions traces", .serialized)
    struct StepFunctionsTrace {
        static let checks = #"""
            {"StartAt": "Checks", "States": {
              "Checks": {"Type": "Parallel", "Next": "Done", "Branches": [
                {"StartAt": "Echo", "States": {"Echo": {"Type": "Task", "Resource": "echo", "End": true}}},
                {"StartAt": "Hello", "States": {"Hello": {"Type": "Task",
                  "Resource": "arn:aws:lambda:us-east-1:000000000000:function:hello-shell", "End": true}}}]},
              "Done": {"Type": "Pass", "End": true}}}
            """#
        static let fails = #"""
            {"StartAt": "Flaky", "States": {"Flaky": {"Type": "Task", "Resource": "flaky", "End": true}}}
            """#

        /// `functions/` with echo, flaky (fails its first attempts) and hello-shell; `statemachines/` beside it.
        static func install(into folder: String) throws -> String {
            let attempts = folder + "/attempts"
            let fm = FileManager.default
            try fm.createDirectory(atPath: attempts, withIntermediateDirectories: true)
            let functions = try Fixtures.install(
                ["echo", "flaky"], into: folder, environment: ["flaky": ["FLAKY_ATTEMPTS_DIR": attempts]])
            try fm.copyItem(atPath: Paths.functions + "/hello-shell", toPath: functions + "/hello-shell")
            let machines = folder + "/statemachines"
            try fm.createDirectory(atPath: machines, withIntermediateDirectories: true)
            try Self.checks.write(toFile: machines + "/checks.asl.json", atomically: true, encoding: .utf8)
            try Self.fails.write(toFile: machines + "/fails.asl.json", atomically: true, encoding: .utf8)
            return functions
        }

        /// Starts an execution of each machine and waits for its end; prints their ARNs and statuses.
        static let script = """
            import json, time
            out = {}
            for machine in ["checks", "fails"]:
                arn = "arn:aws:states:us-east-1:000000000000:stateMachine:" + machine
                started = client.start_execution(stateMachineArn=arn, input='{"n": 1}')
                for _ in range(600):
                    described = client.describe_execution(executionArn=started["executionArn"])
                    if described["status"] != "RUNNING":
                        break
                    time.sleep(0.05)
                out[machine] = {"arn": started["executionArn"], "status": described["status"]}
            print(json.dumps(out))
            """

        @Test(
            "A STANDARD execution started by boto3 is one state-machine trace: its states, branches and transitions, each task's worker duration below its Task state, every parent resolving, no per-task traces; a failed task's execution is an error"
        )
        func executionIsOneTrace() async throws {
            guard await AWSClients.boto3Importable() else {
                throw TestFailure(
                    "boto3 is not importable (`python3 -c 'import boto3'`): run scripts/setup --deps (it installs the test tools in .build/test-venv)"
                )
            }
            try await withTemporaryDirectory("sfn-trace") { folder in
                let functions = try Self.install(into: folder)
                var options = ServeOptions(functions: functions, timeScale: "0.1")
                options.extraArguments = ["--profile", "lambda"]
                try await withServer(options) { server in
                    let out = try await AWSClients.boto3("stepfunctions", port: server.port, Self.script)
                    let checks = try #require(out["checks"] as? [String: String], "\(out)")
                    let fails = try #require(out["fails"] as? [String: String], "\(out)")
                    #expect(checks["status"] == "SUCCEEDED", "\(out)")
                    #expect(fails["status"] == "FAILED", "\(out)")

                    var traces: [[String: Any]] = []
                    _ = await eventually(within: .seconds(10)) {
                        let list = try? await server.client.get("/fnhost/traces?limit=100").jsonObject()
                        traces = (list?["traces"] as? [[String: Any]]) ?? []
                        return traces.filter { $0["trigger"] as? String == "state-machine" }.count >= 2
                    }
                    let ofMachines = traces.filter { $0["trigger"] as? String == "state-machine" }
                    #expect(ofMachines.count == 2, "one trace per execution, none per task: \(ofMachines.count)")
                    #expect(
                        !traces.contains { ["echo", "hello-shell", "flaky"].contains($0["root"] as? String ?? "") },
                        "no task invocation recorded a trace of its own")

                    let trace = try #require(
                        ofMachines.first {
                            ($0["spans"] as? [[String: Any]])?.first.flatMap { $0["attributes"] as? [String: String] }?[
                                "executionArn"] == checks["arn"]
                        }, "the checks execution's trace")
                    #expect(trace["root"] as? String == "checks")
                    #expect(trace["outcome"] as? String == "ok")
                    let spans = try #require(trace["spans"] as? [[String: Any]])
                    let byID = Dictionary(spans.map { ($0["spanId"] as! String, $0) }, uniquingKeysWith: { a, _ in a })
                    #expect(byID.count == spans.count, "span ids are unique")
                    let root = spans[0]
                    #expect(root["parentSpanId"] is NSNull && root["kind"] as? String == "request")
                    let rootAttributes = try #require(root["attributes"] as? [String: String])
                    #expect(rootAttributes["type"] == "STANDARD" && rootAttributes["status"] == "SUCCEEDED")
                    #expect(rootAttributes["fnhost.timeScale"] == "0.1")
                    for span in spans.dropFirst() {
                        #expect(byID[span["parentSpanId"] as? String ?? ""] != nil, "a parent in the trace: \(span)")
                        #expect(["measured", "simulated"].contains(span["timing"] as? String ?? ""))
                        let end = (span["startMs"] as! Double) + (span["durationMs"] as! Double)
                        #expect(end <= (trace["durationMs"] as! Double) + 0.01, "inside the execution: \(span)")
                    }
                    func state(_ name: String) -> [String: Any]? {
                        spans.first { $0["name"] as? String == name && $0["kind"] as? String == "transition" }
                    }
                    func parent(_ span: [String: Any]) -> [String: Any]? { byID[span["parentSpanId"] as? String ?? ""] }
                    let parallel = try #require(state("Checks"))
                    #expect(parent(parallel)?["spanId"] as? String == root["spanId"] as? String)
                    #expect((parallel["attributes"] as? [String: String])?["state.type"] == "Parallel")
                    let done = try #require(state("Done"))
                    #expect((done["attributes"] as? [String: String])?["state.type"] == "Pass")
                    #expect(
                        (done["startMs"] as! Double) >= (parallel["startMs"] as! Double)
                            + (parallel["durationMs"] as! Double) - 0.01,
                        "Done follows the Parallel")
                    for (number, taskState, function) in [(1, "Echo", "echo"), (2, "Hello", "hello-shell")] {
                        let task = try #require(state(taskState))
                        let branch = try #require(parent(task))
                        #expect(branch["name"] as? String == "branch \(number)")
                        #expect(parent(branch)?["spanId"] as? String == parallel["spanId"] as? String)
                        let attributes = task["attributes"] as? [String: String]
                        #expect(attributes?["state.type"] == "Task" && attributes?["state.attempts"] == "1")
                        #expect(
                            spans.contains {
                                $0["name"] as? String == "state transition" && $0["timing"] as? String == "simulated"
                                    && $0["parentSpanId"] as? String == task["spanId"] as? String
                            }, "the profile's transition delay before \(taskState)")
                        let invocation = try #require(
                            spans.first {
                                $0["function"] as? String == function
                                    && $0["parentSpanId"] as? String == task["spanId"] as? String
                            }, "\(function)'s invocation below \(taskState)")
                        #expect((invocation["attributes"] as? [String: String])?["requestId"] != nil)
                        let duration = try #require(
                            spans.first {
                                $0["kind"] as? String == "worker"
                                    && $0["parentSpanId"] as? String == invocation["spanId"] as? String
                            }, "\(function)'s duration span")
                        #expect(duration["name"] as? String == "duration")
                        #expect(
                            (invocation["startMs"] as! Double) >= (task["startMs"] as! Double) - 0.01
                                && (invocation["startMs"] as! Double) + (invocation["durationMs"] as! Double)
                                    <= (task["startMs"] as! Double) + (task["durationMs"] as! Double) + 0.01,
                            "the invocation lies inside its state: \(invocation) in \(task)")
                    }

                    let failed = try #require(
                        ofMachines.first {
                            ($0["spans"] as? [[String: Any]])?.first.flatMap { $0["attributes"] as? [String: String] }?[
                                "executionArn"] == fails["arn"]
                        }, "the fails execution's trace")
                    #expect(failed["outcome"] as? String == "error")
                    let failedSpans = try #require(failed["spans"] as? [[String: Any]])
                    #expect((failedSpans[0]["attributes"] as? [String: String])?["status"] == "FAILED")
                    #expect(
                        failedSpans.contains { $0["function"] as? String == "flaky" && $0["kind"] as? String == "call" }
                    )

                    // The command line draws it from the server.
                    let shown = try await Command.fnhost([
                        "traces", "show", trace["traceId"] as! String, "--endpoint",
                        "http://127.0.0.1:\(server.port)", "--width", "110",
                    ])
                    #expect(shown.exitCode == 0, "\(shown)")
                    #expect(shown.standardOutput.contains("Checks") && shown.standardOutput.contains("branch 2"))
                }
            }
        }

        @Test("fnhost states run --trace draws the execution's waterfall with its states after the output")
        func statesRunDrawsTheWaterfall() async throws {
            try await withTemporaryDirectory("sfn-run-trace") { folder in
                let functions = try Self.install(into: folder)
                let result = try await Command.fnhost(
                    [
                        "states", "run", folder + "/statemachines/checks.asl.json", "--functions", functions,
                        "--time-scale", "0.1", "--profile", "lambda", "--quiet", "--trace", "--width", "110",
                    ], timeLimit: 120)
                #expect(result.exitCode == 0, "\(result)")
                let output = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [Any]
                #expect(output?.count == 2, "the Parallel's two results: \(result.standardOutput)")
                let waterfall = result.standardError
                #expect(waterfall.contains("checks (state-machine)  ok"), "\(waterfall)")
                for name in ["Checks", "branch 1", "branch 2", "Echo", "Hello", "Done", "state transition", "duration"]
                {
                    #expect(waterfall.contains(name), "\(name) in the waterfall: \(waterfall)")
                }
            }
        }
    }
}
