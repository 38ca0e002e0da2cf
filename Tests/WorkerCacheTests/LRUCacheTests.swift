import Testing
import WorkerCache

@Suite("LRUCache")
struct LRUCacheTests {
    let start = Duration.seconds(100)

    @Test("past capacity the least recently used entry is evicted")
    func evictsLeastRecentlyUsed() {
        var cache = LRUCache<String, Int>(capacity: 3, ttl: .seconds(60))
        cache.insert(1, forKey: "a", now: start)
        cache.insert(2, forKey: "b", now: start)
        cache.insert(3, forKey: "c", now: start)
        #expect(cache.value(forKey: "a", now: start) == 1)  // a becomes the most recent
        let evicted = cache.insert(4, forKey: "d", now: start)
        #expect(evicted == "b")
        #expect(cache.value(forKey: "b", now: start) == nil)
        #expect(cache.keysByRecency == ["d", "a", "c"])
        #expect(cache.count == 3)
    }

    @Test("eviction follows recency of use, not of insertion")
    func evictionOrder() {
        var cache = LRUCache<Int, Int>(capacity: 4, ttl: .seconds(60))
        for key in 0..<4 { cache.insert(key, forKey: key, now: start) }
        _ = cache.value(forKey: 0, now: start)
        _ = cache.value(forKey: 2, now: start)
        var evicted: [Int] = []
        for key in 10..<14 { if let gone = cache.insert(key, forKey: key, now: start) { evicted.append(gone) } }
        #expect(evicted == [1, 3, 0, 2])
    }

    @Test("re-inserting a key replaces its value, refreshes its TTL and makes it most recent, without evicting")
    func reinsertReplaces() {
        var cache = LRUCache<String, Int>(capacity: 2, ttl: .seconds(10))
        cache.insert(1, forKey: "a", now: start)
        cache.insert(2, forKey: "b", now: start)
        #expect(cache.insert(10, forKey: "a", now: start + .seconds(5)) == nil)
        #expect(cache.keysByRecency == ["a", "b"])
        #expect(cache.value(forKey: "a", now: start + .seconds(12)) == 10)
        #expect(cache.value(forKey: "b", now: start + .seconds(12)) == nil)
    }

    @Test("an entry expires exactly at its TTL, and an expired entry is removed")
    func ttlExpiry() {
        var cache = LRUCache<String, Int>(capacity: 10, ttl: .seconds(30))
        cache.insert(1, forKey: "a", now: start)
        #expect(cache.value(forKey: "a", now: start + .seconds(29)) == 1)
        #expect(cache.value(forKey: "a", now: start + .seconds(30)) == nil)
        #expect(cache.count == 0)
    }

    @Test("reading does not extend the TTL")
    func readDoesNotRefresh() {
        var cache = LRUCache<String, Int>(capacity: 10, ttl: .seconds(30))
        cache.insert(1, forKey: "a", now: start)
        for second in stride(from: 5, to: 30, by: 5) {
            #expect(cache.value(forKey: "a", now: start + .seconds(second)) == 1)
        }
        #expect(cache.value(forKey: "a", now: start + .seconds(31)) == nil)
    }

    @Test("capacity 0 keeps nothing")
    func zeroCapacity() {
        var cache = LRUCache<String, Int>(capacity: 0, ttl: .seconds(30))
        cache.insert(1, forKey: "a", now: start)
        #expect(cache.value(forKey: "a", now: start) == nil)
        #expect(cache.count == 0)
    }

    @Test("removal and removeAll forget entries, and freed slots are reused")
    func removal() {
        var cache = LRUCache<Int, String>(capacity: 3, ttl: .seconds(30))
        for key in 0..<3 { cache.insert("\(key)", forKey: key, now: start) }
        cache.removeValue(forKey: 1)
        #expect(cache.keysByRecency == [2, 0])
        cache.insert("9", forKey: 9, now: start)
        #expect(cache.keysByRecency == [9, 2, 0])
        cache.removeAll()
        #expect(cache.count == 0 && cache.keysByRecency.isEmpty)
        cache.insert("5", forKey: 5, now: start)
        #expect(cache.value(forKey: 5, now: start) == "5")
    }

    @Test("a long random workload keeps the cache consistent with a reference model")
    func matchesReferenceModel() {
        var cache = LRUCache<Int, Int>(capacity: 16, ttl: .seconds(1000))
        var model: [Int] = []  // keys, most recent first
        var rng = SystemRandomNumberGenerator()
        for step in 0..<5_000 {
            let key = Int.random(in: 0..<40, using: &rng)
            if Bool.random(using: &rng) {
                cache.insert(step, forKey: key, now: start)
                model.removeAll { $0 == key }
                model.insert(key, at: 0)
                if model.count > 16 { model.removeLast() }
            } else {
                let found = cache.value(forKey: key, now: start) != nil
                #expect(found == model.contains(key))
                if found {
                    model.removeAll { $0 == key }
                    model.insert(key, at: 0)
                }
            }
        }
        #expect(cache.keysByRecency == model)
    }
}
