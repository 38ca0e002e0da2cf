import Synchronization
import WorkerCache

#if canImport(Glibc)
import Glibc
#endif

/// Keeps a value alive so that the optimiser cannot drop the work that produced it.
@inline(never) @_optimize(none)
func blackHole<T>(_ value: T) {}

/// The cache tiers of `runtime/WorkerCache`, in this process: worker hit, Redis hit (each encoding), miss; beside
/// a bare dictionary lookup and a bare Redis GET on the same kind of connection.
extension Runner {
    func cache() async throws {
        progress.begin("cache: worker tier (\(counts.cacheOperations) lookups)")
        let value = OrganisationRecord.sample(42)
        let section = "cache tiers (runtime/WorkerCache, in-process)"

        // Floor of a worker hit: a dictionary lookup under a lock.
        let dictionary = Mutex<[String: OrganisationRecord]>([:])
        for i in 0..<1_000 { dictionary.withLock { $0["ORG-\(i)"] = OrganisationRecord.sample(i) } }
        let keys = (0..<1_000).map { "ORG-\($0)" }
        var samples: [Double] = []
        samples.reserveCapacity(counts.cacheOperations)
        for i in 0..<counts.cacheOperations + counts.warmup(counts.cacheOperations) {
            let key = keys[i % keys.count]
            let start = Monotonic.now()
            let found = dictionary.withLock { $0[key] }
            let elapsed = Monotonic.microseconds(since: start)
            blackHole(found)
            if i >= counts.warmup(counts.cacheOperations) { samples.append(elapsed) }
        }
        let dictionaryFloor = Figure(
            id: "floor.dictionary", section: section, label: "floor: Dictionary lookup under a Mutex",
            unit: "µs", summary: Summary(samples))
        report.add(dictionaryFloor)

        let memory = ReadThroughCache<OrganisationRecord>(settings: CacheSettings(capacity: 10_000, ttlSeconds: 300))
        for i in 0..<1_000 { _ = try await memory.get(keys[i]) { OrganisationRecord.sample(i) } }
        samples.removeAll(keepingCapacity: true)
        for i in 0..<counts.cacheOperations + counts.warmup(counts.cacheOperations) {
            let key = keys[i % keys.count]
            let start = Monotonic.now()
            let lookup = try await memory.get(key) { nil }
            let elapsed = Monotonic.microseconds(since: start)
            guard lookup?.outcome == .workerHit else { throw ProcessFailure(description: "expected a worker hit") }
            if i >= counts.warmup(counts.cacheOperations) { samples.append(elapsed) }
        }
        report.add(
            Figure(
                id: "cache.worker-hit", section: section, label: "worker hit (ReadThroughCache.get)", unit: "µs",
                summary: Summary(samples),
                note: "LRU+TTL under a Mutex, 1,000 keys, timings of each tier measured inside get"
            )
            .against(dictionaryFloor))

        samples.removeAll(keepingCapacity: true)
        let misses = counts.redisOperations
        for i in 0..<misses + counts.warmup(misses) {
            let start = Monotonic.now()
            let lookup = try await memory.get("MISS-\(i)") { value }
            let elapsed = Monotonic.microseconds(since: start)
            guard lookup?.outcome == .miss else { throw ProcessFailure(description: "expected a miss") }
            if i >= counts.warmup(misses) { samples.append(elapsed) }
        }
        report.add(
            Figure(
                id: "cache.miss-memory", section: section, label: "miss, no Redis (store answers at once)", unit: "µs",
                summary: Summary(samples),
                note:
                    "lookup + load + fill; the reference store then adds its own latency (constant:3 ms by default, simulated)"
            )
            .against(dictionaryFloor))

        guard let redisServer = which("redis-server") else {
            problem("redis-server is not installed: the Redis tier was not measured")
            return
        }
        progress.begin("cache: Redis tier on a private redis-server (\(counts.redisOperations) lookups per figure)")
        let port = try startRedis(redisServer)
        let url = "redis://127.0.0.1:\(port)"

        // Floor of a Redis hit: a bare GET of the same bytes on the same kind of connection (hiredis, RedisTier).
        let raw = RedisTier(url: RedisURL(host: "127.0.0.1", port: port), keyPrefix: "bench-raw")
        let defaultEncoding = CacheSettings().valueEncoding
        let encoded = try defaultEncoding.encode(value)
        try raw.set("k", value: encoded, ttlMs: 600_000)
        samples.removeAll(keepingCapacity: true)
        for i in 0..<counts.redisOperations + counts.warmup(counts.redisOperations) {
            let start = Monotonic.now()
            let bytes = try raw.get("k")
            let elapsed = Monotonic.microseconds(since: start)
            guard bytes == encoded else { throw ProcessFailure(description: "redis GET returned something else") }
            if i >= counts.warmup(counts.redisOperations) { samples.append(elapsed) }
        }
        let redisFloor = Figure(
            id: "floor.redis", section: section, label: "floor: bare Redis GET (hiredis)", unit: "µs",
            summary: Summary(samples),
            note:
                "RedisTier.get of the \(encoded.count)-byte \(defaultEncoding.rawValue) value: one round trip to redis-server on loopback"
        )
        report.add(redisFloor)

        for encoding in CacheValueEncoding.allCases {
            var settings = CacheSettings(
                capacity: 10_000, ttlSeconds: 300, redisURL: url,
                keyPrefix: "bench-\(encoding.rawValue)", valueEncoding: encoding)
            settings.redisTimeoutMs = 1_000
            let cache = ReadThroughCache<OrganisationRecord>(settings: settings)
            _ = try await cache.get("ORG-42") { value }
            samples.removeAll(keepingCapacity: true)
            for i in 0..<counts.redisOperations + counts.warmup(counts.redisOperations) {
                cache.clearWorkerTier()
                let start = Monotonic.now()
                let lookup = try await cache.get("ORG-42") { nil }
                let elapsed = Monotonic.microseconds(since: start)
                guard lookup?.outcome == .sharedHit, lookup?.value == value else {
                    throw ProcessFailure(
                        description:
                            "expected a shared hit (\(encoding)): \(String(describing: lookup?.outcome)) \(cache.stats)"
                    )
                }
                if i >= counts.warmup(counts.redisOperations) { samples.append(elapsed) }
            }
            let size = try encoding.encode(value).count
            report.add(
                Figure(
                    id: "cache.redis-hit.\(encoding.rawValue)", section: section,
                    label:
                        "Redis hit, \(encoding.rawValue)\(encoding == CacheSettings().valueEncoding ? " (default)" : "")",
                    unit: "µs", summary: Summary(samples),
                    note: "\(size) bytes in Redis; GET + decode + fill of the worker tier"
                )
                .against(redisFloor))

            samples.removeAll(keepingCapacity: true)
            for i in 0..<counts.redisOperations + counts.warmup(counts.redisOperations) {
                let start = Monotonic.now()
                let lookup = try await cache.get("MISS-\(encoding.rawValue)-\(i)") { value }
                let elapsed = Monotonic.microseconds(since: start)
                guard lookup?.outcome == .miss else { throw ProcessFailure(description: "expected a miss") }
                if i >= counts.warmup(counts.redisOperations) { samples.append(elapsed) }
            }
            report.add(
                Figure(
                    id: "cache.miss-redis.\(encoding.rawValue)", section: section,
                    label: "miss with Redis, \(encoding.rawValue) (store answers at once)", unit: "µs",
                    summary: Summary(samples),
                    note: encoding == defaultEncoding
                        ? "GET (nil) + load + fill + SET PX: two round trips; the store's own latency comes on top"
                        : nil
                )
                .against(redisFloor))
        }
    }

    /// Starts a private redis-server on a free loopback port (no persistence) through fnhost-launch, so that it
    /// dies with the runner; waits until it answers PING.
    func startRedis(_ path: String) throws -> Int {
        let port = try freeLoopbackPort()
        let lifeline = try Pipe()
        let child = try Child.spawn(
            build + "/fnhost-launch",
            [
                path, "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize",
                "no",
                "--loglevel", "warning",
            ],
            stdin: .fd(lifeline.read), stdout: .null, stderr: .null, newGroup: true, label: "redis-server")
        lifeline.closeRead()
        atEnd {
            child.stop(graceMs: 2_000)
            lifeline.closeWrite()
        }
        let probe = RedisTier(
            url: RedisURL(host: "127.0.0.1", port: port), keyPrefix: "bench-probe",
            backoff: ReconnectBackoff(initial: .milliseconds(10), maximum: .milliseconds(10)))
        let deadline = Monotonic.now() + 10_000_000_000
        while Monotonic.now() < deadline {
            if (try? probe.ping()) != nil { return port }
            if child.hasExited() { throw ProcessFailure(description: "redis-server exited at start (port \(port))") }
            usleep(10_000)
        }
        throw ProcessFailure(description: "redis-server did not answer on port \(port)")
    }
}
