import Foundation
import TestSupport
import Testing

extension ServeSuite {
    /// The Step Functions API on `fnhost serve`, driven by boto3's `stepfunctions` client and the AWS CLI with
    /// `endpoint_url` / `--endpoint-url` and nothing else changed; tasks run the shipped hello-shell function on real
    /// workers.
    @Suite("Step Functions API", .serialized)
    struct StepFunctionsAPI {
        /// A folder with `functions/hello-shell` and `statemachines/` (a STANDARD and an EXPRESS machine).
        static func install(into folder: String) throws -> String {
            let fm = FileManager.default
            let functions = folder + "/functions"
            try fm.createDirectory(atPath: functions, withIntermediateDirectories: true)
            try fm.copyItem(atPath: Paths.functions + "/hello-shell", toPath: functions + "/hello-shell")
            let machines = folder + "/statemachines"
            try fm.createDirectory(atPath: machines, withIntermediateDirectories: true)
            try Self.greet.write(toFile: machines + "/greet.asl.json", atomically: true, encoding: .utf8)
            try Self.greet.write(toFile: machines + "/greet-express.asl.json", atomically: true, encoding: .utf8)
            try #"{"type": "EXPRESS"}"#.write(
                toFile: machines + "/greet-express.json", atomically: true, encoding: .utf8)
            return functions
        }

        static let greet = #"""
            {"StartAt": "Hello", "States": {
              "Hello": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:000000000000:function:hello-shell",
                        "ResultSelector": {"message.$": "$.message"}, "ResultPath": "$.greeting", "Next": "Done"},
              "Done": {"Type": "Pass", "End": true}}}
            """#

        @Test(
            "boto3 creates, starts, describes, pages the history, lists, stops and runs an EXPRESS machine synchronously"
        )
        func boto3DrivesStateMachines() async throws {
            guard await AWSClients.boto3Importable() else {
                throw TestFailure(
                    "boto3 is not importable (`python3 -c 'import boto3'`): run scripts/setup --deps (it installs the test tools in .build/test-venv)"
                )
            }
            try await withTemporaryDirectory("sfn") { folder in
                let functions = try Self.install(into: folder)
                try await withServer(ServeOptions(functions: functions, timeScale: "0.01")) { server in
                    let result = try await Command.run(
                        "python3", ["-c", Self.boto3Script, String(server.port)], environment: AWSClients.environment,
                        timeLimit: 120)
                    #expect(result.exitCode == 0, "\(result)")
                    let out = try #require(
                        try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any],
                        "\(result)")
                    #expect(
                        out["fileMachineArn"] as? String == "arn:aws:states:us-east-1:000000000000:stateMachine:greet")
                    #expect(
                        out["createdArn"] as? String == "arn:aws:states:us-east-1:000000000000:stateMachine:api-made")
                    #expect(out["status"] as? String == "SUCCEEDED", "\(out)")
                    let output = try #require(out["output"] as? [String: Any], "\(out)")
                    #expect(output["name"] as? String == "fnhost")
                    #expect((output["greeting"] as? [String: Any])?["message"] is String, "\(output)")
                    let types = try #require(out["historyTypes"] as? [String])
                    #expect(
                        types == [
                            "ExecutionStarted", "TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted",
                            "LambdaFunctionSucceeded", "TaskStateExited", "PassStateEntered", "PassStateExited",
                            "ExecutionSucceeded",
                        ], "\(types)")
                    #expect(out["historyPages"] as? Int == 3)
                    #expect(out["reversedFirst"] as? String == "ExecutionSucceeded")
                    #expect(out["reversedIds"] as? [Int] == Array((1...9).reversed()))
                    #expect(out["listed"] as? Int == 1)
                    #expect(out["listedSucceeded"] as? Int == 1)
                    #expect(out["listedRunning"] as? Int == 0)
                    #expect(out["stoppedStatus"] as? String == "ABORTED", "\(out)")
                    #expect(out["stoppedReason"] as? [String] == ["Enough", "a test"], "\(out)")
                    #expect(
                        out["abortedEvent"] as? [String: String] == ["error": "Enough", "cause": "a test"], "\(out)")
                    #expect(out["syncStatus"] as? String == "SUCCEEDED", "\(out)")
                    #expect(
                        (out["syncArn"] as? String)?.hasPrefix(
                            "arn:aws:states:us-east-1:000000000000:express:greet-express:") == true)
                    #expect(out["syncOnStandard"] as? String == "StateMachineTypeNotSupported")
                    #expect(out["unknownMachine"] as? String == "StateMachineDoesNotExist")
                    #expect(out["unknownExecution"] as? String == "ExecutionDoesNotExist")
                    #expect(out["badArn"] as? String == "InvalidArn")
                    let bad = try #require(out["badDefinition"] as? [String], "\(out)")
                    #expect(bad.first == "InvalidDefinition")
                    #expect(bad.last?.contains("/States/A/Next") == true, "\(bad)")
                    #expect(out["badInput"] as? String == "InvalidExecutionInput")
                    #expect(out["duplicate"] as? String == "ExecutionAlreadyExists")
                    #expect(out["machines"] as? [String] == ["api-made", "greet", "greet-express", "waiter"])
                    #expect(out["deleted"] as? String == "StateMachineDoesNotExist")
                    let metrics = try await server.client.get("/metrics").text
                    #expect(
                        metrics.contains(
                            #"fnhost_states_executions_total{state_machine="greet",status="SUCCEEDED"} 1"#),
                        "\(metrics)")
                    #expect(
                        metrics.contains(#"fnhost_states_executions_total{state_machine="waiter",status="ABORTED"} 1"#))
                    #expect(metrics.contains(#"fnhost_states_transitions_total{state_machine="greet"} 2"#))
                    #expect(
                        metrics.contains(
                            #"fnhost_states_state_duration_ms_count{state_machine="greet",state="Hello",kind="measured"} 1"#
                        ))
                    #expect(metrics.contains("fnhost_states_estimated_cost_usd"))
                }
            }
        }

        static let boto3Script = #"""
            import json, sys, time
            import boto3, botocore.config
            def client(inject=True):
                return boto3.client(
                    "stepfunctions", endpoint_url="http://127.0.0.1:%s" % sys.argv[1], region_name="us-east-1",
                    aws_access_key_id="AKIAFNHOSTTESTS00000", aws_secret_access_key="fnhost-test-secret",
                    config=botocore.config.Config(retries={"max_attempts": 0}, inject_host_prefix=inject))
            sfn = client()
            def code(call):
                try:
                    call()
                    return "no error"
                except sfn.exceptions.ClientError as e:
                    return e.response["Error"]["Code"]
            out = {}
            arn = "arn:aws:states:us-east-1:000000000000:stateMachine:greet"
            out["fileMachineArn"] = sfn.describe_state_machine(stateMachineArn=arn)["stateMachineArn"]
            definition = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
            role = "arn:aws:iam::000000000000:role/fnhost"
            out["createdArn"] = sfn.create_state_machine(name="api-made", definition=definition, roleArn=role)["stateMachineArn"]
            started = sfn.start_execution(stateMachineArn=arn, name="first", input=json.dumps({"name": "fnhost"}))
            execution = started["executionArn"]
            out["duplicate"] = code(lambda: sfn.start_execution(stateMachineArn=arn, name="first", input="{\"other\": 1}"))
            for _ in range(600):
                d = sfn.describe_execution(executionArn=execution)
                if d["status"] != "RUNNING":
                    break
                time.sleep(0.05)
            out["status"] = d["status"]
            out["output"] = json.loads(d.get("output", "null"))
            pages, events, token = 0, [], None
            while True:
                kwargs = {"executionArn": execution, "maxResults": 4}
                if token:
                    kwargs["nextToken"] = token
                page = sfn.get_execution_history(**kwargs)
                pages += 1
                events += page["events"]
                token = page.get("nextToken")
                if not token:
                    break
            out["historyPages"] = pages
            out["historyTypes"] = [e["type"] for e in events]
            reversed_events = sfn.get_execution_history(executionArn=execution, reverseOrder=True)["events"]
            out["reversedFirst"] = reversed_events[0]["type"]
            out["reversedIds"] = [e["id"] for e in reversed_events]
            out["listed"] = len(sfn.list_executions(stateMachineArn=arn)["executions"])
            out["listedSucceeded"] = len(sfn.list_executions(stateMachineArn=arn, statusFilter="SUCCEEDED")["executions"])
            out["listedRunning"] = len(sfn.list_executions(stateMachineArn=arn, statusFilter="RUNNING")["executions"])
            waiter = sfn.create_state_machine(
                name="waiter", roleArn=role,
                definition=json.dumps({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 100000, "End": True}}}))
            long_run = sfn.start_execution(stateMachineArn=waiter["stateMachineArn"])["executionArn"]
            sfn.stop_execution(executionArn=long_run, error="Enough", cause="a test")
            stopped = sfn.describe_execution(executionArn=long_run)
            out["stoppedStatus"] = stopped["status"]
            out["stoppedReason"] = [stopped.get("error"), stopped.get("cause")]
            out["abortedEvent"] = sfn.get_execution_history(
                executionArn=long_run, reverseOrder=True)["events"][0].get("executionAbortedEventDetails")
            express = "arn:aws:states:us-east-1:000000000000:stateMachine:greet-express"
            sync = client(inject=False).start_sync_execution(stateMachineArn=express, input=json.dumps({"name": "x"}))
            out["syncStatus"] = sync["status"]
            out["syncArn"] = sync["executionArn"]
            out["syncOnStandard"] = code(lambda: client(inject=False).start_sync_execution(stateMachineArn=arn))
            out["unknownMachine"] = code(lambda: sfn.describe_state_machine(
                stateMachineArn="arn:aws:states:us-east-1:000000000000:stateMachine:nope"))
            out["unknownExecution"] = code(lambda: sfn.describe_execution(
                executionArn="arn:aws:states:us-east-1:000000000000:execution:greet:nope"))
            out["badArn"] = code(lambda: sfn.describe_execution(executionArn="not-an-arn"))
            try:
                sfn.create_state_machine(name="bad", roleArn=role, definition=json.dumps(
                    {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}}))
                out["badDefinition"] = ["no error"]
            except sfn.exceptions.InvalidDefinition as e:
                out["badDefinition"] = [e.response["Error"]["Code"], e.response["Error"]["Message"]]
            out["badInput"] = code(lambda: sfn.start_execution(stateMachineArn=arn, input="{not json"))
            out["machines"] = [m["name"] for m in sfn.list_state_machines()["stateMachines"]]
            sfn.delete_state_machine(stateMachineArn=out["createdArn"])
            out["deleted"] = code(lambda: sfn.describe_state_machine(stateMachineArn=out["createdArn"]))
            print(json.dumps(out))
            """#

        @Test("aws stepfunctions list-state-machines and start-sync-execution work with --endpoint-url")
        func awsCLIListsAndRuns() async throws {
            try AWSClients.requireAWSCLI()
            try await withTemporaryDirectory("sfn") { folder in
                let functions = try Self.install(into: folder)
                try await withServer(ServeOptions(functions: functions, timeScale: "0.01")) { server in
                    let endpoint = ["--endpoint-url", "http://127.0.0.1:\(server.port)", "--region", "us-east-1"]
                    let list = try await Command.run(
                        "aws", ["stepfunctions", "list-state-machines"] + endpoint, environment: AWSClients.environment)
                    #expect(list.exitCode == 0, "\(list)")
                    let listed =
                        try JSONSerialization.jsonObject(with: Data(list.standardOutput.utf8)) as? [String: Any]
                    let names = (listed?["stateMachines"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
                    #expect(names == ["greet", "greet-express"], "\(list)")
                    // botocore puts "sync-" in front of the endpoint's host for StartSyncExecution; AWS's own switch
                    // for a custom endpoint turns that off.
                    var environment = AWSClients.environment
                    environment["AWS_DISABLE_HOST_PREFIX_INJECTION"] = "true"
                    let sync = try await Command.run(
                        "aws",
                        [
                            "stepfunctions", "start-sync-execution", "--state-machine-arn",
                            "arn:aws:states:us-east-1:000000000000:stateMachine:greet-express", "--input",
                            #"{"name": "cli"}"#,
                        ] + endpoint, environment: environment)
                    #expect(sync.exitCode == 0, "\(sync)")
                    let answer =
                        try JSONSerialization.jsonObject(with: Data(sync.standardOutput.utf8)) as? [String: Any]
                    #expect(answer?["status"] as? String == "SUCCEEDED", "\(sync)")
                    let missing = try await Command.run(
                        "aws",
                        [
                            "stepfunctions", "describe-state-machine", "--state-machine-arn",
                            "arn:aws:states:us-east-1:000000000000:stateMachine:nope",
                        ] + endpoint, environment: AWSClients.environment)
                    #expect(missing.exitCode != 0)
                    #expect(missing.standardError.contains("StateMachineDoesNotExist"), "\(missing)")
                }
            }
        }

        @Test(
            "fnhost serve refuses to start on a bad definition file, naming the file, the state, the field and the reason"
        )
        func serveRefusesABadDefinition() async throws {
            try await withTemporaryDirectory("sfn") { folder in
                let functions = try Self.install(into: folder)
                try #"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Missing"}}}"#.write(
                    toFile: folder + "/statemachines/broken.asl.json", atomically: true, encoding: .utf8)
                let result = try await Command.fnhost(
                    ["serve", "--port", "0", "--functions", functions, "--state-dir", folder + "/state"], timeLimit: 60)
                #expect(result.exitCode != 0 && result.exitCode != nil, "\(result)")
                let text = result.standardError + result.standardOutput
                #expect(text.contains("statemachines/broken.asl.json"), "\(result)")
                #expect(text.contains("InvalidDefinition"), "\(result)")
                #expect(text.contains("/States/A/Next"), "\(result)")
            }
        }
    }
}
