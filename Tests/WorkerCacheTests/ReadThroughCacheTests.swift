import Testing
import WorkerCache

@Suite("ReadThroughCache without Redis")
struct ReadThroughCacheTests {
    @Test("a miss loads from the store, then the worker tier answers")
    func missThenWorkerHit() async throws {
        let cache = ReadThroughCache<OrganisationRecord>(settings: CacheSettings())
        let store = LoadCounter()
        let first = try #require(try await cache.get("ORG-0042", load: store.loader("ORG-0042")))
        #expect(first.outcome == .miss)
        #expect(first.value.orgId == "ORG-0042")
        #expect(first.storeMs >= 0 && first.sharedMs == 0)
        let second = try #require(try await cache.get("ORG-0042", load: store.loader("ORG-0042")))
        #expect(second.outcome == .workerHit)
        #expect(second.value == first.value)
        #expect(second.storeMs == 0 && second.sharedMs == 0)
        #expect(store.calls == 1)
        let stats = cache.stats
        #expect(stats.misses == 1 && stats.workerHits == 1 && stats.sharedHits == 0 && stats.lookups == 2)
        #expect(stats.redisErrors == 0)
    }

    @Test("nil from the store is not found: nothing is cached, the store is asked again")
    func notFoundIsNotCached() async throws {
        let cache = ReadThroughCache<OrganisationRecord>(settings: CacheSettings())
        let store = LoadCounter()
        #expect(try await cache.get("MISSING-1", load: store.loader("MISSING-1")) == nil)
        #expect(try await cache.get("MISSING-1", load: store.loader("MISSING-1")) == nil)
        #expect(store.calls == 2)
        #expect(cache.stats.notFound == 2 && cache.stats.misses == 2)
    }

    @Test("an entry expires after the TTL (injected clock) and is loaded again")
    func ttlExpiryWithInjectedClock() async throws {
        let clock = ManualClock()
        let cache = ReadThroughCache<OrganisationRecord>(
            settings: CacheSettings(ttlSeconds: 60), clock: clock.cacheClock)
        let store = LoadCounter()
        _ = try await cache.get("ORG-1", load: store.loader("ORG-1"))
        clock.advance(by: .seconds(59))
        #expect(try await cache.get("ORG-1", load: store.loader("ORG-1"))?.outcome == .workerHit)
        clock.advance(by: .seconds(1))
        #expect(try await cache.get("ORG-1", load: store.loader("ORG-1"))?.outcome == .miss)
        #expect(store.calls == 2)
    }

    @Test("the worker tier holds at most its capacity, evicting the least recently used")
    func capacityBound() async throws {
        let cache = ReadThroughCache<OrganisationRecord>(settings: CacheSettings(capacity: 2))
        let store = LoadCounter()
        for key in ["A", "B", "A", "C"] { _ = try await cache.get(key, load: store.loader(key)) }
        #expect(try await cache.get("A", load: store.loader("A"))?.outcome == .workerHit)
        #expect(try await cache.get("B", load: store.loader("B"))?.outcome == .miss)
        #expect(store.calls == 4)
    }

    @Test("an error from the store is passed on and nothing is cached")
    func storeErrorPropagates() async throws {
        struct StoreDown: Error {}
        let cache = ReadThroughCache<OrganisationRecord>(settings: CacheSettings())
        await #expect(throws: StoreDown.self) {
            _ = try await cache.get("ORG-1") { @Sendable () async throws -> OrganisationRecord? in throw StoreDown() }
        }
        let store = LoadCounter()
        #expect(try await cache.get("ORG-1", load: store.loader("ORG-1"))?.outcome == .miss)
    }

    @Test("an invalid Redis URL leaves the shared tier off and says why")
    func invalidRedisURL() async throws {
        let cache = ReadThroughCache<OrganisationRecord>(settings: CacheSettings(redisURL: "http://localhost"))
        #expect(cache.shared == nil)
        #expect(cache.configurationError != nil)
        let store = LoadCounter()
        #expect(try await cache.get("ORG-1", load: store.loader("ORG-1"))?.outcome == .miss)
    }

    @Test("clearWorkerTier forgets the worker's memory")
    func clearWorkerTier() async throws {
        let cache = ReadThroughCache<OrganisationRecord>(settings: CacheSettings())
        let store = LoadCounter()
        _ = try await cache.get("ORG-1", load: store.loader("ORG-1"))
        cache.clearWorkerTier()
        #expect(try await cache.get("ORG-1", load: store.loader("ORG-1"))?.outcome == .miss)
    }

    @Test("outcomes encode as the names reports use")
    func outcomeNames() {
        #expect(CacheOutcome.allCases.map(\.rawValue) == ["worker-hit", "shared-hit", "miss"])
    }
}
