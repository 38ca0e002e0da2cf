import Foundation
import TestSupport
import Testing

extension ServeSuite {
    /// Real concurrency: N simultaneous requests get N workers, up to reserved concurrency; provisioned workers are
    /// ready before the first request.
    @Suite("Concurrency")
    struct Concurrency {
        static let fixtures = ServeOptions(functions: Paths.fixtureFunctions)

        @Test("16 concurrent requests to slow run on 16 workers at once")
        func sixteenConcurrentRequestsGetSixteenWorkers() async throws {
            try await withTemporaryDirectory("sixteen") { folder in
                let functions = try Fixtures.install(["slow"], into: folder)
                try await withServer(ServeOptions(functions: functions)) { server in
                    let responses = try await Self.concurrently(16) { _ in
                        try await server.client.invoke("slow", payload: #"{"sleep": 1}"#)
                    }
                    #expect(
                        responses.map(\.status) == Array(repeating: 200, count: 16),
                        "\(responses.filter { $0.status != 200 })")
                    let pids = Set(try responses.map { try #require($0.jsonObject()["pid"] as? Int) })
                    #expect(pids.count == 16, "16 requests at once ran on \(pids.count) workers")
                    ProcessLedger.record(pids.compactMap { ProcessIdentity.current(Int32($0)) })

                    let metrics = try await server.metrics()
                    #expect(metrics.value("fnhost_workers", ["function": "slow"]) == 16)
                    #expect(metrics.value("fnhost_workers", ["function": "slow", "state": "idle"]) == 16)
                    #expect(metrics.value("fnhost_cold_starts_total", ["function": "slow"]) == 16)
                    #expect(try await server.health()["workers"] as? Int == 16)
                }
            }
        }

        @Test("Beyond reserved concurrency (2), requests are 429 TooManyRequestsException; the others succeed")
        func reservedConcurrencyThrottles() async throws {
            try await withServer(Self.fixtures) { server in
                let responses = try await Self.concurrently(6) { _ in
                    try await server.client.invoke("limited", payload: #"{"sleep": 1}"#)
                }
                let throttled = responses.filter { $0.status == 429 }
                let succeeded = responses.filter { $0.status == 200 }
                #expect(throttled.count + succeeded.count == 6, "only 200 or 429: \(responses)")
                #expect(!throttled.isEmpty, "6 concurrent requests with reserved concurrency 2: none throttled")
                #expect(succeeded.count >= 2, "\(responses)")
                for response in throttled {
                    #expect(response.header("x-amzn-ErrorType") == "TooManyRequestsException")
                    let body = try response.jsonObject()
                    #expect(body["Reason"] as? String == "ReservedFunctionConcurrentInvocationLimitExceeded")
                    #expect(body["Type"] as? String == "User")
                    #expect(body["message"] is String)
                }
                let pids = Set(try succeeded.map { try #require($0.jsonObject()["pid"] as? Int) })
                #expect(pids.count <= 2, "limited ran on \(pids.count) workers, beyond its reserved concurrency")
                let metrics = try await server.metrics()
                #expect(metrics.value("fnhost_throttles_total", ["function": "limited"]) == Double(throttled.count))
                #expect((metrics.value("fnhost_workers", ["function": "limited"]) ?? 0) <= 2)
            }
        }

        @Test("Provisioned concurrency: 2 idle workers before any request, and the first request has no cold start")
        func provisionedWorkersAreReadyAtStart() async throws {
            try await withServer(Self.fixtures) { server in
                // Before any invocation.
                let metrics = try await server.metrics()
                #expect(metrics.value("fnhost_workers", ["function": "provisioned", "state": "idle"]) == 2)
                #expect(metrics.value("fnhost_workers", ["function": "provisioned", "state": "starting"]) ?? 0 == 0)
                #expect(
                    metrics.value("fnhost_workers", ["function": "slow"]) ?? 0 == 0,
                    "an on-demand function has no worker yet")
                let family = server.descendants.map(\.pid)

                let response = try await server.client.invoke(
                    "provisioned", payload: "{}", headers: [("X-Amz-Log-Type", "Tail")])
                #expect(response.status == 200)
                let answer = try response.jsonObject()
                #expect(answer["initializationType"] as? String == "provisioned-concurrency")
                let pid = try #require(answer["pid"] as? Int)
                #expect(family.contains(Int32(pid)), "the answer came from a worker started before the request")
                let log = String(
                    decoding: Data(base64Encoded: response.header("X-Amz-Log-Result") ?? "") ?? Data(), as: UTF8.self)
                #expect(log.contains("REPORT RequestId:"), "\(log)")
                #expect(!log.contains("Init Duration"), "a provisioned worker must not cold-start: \(log)")

                let after = try await server.metrics()
                #expect(after.value("fnhost_cold_starts_total", ["function": "provisioned"]) ?? 0 == 0)
                #expect(after.value("fnhost_workers", ["function": "provisioned"]) == 2)
            }
        }

        /// Runs `count` copies of `body` at once and returns their results in order.
        static func concurrently<T: Sendable>(
            _ count: Int, _ body: @escaping @Sendable (Int) async throws -> T
        ) async throws -> [T] {
            try await withThrowingTaskGroup(of: (Int, T).self) { group in
                for i in 0..<count { group.addTask { (i, try await body(i)) } }
                var results: [(Int, T)] = []
                for try await result in group { results.append(result) }
                return results.sorted { $0.0 < $1.0 }.map(\.1)
            }
        }
    }
}
