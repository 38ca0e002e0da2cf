import Foundation
import TestSupport
import Testing
import WorkerCache

/// Against a real `redis-server` that each test starts on a free loopback port and stops. Serialized: the
/// timeout-sensitive tests should not compete with each other for the two cores.
@Suite("Redis tier against a real redis-server", .serialized)
struct RedisIntegrationTests {
    func settings(
        _ server: RedisServer?, port: Int? = nil, function: String = "org-status", capacity: Int = 10_000,
        timeoutMs: Int = 200, ttlSeconds: Double = 300
    ) -> CacheSettings {
        let url = server?.url ?? "redis://127.0.0.1:\(port!)"
        return CacheSettings(
            capacity: capacity, ttlSeconds: ttlSeconds, redisURL: url, redisTimeoutMs: timeoutMs,
            keyPrefix: CacheSettings.keyPrefix(function: function))
    }

    @Test("a second worker that never saw a key gets a shared hit, then a worker hit")
    func sharedHitForAnotherWorker() async throws {
        let server = try RedisServer.start()
        let store = LoadCounter()
        let workerA = ReadThroughCache<OrganisationRecord>(settings: settings(server))
        let workerB = ReadThroughCache<OrganisationRecord>(settings: settings(server))
        let miss = try #require(try await workerA.get("ORG-0042", load: store.loader("ORG-0042")))
        #expect(miss.outcome == .miss)
        #expect(miss.sharedMs > 0)
        let shared = try #require(try await workerB.get("ORG-0042", load: store.loader("ORG-0042")))
        #expect(shared.outcome == .sharedHit)
        #expect(shared.value == miss.value)
        #expect(shared.sharedMs > 0 && shared.storeMs == 0)
        #expect(try await workerB.get("ORG-0042", load: store.loader("ORG-0042"))?.outcome == .workerHit)
        #expect(store.calls == 1)
        #expect(workerB.stats.sharedHits == 1 && workerB.stats.workerHits == 1 && workerB.stats.redisErrors == 0)
    }

    @Test("caches of either encoding share values in Redis", arguments: CacheValueEncoding.allCases)
    func encodingShares(encoding: CacheValueEncoding) async throws {
        let server = try RedisServer.start()
        var chosen = settings(server)
        chosen.valueEncoding = encoding
        let store = LoadCounter()
        _ = try await ReadThroughCache<OrganisationRecord>(settings: chosen).get("ORG-7", load: store.loader("ORG-7"))
        let raw = try RawRedis(port: server.port)
        guard case .string(let stored) = try raw.run("GET", "fnhost:org-status:ORG-7") else {
            Issue.record("no value stored")
            return
        }
        #expect(stored.hasPrefix(encoding == .json ? "{" : "<?xml"))
        #expect(
            try await ReadThroughCache<OrganisationRecord>(settings: chosen).get("ORG-7", load: store.loader("ORG-7"))?
                .outcome == .sharedHit)
    }

    @Test("keys are written only under fnhost:FUNCTION: and each carries the TTL")
    func keysUnderPrefixWithTTL() async throws {
        let server = try RedisServer.start()
        let store = LoadCounter()
        let cache = ReadThroughCache<OrganisationRecord>(settings: settings(server, ttlSeconds: 120))
        for number in 1...5 { _ = try await cache.get("ORG-\(number)", load: store.loader("ORG-\(number)")) }
        _ = try await cache.get("MISSING-1", load: store.loader("MISSING-1"))
        let raw = try RawRedis(port: server.port)
        let keys = try raw.allKeys()
        #expect(keys == (1...5).map { "fnhost:org-status:ORG-\($0)" })
        for key in keys {
            guard case .integer(let ttl) = try raw.run("PTTL", key) else {
                Issue.record("no PTTL for \(key)"); continue
            }
            #expect(ttl > 110_000 && ttl <= 120_000, "\(key) has PTTL \(ttl)")
        }
        let tier = try #require(cache.shared)
        #expect(tier.keyPrefix == "fnhost:org-status:")
        #expect(try tier.timeToLiveMs("ORG-1").map { $0 > 110_000 } == true)
        #expect(try tier.timeToLiveMs("ORG-404") == nil)
    }

    @Test("clearPrefix deletes only the function's keys, even when its name contains glob characters")
    func clearPrefixLeavesOtherKeys() throws {
        let server = try RedisServer.start()
        let raw = try RawRedis(port: server.port)
        let others = [
            "other:key", "fnhost:coverage:M-1", "fnhost:org-status-x:1", "fnhost:oXg:1", "fnhost:o*g", "fnhost",
        ]
        for key in others { try raw.run("SET", key, "keep") }
        let tier = RedisTier(url: try RedisURL(server.url), keyPrefix: "fnhost:o*g:", timeoutMs: 200)
        for number in 0..<1200 { try tier.set("K\(number)", value: Array("v".utf8), ttlMs: 60_000) }
        #expect(try raw.allKeys().count == 1200 + others.count)
        #expect(try tier.clearPrefix() == 1200)
        #expect(try raw.allKeys() == others.sorted())
        #expect(try tier.clearPrefix() == 0)
    }

    @Test("the database in the URL is selected")
    func selectsDatabase() throws {
        let server = try RedisServer.start()
        let tier = RedisTier(url: try RedisURL(server.url + "/3"), keyPrefix: "fnhost:f:", timeoutMs: 200)
        try tier.set("k", value: [1, 2, 3], ttlMs: 10_000)
        let raw = try RawRedis(port: server.port)
        #expect(try raw.run("EXISTS", "fnhost:f:k") == .integer(0))
        try raw.run("SELECT", "3")
        #expect(try raw.run("EXISTS", "fnhost:f:k") == .integer(1))
        #expect(try tier.get("k") == [1, 2, 3])
    }

    @Test("values are binary-safe (NUL bytes and all 256 byte values)")
    func binarySafe() throws {
        let server = try RedisServer.start()
        let tier = RedisTier(url: try RedisURL(server.url), keyPrefix: "fnhost:f:", timeoutMs: 200)
        let value = (0..<512).map { UInt8(truncatingIfNeeded: $0) }
        try tier.set("key\u{0}with-nul", value: value, ttlMs: 10_000)
        #expect(try tier.get("key\u{0}with-nul") == value)
        #expect(try tier.get("absent") == nil)
    }

    @Test("an error reply becomes a Swift error and the connection stays usable")
    func errorReplyIsAnError() throws {
        let server = try RedisServer.start()
        let raw = try RawRedis(port: server.port)
        try raw.run("LPUSH", "fnhost:f:list", "x")
        let tier = RedisTier(url: try RedisURL(server.url), keyPrefix: "fnhost:f:", timeoutMs: 200)
        do {
            _ = try tier.get("list")
            Issue.record("GET of a list should fail")
        } catch {
            guard case .errorReply(let operation, let message) = error else {
                Issue.record("unexpected \(error)"); return
            }
            #expect(operation == "GET")
            #expect(message.hasPrefix("WRONGTYPE"))
        }
        #expect(tier.isConnected)
        try tier.set("k", value: [1], ttlMs: 1000)
        #expect(tier.counters.errors == 1 && tier.counters.reconnects == 0)
    }

    @Test("an undecodable value in Redis is counted, answered from the store, and overwritten")
    func undecodableValue() async throws {
        let server = try RedisServer.start()
        let raw = try RawRedis(port: server.port)
        try raw.run("SET", "fnhost:org-status:ORG-1", "{not a record")
        let store = LoadCounter()
        let cache = ReadThroughCache<OrganisationRecord>(settings: settings(server))
        #expect(try await cache.get("ORG-1", load: store.loader("ORG-1"))?.outcome == .miss)
        #expect(cache.stats.redisErrors == 1)
        let other = ReadThroughCache<OrganisationRecord>(settings: settings(server))
        #expect(try await other.get("ORG-1", load: store.loader("ORG-1"))?.outcome == .sharedHit)
    }

    @Test("no server (connection refused): lookups answer from the store within the timeout, and back off")
    func refusedConnection() async throws {
        let port = try RedisServer.freePort()
        let store = LoadCounter()
        let cache = ReadThroughCache<OrganisationRecord>(settings: settings(nil, port: port, timeoutMs: 50))
        let clock = ContinuousClock()
        for number in 0..<20 {
            let started = clock.now
            let lookup = try #require(try await cache.get("ORG-\(number)", load: store.loader("ORG-\(number)")))
            #expect(lookup.outcome == .miss)
            #expect(started.duration(to: clock.now) < .milliseconds(50 + 100))
        }
        let stats = cache.stats
        #expect(stats.misses == 20)
        #expect(stats.redisErrors >= 1)
        // Each lookup has two Redis operations (GET, then SET of the loaded value): each either failed or, while
        // the backoff runs, was not even tried.
        #expect(stats.redisErrors + stats.redisSkipped == 40)
        #expect(stats.redisSkipped > 0)
        #expect(stats.redisReconnects == 0)
    }

    @Test("a paused (slow) server: a lookup waits no longer than the timeout, then Redis is skipped while backing off")
    func slowServerIsBounded() async throws {
        let server = try RedisServer.start()
        let store = LoadCounter()
        let cache = ReadThroughCache<OrganisationRecord>(settings: settings(server, capacity: 0, timeoutMs: 50))
        _ = try await cache.get("ORG-1", load: store.loader("ORG-1"))  // connected and filled
        let admin = try RawRedis(port: server.port)
        try admin.run("CLIENT", "PAUSE", "700", "ALL")
        let clock = ContinuousClock()
        var slowest = Duration.zero
        for _ in 0..<10 {
            let started = clock.now
            let lookup = try #require(try await cache.get("ORG-1", load: store.loader("ORG-1")))
            #expect(lookup.outcome == .miss)
            slowest = max(slowest, started.duration(to: clock.now))
        }
        #expect(slowest >= .milliseconds(45))  // the first one really waited for Redis
        #expect(slowest < .milliseconds(50 + 150))
        #expect(cache.stats.redisTimeouts >= 1)
        #expect(cache.stats.redisSkipped >= 1)
        // Once the pause is over, the tier reconnects and the shared tier answers again.
        try await Task.sleep(for: .milliseconds(800))
        let recovered = try await eventually(within: .seconds(8), every: .milliseconds(50)) {
            try await cache.get("ORG-1", load: store.loader("ORG-1"))?.outcome == .sharedHit
        }
        #expect(recovered)
        #expect(cache.stats.redisReconnects >= 1)
    }

    @Test(
        "server killed mid-run and restarted on the same port: errors counted, lookups keep answering, shared hits resume"
    )
    func serverKilledAndRestarted() async throws {
        let server = try RedisServer.start()
        let store = LoadCounter()
        let cache = ReadThroughCache<OrganisationRecord>(settings: settings(server, capacity: 0, timeoutMs: 50))
        _ = try await cache.get("ORG-1", load: store.loader("ORG-1"))
        #expect(try await cache.get("ORG-1", load: store.loader("ORG-1"))?.outcome == .sharedHit)

        server.kill()
        let clock = ContinuousClock()
        for number in 0..<30 {
            let started = clock.now
            let lookup = try #require(try await cache.get("ORG-\(number % 3)", load: store.loader("ORG-\(number % 3)")))
            #expect(lookup.outcome == .miss)
            #expect(started.duration(to: clock.now) < .milliseconds(50 + 150))
            try await Task.sleep(for: .milliseconds(10))
        }
        let down = cache.stats
        #expect(down.redisErrors >= 2)  // the lost connection, then refused reconnects
        #expect(down.redisSkipped >= 1)

        try server.restart()
        let resumed = try await eventually(within: .seconds(8), every: .milliseconds(50)) {
            try await cache.get("ORG-1", load: store.loader("ORG-1"))?.outcome == .sharedHit
        }
        #expect(resumed)
        #expect(cache.stats.redisReconnects >= 1)
        let fresh = ReadThroughCache<OrganisationRecord>(settings: settings(server))
        #expect(try await fresh.get("ORG-1", load: store.loader("ORG-1"))?.outcome == .sharedHit)
    }

    @Test("a large SET to a server that just died fails with an error instead of killing the process (SIGPIPE)")
    func largeWriteToDeadServer() throws {
        let server = try RedisServer.start()
        let tier = RedisTier(url: try RedisURL(server.url), keyPrefix: "fnhost:f:", timeoutMs: 200)
        try tier.ping()
        server.kill()
        let large = [UInt8](repeating: 0x5A, count: 8 << 20)
        #expect(throws: RedisError.self) { try tier.set("big", value: large, ttlMs: 1000) }
        #expect(throws: RedisError.self) { try tier.set("big", value: large, ttlMs: 1000) }
        #expect(tier.counters.errors >= 1)
    }

    @Test("reconnection waits for an exponential backoff, and Redis is not touched meanwhile")
    func exponentialBackoff() throws {
        let port = try RedisServer.freePort()
        let tier = RedisTier(
            url: try RedisURL("redis://127.0.0.1:\(port)"), keyPrefix: "fnhost:f:", timeoutMs: 50,
            backoff: ReconnectBackoff(initial: .milliseconds(300), maximum: .milliseconds(500)))
        func failure(_ body: () throws(RedisError) -> Void) -> RedisError? {
            do { try body() } catch { return error }
            return nil
        }
        guard case .connectFailed = failure({ () throws(RedisError) in try tier.ping() }) else {
            Issue.record("expected a refused connection")
            return
        }
        guard case .backingOff(let first) = failure({ () throws(RedisError) in try tier.ping() }) else {
            Issue.record("expected the tier to back off")
            return
        }
        #expect(first > 0 && first <= 300)
        Thread.sleep(forTimeInterval: 0.32)
        guard case .connectFailed = failure({ () throws(RedisError) in try tier.ping() }) else {
            Issue.record("expected a second attempt after the backoff")
            return
        }
        guard case .backingOff(let second) = failure({ () throws(RedisError) in try tier.ping() }) else {
            Issue.record("expected the tier to back off again")
            return
        }
        #expect(second > 400 && second <= 500)  // doubled, capped at the maximum
        #expect(tier.counters.errors == 2 && tier.counters.skipped == 2 && tier.counters.reconnects == 0)
    }
}
