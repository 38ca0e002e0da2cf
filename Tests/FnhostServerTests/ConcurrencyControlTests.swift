import Foundation
import TestSupport
import Testing

extension ServeSuite {
    /// Put/DeleteFunctionConcurrency through boto3 and the AWS CLI, under real load: the pool's limit changes while
    /// `fnhost serve` runs, and concurrent invocations beyond it get 429.
    @Suite("Concurrency control", .serialized)
    struct ConcurrencyControl {
        /// `slow` (reserved 32) on a server of its own: each test changes its limit.
        static func withSlowServer(_ body: (ServeProcess) async throws -> Void) async throws {
            try await withTemporaryDirectory("concurrency") { folder in
                let functions = try Fixtures.install(["slow"], into: folder)
                try await withServer(ServeOptions(functions: functions)) { server in try await body(server) }
            }
        }

        /// A boto3 helper for the scripts below: `burst(n, sleep)` invokes `slow` n times at once and returns the
        /// sorted statuses (200, or 429 with its error code).
        static let burst = """
            import concurrent.futures, time
            def call(seconds):
                try:
                    client.invoke(FunctionName="slow", Payload=json.dumps({"sleep": seconds}))
                    return "200"
                except client.exceptions.TooManyRequestsException as e:
                    return "429 " + e.response["Error"]["Code"]
            def burst(n, seconds):
                with concurrent.futures.ThreadPoolExecutor(n) as pool:
                    return sorted(pool.map(call, [seconds] * n))
            def error(call):
                try:
                    call()
                    return "no error"
                except client.exceptions.ClientError as e:
                    return [e.response["Error"]["Code"], e.response["Error"].get("Message", "")]

            """

        @Test func putLimitsTheRunningPoolAndDeleteGivesItBack() async throws {
            try await Self.withSlowServer { server in
                let out = try await AWSClients.boto3(
                    "lambda", port: server.port,
                    Self.burst + """
                        out = {}
                        arn = "arn:aws:lambda:us-east-1:000000000000:function:slow"
                        out["before"] = client.get_function_concurrency(FunctionName="slow").get("ReservedConcurrentExecutions")
                        out["put"] = client.put_function_concurrency(FunctionName=arn, ReservedConcurrentExecutions=1)["ReservedConcurrentExecutions"]
                        out["get"] = client.get_function_concurrency(FunctionName="slow").get("ReservedConcurrentExecutions")
                        out["getFunction"] = client.get_function(FunctionName=arn)["Concurrency"]["ReservedConcurrentExecutions"]
                        out["atOne"] = burst(4, 1)
                        client.put_function_concurrency(FunctionName="000000000000:function:slow", ReservedConcurrentExecutions=4)
                        out["atFour"] = burst(4, 1)
                        client.delete_function_concurrency(FunctionName="slow")
                        out["afterDelete"] = client.get_function_concurrency(FunctionName="slow").get("ReservedConcurrentExecutions", "none")
                        out["getFunctionAfterDelete"] = "Concurrency" in client.get_function(FunctionName="slow")
                        out["unreserved"] = burst(6, 1)
                        client.put_function_concurrency(FunctionName="slow", ReservedConcurrentExecutions=0)
                        out["atZero"] = burst(2, 0)
                        print(json.dumps(out))
                        """)
                #expect(out["before"] as? Int == 32)
                #expect(out["put"] as? Int == 1)
                #expect(out["get"] as? Int == 1)
                #expect(out["getFunction"] as? Int == 1)
                let atOne = try #require(out["atOne"] as? [String])
                #expect(atOne.filter { $0 == "200" }.count == 1, "\(atOne)")
                #expect(
                    atOne.filter { $0 == "429 TooManyRequestsException" }.count == 3,
                    "4 at once with reserved concurrency 1: \(atOne)")
                #expect(out["atFour"] as? [String] == Array(repeating: "200", count: 4))
                #expect(out["afterDelete"] as? String == "none")
                #expect(out["getFunctionAfterDelete"] as? Bool == false)
                #expect(out["unreserved"] as? [String] == Array(repeating: "200", count: 6))
                #expect(out["atZero"] as? [String] == Array(repeating: "429 TooManyRequestsException", count: 2))
                let metrics = try await server.metrics()
                #expect(metrics.value("fnhost_throttles_total", ["function": "slow"]) == 5)
            }
        }

        @Test func loweringTheLimitLetsBusyWorkersFinishAndLendsNoMore() async throws {
            try await Self.withSlowServer { server in
                let out = try await AWSClients.boto3(
                    "lambda", port: server.port,
                    Self.burst + """
                        out = {}
                        with concurrent.futures.ThreadPoolExecutor(3) as pool:
                            running = [pool.submit(call, 2) for _ in range(3)]
                            time.sleep(1)
                            client.put_function_concurrency(FunctionName="slow", ReservedConcurrentExecutions=1)
                            out["whileBusy"] = call(0)
                            out["running"] = sorted(f.result() for f in running)
                        out["after"] = burst(2, 0.5)
                        print(json.dumps(out))
                        """)
                #expect(out["running"] as? [String] == ["200", "200", "200"], "busy workers finish")
                #expect(out["whileBusy"] as? String == "429 TooManyRequestsException")
                let after = try #require(out["after"] as? [String])
                #expect(after.sorted() == ["200", "429 TooManyRequestsException"], "\(after)")
                let stopped = try await eventually(within: .seconds(5)) {
                    try await server.metrics().value("fnhost_workers", ["function": "slow"]) == 1
                }
                #expect(stopped, "the workers over the limit of 1 are stopped")
            }
        }

        @Test func awsRefusalsComeWithAWSCodesAndMessages() async throws {
            try await Self.withSlowServer { server in
                let out = try await AWSClients.boto3(
                    "lambda", port: server.port,
                    Self.burst + """
                        out = {}
                        out["overAccount"] = error(lambda: client.put_function_concurrency(FunctionName="slow", ReservedConcurrentExecutions=901))
                        out["atAccount"] = client.put_function_concurrency(FunctionName="slow", ReservedConcurrentExecutions=900)["ReservedConcurrentExecutions"]
                        out["qualified"] = error(lambda: client.put_function_concurrency(FunctionName="slow:prod", ReservedConcurrentExecutions=1))
                        out["unknown"] = error(lambda: client.put_function_concurrency(FunctionName="nope", ReservedConcurrentExecutions=1))
                        out["deleteUnknown"] = error(lambda: client.delete_function_concurrency(FunctionName="arn:aws:lambda:us-east-1:000000000000:function:nope"))
                        out["stillReserved"] = client.get_function_concurrency(FunctionName="slow")["ReservedConcurrentExecutions"]
                        print(json.dumps(out))
                        """)
                let overAccount = try #require(out["overAccount"] as? [String])
                #expect(overAccount.first == "InvalidParameterValueException")
                #expect(
                    overAccount.last
                        == "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100]."
                )
                #expect(out["atAccount"] as? Int == 900)
                #expect((out["qualified"] as? [String])?.first == "ResourceNotFoundException")
                #expect((out["unknown"] as? [String])?.first == "ResourceNotFoundException")
                #expect((out["deleteUnknown"] as? [String])?.first == "ResourceNotFoundException")
                #expect(out["stillReserved"] as? Int == 900)

                // A body that is not JSON, and one without the field: Lambda's codes, nothing changed.
                let bad = try await server.client.send(
                    "PUT", "/2017-10-31/functions/slow/concurrency", body: Array("{not json".utf8))
                #expect(bad.status == 400)
                #expect(bad.header("x-amzn-ErrorType") == "InvalidRequestContentException")
                let missing = try await server.client.send(
                    "PUT", "/2017-10-31/functions/slow/concurrency", body: Array("{}".utf8))
                #expect(missing.status == 400)
                #expect(missing.header("x-amzn-ErrorType") == "ValidationException")
            }
        }

        @Test func theAWSCLIPutsGetsAndDeletesAConcurrencyLimitByArn() async throws {
            try AWSClients.requireAWSCLI()
            try await Self.withSlowServer { server in
                let endpoint = ["--endpoint-url", "http://127.0.0.1:\(server.port)", "--region", "us-east-1"]
                let arn = "arn:aws:lambda:us-east-1:000000000000:function:slow"
                let put = try await Command.run(
                    "aws",
                    [
                        "lambda", "put-function-concurrency", "--function-name", arn,
                        "--reserved-concurrent-executions", "3",
                    ]
                        + endpoint, environment: AWSClients.environment)
                #expect(put.exitCode == 0, "\(put)")
                #expect(try jsonObject(Array(put.standardOutput.utf8))["ReservedConcurrentExecutions"] as? Int == 3)
                let get = try await Command.run(
                    "aws", ["lambda", "get-function-concurrency", "--function-name", arn] + endpoint,
                    environment: AWSClients.environment)
                #expect(try jsonObject(Array(get.standardOutput.utf8))["ReservedConcurrentExecutions"] as? Int == 3)
                let delete = try await Command.run(
                    "aws", ["lambda", "delete-function-concurrency", "--function-name", arn] + endpoint,
                    environment: AWSClients.environment)
                #expect(delete.exitCode == 0, "\(delete)")
                let after = try await Command.run(
                    "aws", ["lambda", "get-function-concurrency", "--function-name", "slow"] + endpoint,
                    environment: AWSClients.environment)
                #expect(after.exitCode == 0, "\(after)")
                #expect(!after.standardOutput.contains("ReservedConcurrentExecutions"), "\(after)")
                let unknown = try await Command.run(
                    "aws",
                    [
                        "lambda", "put-function-concurrency", "--function-name", "slow:v2",
                        "--reserved-concurrent-executions", "1",
                    ]
                        + endpoint, environment: AWSClients.environment)
                #expect(unknown.exitCode != 0)
                #expect(unknown.standardError.contains("ResourceNotFoundException"), "\(unknown)")
            }
        }
    }
}
