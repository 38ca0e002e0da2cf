import Foundation
import Synchronization
import TestSupport
import Testing

extension ServeSuite {
    /// The shared cache going away under load costs hits, never invocations.
    @Suite("Redis outage")
    struct RedisOutage {
        /// What clients saw, phase by phase.
        final class Tally: Sendable {
            struct Counts: Sendable { var ok = 0, failed = 0, sharedHits = 0, misses = 0, failures: [String] = [] }
            private let state = Mutex([String: Counts]())
            private let phase = Mutex("before")
            private let stopped = Mutex(false)

            var isStopped: Bool { stopped.withLock { $0 } }
            func stop() { stopped.withLock { $0 = true } }

            func enter(_ name: String) { phase.withLock { $0 = name } }
            func record(_ response: HTTPResponse?) {
                let current = phase.withLock { $0 }
                state.withLock { all in
                    var c = all[current] ?? Counts()
                    if let response, response.status == 200, response.header("X-Amz-Function-Error") == nil,
                        let cache = (try? response.jsonObject())?["cache"] as? [String: Any]
                    {
                        c.ok += 1
                        if cache["outcome"] as? String == "shared-hit" { c.sharedHits += 1 }
                        if cache["outcome"] as? String == "miss" { c.misses += 1 }
                    } else {
                        c.failed += 1
                        if c.failures.count < 3 {
                            c.failures.append(response.map { "\($0.status) \($0.text.prefix(200))" } ?? "no answer")
                        }
                    }
                    all[current] = c
                }
            }
            subscript(_ name: String) -> Counts { state.withLock { $0[name] ?? Counts() } }
        }

        @Test(
            "Redis killed and restarted while serve is under load: zero failed invocations; shared hits stop, then come back"
        )
        func redisKilledAndRestartedUnderLoad() async throws {
            let redis = try RedisServer.start()
            defer { redis.stop() }
            try await withTemporaryDirectory("redis-outage") { folder in
                // The project's functions, with org-status's worker cache holding one entry, so that most hits have to
                // come from the shared tier.
                let functions = folder + "/functions"
                try FileManager.default.copyItem(atPath: Paths.functions, toPath: functions)
                let manifest = functions + "/org-status/function.json"
                var json = try #require(
                    try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: manifest)))
                        as? [String: Any])
                json["cache"] = ["capacity": 1, "ttlSeconds": 300]
                try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: manifest))
                let options = ServeOptions(functions: functions, extraArguments: ["--redis", redis.url])
                try await withServer(options) { server in
                    let tally = Tally()
                    let load = Task {
                        await withTaskGroup(of: Void.self) { group in
                            for client in 0..<6 {
                                group.addTask {
                                    var i = client
                                    while !tally.isStopped {
                                        i += 7
                                        let org = String(format: "ORG-%04d", 1 + i % 20)
                                        tally.record(
                                            try? await server.client.invoke(
                                                "org-status", payload: "{\"orgId\":\"\(org)\"}"))
                                    }
                                }
                            }
                        }
                    }
                    // Each phase lasts until what it is there to show has happened, within a generous deadline.
                    let warm = await eventually(within: .seconds(30)) { tally["before"].sharedHits > 0 }
                    #expect(warm, "no shared hit before the outage: \(tally["before"])")
                    tally.enter("down")
                    redis.kill()
                    let served = await eventually(within: .seconds(30)) {
                        tally["down"].ok + tally["down"].failed >= 60
                    }
                    #expect(served, "too few invocations answered while Redis was down: \(tally["down"])")
                    try redis.restart()
                    tally.enter("after")
                    let back = await eventually(within: .seconds(30)) { tally["after"].sharedHits > 0 }
                    #expect(back, "no shared hit within 30 s of Redis coming back: \(tally["after"])")
                    tally.stop()
                    await load.value

                    let before = tally["before"]
                    let down = tally["down"]
                    let after = tally["after"]
                    #expect(
                        before.failed + down.failed + after.failed == 0,
                        "failed invocations: \(before.failures + down.failures + after.failures)")
                    #expect(down.ok > 0, "invocations kept answering from the reference store while Redis was down")
                    #expect(before.sharedHits > 0, "shared hits before the outage")
                    #expect(down.sharedHits == 0 || down.sharedHits < down.ok / 4, "hits degrade while Redis is down")
                    #expect(after.sharedHits > 0, "shared hits come back once Redis is back (reconnect with backoff)")
                }
            }
        }
    }
}
