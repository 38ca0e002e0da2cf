import Foundation
import TestSupport
import Testing

extension ServeSuite {
    /// The connection limit, the Runtime API's own limits and how the limits are configured.
    @Suite("Listener limits", .serialized)
    struct ListenerLimitTests {
        @Test("Over --max-connections a new connection is answered 503 with a JSON message and closed; it recovers")
        func connectionLimitRefusesPolitelyAndRecovers() async throws {
            let limit = 20
            try await withServer(ServeOptions(extraArguments: ["--max-connections", String(limit)])) { server in
                let port = server.port
                let held = try await onThread {
                    Result { try (0..<limit).map { _ in try RawSocket.connect(port: port) } }
                }
                .get()
                // Let the server accept them all before the next one knocks.
                try await Task.sleep(for: .milliseconds(300))
                let (refused, refusedIn) = try await measure { try await server.client.get("/healthz") }
                #expect(refused.status == 503, "\(refused)")
                #expect(refused.header("Connection")?.lowercased() == "close", "\(refused)")
                #expect(refused.header("Retry-After") == "1", "\(refused)")
                let message = try refused.jsonObject()["message"] as? String
                #expect(message?.contains("\(limit) connections") == true, "\(refused)")
                #expect(refusedIn < .seconds(1), "the refusal took \(refusedIn)")
                print("connection limit \(limit): connection \(limit + 1) refused with 503 in \(refusedIn)")

                // Connections that go away make room again.
                for socket in held.prefix(5) { socket.close() }
                var recovered: HTTPResponse?
                let (_, recoveredIn) = await measure {
                    _ = await eventually(within: .seconds(5)) {
                        recovered = try? await server.client.get("/healthz")
                        return recovered?.status == 200
                    }
                }
                #expect(recovered?.status == 200, "\(recovered.map(String.init(describing:)) ?? "no answer")")
                print("connection limit \(limit): answering again \(recoveredIn) after 5 connections closed")
                let invoke = try await server.client.invoke("org-status", payload: #"{"orgId":"ORG-0042"}"#)
                #expect(invoke.status == 200, "\(invoke)")
                let metrics = try await server.metrics()
                #expect(
                    (metrics.value(
                        "fnhost_connections_closed_total", ["listener": "serve", "reason": "connection_limit"]) ?? 0)
                        >= 1)
                for socket in held.dropFirst(5) { socket.close() }
                #expect(
                    await eventually(within: .seconds(5)) {
                        (try? await server.metrics().value("fnhost_connections_open", ["listener": "serve"])) == 1
                    }, "the open-connections gauge does not fall back to 1 (the /metrics request itself)")
            }
        }

        @Test(
            "A worker's parked GET next outlives the Runtime API's header and idle timeouts; its idle connections do not"
        )
        func runtimeAPILongPollSurvivesItsLimits() async throws {
            let options = ServeOptions(extraArguments: [
                "--runtime-api-header-timeout", "0.5", "--runtime-api-idle-timeout", "1",
            ])
            try await withServer(options) { server in
                let first = try await server.client.invoke("org-status", payload: #"{"orgId":"ORG-0042"}"#)
                #expect(first.status == 200, "\(first)")
                // Parked in GET next three times as long as the idle timeout, six times the header timeout.
                try await Task.sleep(for: .seconds(3))
                let second = try await server.client.invoke("org-status", payload: #"{"orgId":"ORG-0042"}"#)
                #expect(second.status == 200, "\(second)")
                #expect(second.header("X-Amz-Function-Error") == nil, "\(second)")
                let worker = try second.jsonObject()["worker"] as? [String: Any]
                #expect(worker?["invocations"] as? Int == 2, "the same warm worker answered: \(second)")
                let metrics = try await server.metrics()
                #expect(metrics.value("fnhost_cold_starts_total", ["function": "org-status"]) == 1)
                #expect(metrics.value("fnhost_cold_starts_total", ["function": "rules"]) == 1)
                // org-status's kept-alive connection for calls to rules was idle between the two invocations: it was
                // closed, and the runtime's client reconnected without a failure.
                #expect(
                    (metrics.value(
                        "fnhost_connections_closed_total", ["listener": "runtime_api", "reason": "idle_timeout"]) ?? 0)
                        >= 1)
                #expect(
                    metrics.value(
                        "fnhost_connections_closed_total", ["listener": "runtime_api", "reason": "header_timeout"]) == 0
                )
            }
        }

        @Test("A worker handling its event for longer than the Runtime API's idle timeout keeps its connection")
        func workerHoldingAnEventIsNotIdle() async throws {
            try await withTemporaryDirectory { directory in
                // coverage calls no other function: its one connection carries the event and, 2 s later, the answer.
                let functions = directory + "/functions"
                try FileManager.default.copyItem(atPath: Paths.functions, toPath: functions)
                let manifest = functions + "/coverage/function.json"
                let text = try String(contentsOfFile: manifest, encoding: .utf8)
                try text.replacingOccurrences(of: "constant:3", with: "constant:2000")
                    .write(toFile: manifest, atomically: true, encoding: .utf8)
                let options = ServeOptions(
                    functions: functions, extraArguments: ["--runtime-api-idle-timeout", "0.5"])
                try await withServer(options) { server in
                    let (response, took) = try await measure {
                        try await server.client.invoke("coverage", payload: #"{"memberId":"M-000042"}"#)
                    }
                    #expect(response.status == 200, "\(response)")
                    #expect(response.header("X-Amz-Function-Error") == nil, "\(response)")
                    #expect(took >= .seconds(2), "the simulated store took \(took)")
                    let metrics = try await server.metrics()
                    #expect(
                        metrics.value(
                            "fnhost_connections_closed_total", ["listener": "runtime_api", "reason": "idle_timeout"])
                            == 0)
                    #expect(metrics.value("fnhost_connections_open", ["listener": "runtime_api"]) == 1)
                }
            }
        }

        @Test("A flag wins over its FNHOST_ variable, which wins over the default; the banner says what is in force")
        func flagsWinOverEnvironment() async throws {
            let options = ServeOptions(
                extraArguments: ["--header-timeout", "3", "--runtime-api-max-connections", "7"],
                environment: [
                    "FNHOST_HEADER_TIMEOUT": "9", "FNHOST_IDLE_TIMEOUT": "4.5", "FNHOST_MAX_CONNECTIONS": "99",
                    "FNHOST_RUNTIME_API_IDLE_TIMEOUT": "1200",
                ])
            try await withServer(options) { server in
                // The banner's lines are written one by one after the `listening on` line the start waited for.
                var banner = ""
                _ = await eventually(within: .seconds(5)) {
                    banner = server.outputLines.first { $0.contains("limits") } ?? ""
                    return !banner.isEmpty
                }
                #expect(
                    banner.contains("header timeout 3 s, idle timeout 4.5 s, at most 99 connections"), "\(banner)")
                #expect(
                    banner.contains("Runtime API endpoint: header timeout 10 s, idle timeout 1200 s, at most 7"),
                    "\(banner)")
            }
        }

        @Test(
            "A bad limit is a usage error (64) naming the flag or variable",
            arguments: [
                (["--header-timeout", "0"], [:], "--header-timeout"),
                (["--idle-timeout", "-1"], [:], "--idle-timeout"),
                (["--max-connections", "0"], [:], "--max-connections"),
                ([], ["FNHOST_IDLE_TIMEOUT": "soon"], "FNHOST_IDLE_TIMEOUT"),
                ([], ["FNHOST_RUNTIME_API_MAX_CONNECTIONS": "-3"], "FNHOST_RUNTIME_API_MAX_CONNECTIONS"),
            ] as [([String], [String: String], String)])
        func badLimitIsAUsageError(arguments: [String], environment: [String: String], named: String) async throws {
            let result = try await Command.fnhost(
                ["serve", "--port", "0", "--state-dir", NSTemporaryDirectory() + "fnhost-limits-unused"] + arguments,
                environment: environment.mapValues { $0 })
            #expect(result.exitCode == 64, "\(result)")
            #expect(result.standardError.contains(named), "\(result.standardError)")
        }
    }
}
