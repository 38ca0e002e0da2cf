import FnhostHost
import FnhostManifest
import Foundation
import Subprocess
import TestSupport
import Testing

#if canImport(System)
import System
#else
import SystemPackage
#endif
#if canImport(Glibc)
import Glibc
#endif

extension Integration {
    @Suite struct Isolation {
        @Test func aWorkerCannotAnswerARequestItDoesNotHoldAndItsOwnStillCompletes() async throws {
            try await withHost { host in
                let result = try await host.invoke("wrong-request-id", "{}")
                let answer = try result.answer()
                #expect(answer["wrongResponseStatus"] as? Int == 400)
                #expect(answer["wrongErrorStatus"] as? Int == 400)
                #expect(answer["requestId"] as? String == result.requestID)
                // The worker is still fine.
                let again = try await host.invoke("wrong-request-id", "{}")
                #expect(again.workerPID == result.workerPID)
            }
        }

        @Test func aWorkerCannotAnswerAnotherWorkersRequestEvenKnowingItsId() async throws {
            let sink = CollectingSink()
            try await withHost(sink: sink) { host in
                async let victim = host.invoke("echo", #"{"sleep":0.6,"secret":"mine"}"#)
                var victimID: String?
                #expect(
                    await eventually(within: .seconds(5)) {
                        victimID = sink.startedRequests(of: "echo").first
                        return victimID != nil
                    })
                let id = try #require(victimID)
                let thief = try await host.invoke("wrong-request-id", #"{"steal":"\#(id)"}"#)
                #expect(try thief.answer()["stealStatus"] as? Int == 400)
                let victimResult = try await victim
                let answer = try victimResult.answer()
                #expect((answer["event"] as? [String: Any])?["secret"] as? String == "mine")
                #expect(answer["stolen"] == nil)
            }
        }

        /// "The Runtime API a worker uses accepts only that worker" (issue 7): another local process (here the test,
        /// standing for another function's worker) that finds a worker's endpoint, which any process of the same
        /// user can read in /proc/PID/environ, must not be able to disturb the invocation it serves.
        @Test func anotherProcessCannotDisturbAWorkersInvocationThroughItsRuntimeAPI() async throws {
            try await withTemporaryDirectory { state in
                try await withHost(workerEnvironment: ["FIXTURE_STATE_DIR": state]) { host in
                    async let victim = host.invoke("echo", #"{"sleep":0.8}"#)
                    #expect(await host.waitForPool("echo") { $0.busy == 1 })
                    var pid: Int32?
                    #expect(
                        await eventually(within: .seconds(5)) {
                            pid = Fixtures.recordedPIDs(in: state)["echo-1"]
                            return pid != nil
                        })
                    let environ = try Data(contentsOf: URL(fileURLWithPath: "/proc/\(try #require(pid))/environ"))
                    let api = try #require(
                        environ.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
                            .first { $0.hasPrefix("AWS_LAMBDA_RUNTIME_API=") }?.dropFirst(
                                "AWS_LAMBDA_RUNTIME_API=".count))
                    let intruder = try await Subprocess.run(
                        .path(FilePath("/usr/bin/curl")),
                        arguments: [
                            "-s", "-o", "/dev/null", "-w", "%{http_code}", "-m", "2",
                            "http://\(api)/2018-06-01/runtime/invocation/next",
                        ],
                        output: .string(limit: 100))
                    #expect(
                        intruder.standardOutput != "200", "an outsider fetched an event from the worker's Runtime API")
                    let result = try await victim
                    #expect(
                        !result.isError,
                        "an outsider's call failed the worker's invocation: \(String(decoding: result.payload, as: UTF8.self))"
                    )
                }
            }
        }

        /// The variables Lambda gives every execution environment.
        static let lambdaVariables = [
            "AWS_LAMBDA_RUNTIME_API", "_HANDLER", "LAMBDA_TASK_ROOT", "AWS_LAMBDA_FUNCTION_NAME",
            "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_LOG_GROUP_NAME",
            "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_LAMBDA_INITIALIZATION_TYPE",
        ]

        @Test func aWorkerSeesLambdasVariablesAndItsManifestsButNothingOfTheHostsEnvironment() async throws {
            setenv("AWS_SECRET_ACCESS_KEY", "test-secret-do-not-leak", 1)
            setenv("AWS_ACCESS_KEY_ID", "AKIATESTDONOTLEAK", 1)
            setenv("FNHOST_TEST_SECRET", "also-secret", 1)
            try await withHost { host in
                let result = try await host.invoke("env-dump", "{}")
                let env = try result.answer().compactMapValues { $0 as? String }
                for name in Self.lambdaVariables {
                    #expect(env[name].map { !$0.isEmpty } == true, "\(name) is missing")
                }

                let port = try #require(env["AWS_LAMBDA_RUNTIME_API"]?.split(separator: ":").last.flatMap { Int($0) })
                #expect(env["AWS_LAMBDA_RUNTIME_API"] == "127.0.0.1:\(port)")
                #expect(env["AWS_LAMBDA_FUNCTION_NAME"] == "env-dump")
                #expect(env["AWS_LAMBDA_FUNCTION_VERSION"] == "$LATEST")
                #expect(env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] == "256")
                #expect(env["AWS_LAMBDA_LOG_GROUP_NAME"] == "/aws/lambda/env-dump")
                #expect(env["AWS_LAMBDA_LOG_STREAM_NAME"]?.contains("[$LATEST]") == true)
                #expect(env["AWS_LAMBDA_INITIALIZATION_TYPE"] == "on-demand")
                #expect(env["AWS_REGION"] == "us-east-1")
                #expect(env["_HANDLER"] == "env-dump.handler")
                #expect(env["LAMBDA_TASK_ROOT"] == Paths.fixtureFunctions + "/env-dump")
                // The manifest's own variables.
                #expect(env["GREETING"] == "hello")
                #expect(env["FIXTURE_FLAG"] == "on")

                // Nothing of the host's environment.
                for secret in ["AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "FNHOST_TEST_SECRET"] {
                    #expect(env[secret] == nil, "\(secret) leaked into the worker")
                }
                #expect(
                    !env.values.contains {
                        $0.contains("do-not-leak") || $0.contains("DONOTLEAK") || $0 == "also-secret"
                    })
                if let home = ProcessInfo.processInfo.environment["HOME"] { #expect(env["HOME"] != home) }
                let expected = Set(Self.lambdaVariables).union(["GREETING", "FIXTURE_FLAG"])
                let allowedExtras: Set<String> = [
                    "PATH", "LANG", "TZ", "PWD", "SHLVL", "_", "LAMBDA_RUNTIME_DIR", "AWS_ENDPOINT_URL_LAMBDA",
                    "FNHOST_WORKER_ID",
                ]
                // fnhost's own settings (FNHOST_*) are granted by the host, not copied from its environment.
                let unexpected = Set(env.keys).subtracting(expected).subtracting(allowedExtras)
                    .filter { !$0.hasPrefix("FNHOST_") }
                #expect(unexpected.isEmpty, "unexpected variables in the worker: \(unexpected.sorted())")
            }
            unsetenv("AWS_SECRET_ACCESS_KEY")
            unsetenv("AWS_ACCESS_KEY_ID")
            unsetenv("FNHOST_TEST_SECRET")
        }

        @Test func theFnhostCommandDoesNotPassItsEnvironmentToWorkers() async throws {
            let run = try await Command.fnhost(
                ["invoke", "env-dump", "--functions", Paths.fixtureFunctions, "-q"],
                environment: [
                    "AWS_SECRET_ACCESS_KEY": "cli-secret-do-not-leak", "AWS_SESSION_TOKEN": "cli-token-do-not-leak",
                    "FNHOST_TEST_SECRET": "cli-also-secret", "HOME": "/home/do-not-leak",
                ])
            #expect(run.exitCode == 0, "\(run.standardError)")
            let env = try jsonObject(Array(run.standardOutput.utf8)).compactMapValues { $0 as? String }
            #expect(env["AWS_LAMBDA_FUNCTION_NAME"] == "env-dump")
            for name in ["AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "FNHOST_TEST_SECRET", "HOME"] {
                #expect(env[name] == nil, "\(name) leaked from fnhost's environment into the worker")
            }
            #expect(!env.values.contains { $0.contains("do-not-leak") || $0 == "cli-also-secret" })
        }

        /// curl sends `Expect: 100-continue` with a body over 1 MB and waits for the go-ahead; the Runtime API
        /// gives it at once (the fixture waits up to 30 s, so without it the invocation would time out).
        @Test func aRuntimeThatAsksFor100ContinueGetsItAndItsAnswerArrives() async throws {
            try await withHost { host in
                let result = try await host.invoke("expect-continue", "{}")
                #expect(try result.answer()["continued"] as? Bool == true)
            }
        }

        @Test func eachWorkerHasItsOwnRuntimeAPIEndpoint() async throws {
            try await withHost { host in
                async let a = host.invoke("env-dump", #"{"sleep":0.3}"#)
                #expect(await host.waitForPool("env-dump") { $0.busy == 1 })
                async let b = host.invoke("env-dump", "{}")
                let (x, y) = try await (a, b)
                #expect(x.workerPID != y.workerPID)
                let apiA = try x.answer()["AWS_LAMBDA_RUNTIME_API"] as? String
                let apiB = try y.answer()["AWS_LAMBDA_RUNTIME_API"] as? String
                #expect(apiA != nil && apiA != apiB)
            }
        }
    }
}
