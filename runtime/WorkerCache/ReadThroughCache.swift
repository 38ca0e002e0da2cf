import FnhostWire
import Synchronization

/// The two cache tiers of a worker, read through in order: worker memory, then Redis (when configured and
/// healthy), then the reference store (`load`). A miss fills both tiers.
///
/// This is what org-status and coverage put in front of their reference data, to show what a per-container cache
/// saves, how it loses hits as concurrency spreads keys over more workers, and what a shared Redis wins back.
/// Redis trouble never fails a lookup: a refused connection, a timeout, a dead server or an undecodable value is
/// counted in `stats` and the lookup carries on to the store. Errors from `load` itself are passed on.
///
/// Redis is called synchronously from the calling task (see `RedisTier` for why that is acceptable in a worker,
/// which serves one invocation at a time); every Redis operation is bounded by `CacheSettings.redisTimeoutMs`.
/// Concurrent lookups of the same missing key each call `load` (no single-flight).
public final class ReadThroughCache<Value: Codable & Sendable>: Sendable {
    public let settings: CacheSettings
    /// The shared tier, when `settings.redisURL` is set and valid.
    public let shared: RedisTier?
    /// Why the shared tier is off although a Redis URL was given, if it is.
    public let configurationError: CacheSettingsError?

    private let clock: CacheClock
    private let memory: Mutex<LRUCache<String, Value>>
    private let counts = Mutex(CacheStats())

    public convenience init(settings: CacheSettings) {
        self.init(settings: settings, clock: .monotonic)
    }

    /// - Parameter clock: the time used for the worker tier's TTL (tests move it by hand).
    public init(settings: CacheSettings, clock: CacheClock) {
        self.settings = settings
        self.clock = clock
        self.memory = Mutex(LRUCache(capacity: settings.capacity, ttl: settings.ttl))
        var shared: RedisTier?
        var configurationError: CacheSettingsError?
        if let text = settings.redisURL {
            do {
                let url = try RedisURL(text)
                shared = RedisTier(url: url, keyPrefix: settings.effectiveKeyPrefix, timeoutMs: settings.redisTimeoutMs)
            } catch {
                configurationError = .invalidRedisURL(error)
            }
        }
        self.shared = shared
        self.configurationError = configurationError
    }

    /// Hits per tier, misses, and the shared tier's errors, timeouts, reconnects and skips.
    public var stats: CacheStats {
        var stats = counts.withLock { $0 }
        if let counters = shared?.counters {
            stats.redisErrors += counters.errors
            stats.redisTimeouts += counters.timeouts
            stats.redisReconnects += counters.reconnects
            stats.redisSkipped += counters.skipped
        }
        return stats
    }

    /// Looks `key` up tier by tier; calls `load` only when neither tier has it.
    ///
    /// - Returns: the value with its outcome and the measured time in each tier, or nil when `load` found nothing
    ///   (nothing is cached then, so a later lookup asks the store again).
    public func get(
        _ key: String, load: @Sendable () async throws -> Value?
    ) async throws -> CacheLookup<Value>? {
        let timer = ContinuousClock()
        let workerStart = timer.now
        let cached = memory.withLock { $0.value(forKey: key, now: clock.now()) }
        let workerMs = workerStart.duration(to: timer.now).inMilliseconds
        if let cached {
            counts.withLock { $0.workerHits += 1 }
            return CacheLookup(value: cached, outcome: .workerHit, workerMs: workerMs, sharedMs: 0, storeMs: 0)
        }

        var sharedMs = 0.0
        if let shared {
            let sharedStart = timer.now
            let found = readShared(shared, key: key)
            sharedMs = sharedStart.duration(to: timer.now).inMilliseconds
            if let found {
                let fillStart = timer.now
                memory.withLock { _ = $0.insert(found, forKey: key, now: clock.now()) }
                counts.withLock { $0.sharedHits += 1 }
                let fillMs = fillStart.duration(to: timer.now).inMilliseconds
                return CacheLookup(
                    value: found, outcome: .sharedHit, workerMs: workerMs + fillMs, sharedMs: sharedMs, storeMs: 0)
            }
        }

        let storeStart = timer.now
        let loaded = try await load()
        let storeMs = storeStart.duration(to: timer.now).inMilliseconds
        guard let loaded else {
            counts.withLock {
                $0.misses += 1
                $0.notFound += 1
            }
            return nil
        }
        counts.withLock { $0.misses += 1 }
        let fillStart = timer.now
        memory.withLock { _ = $0.insert(loaded, forKey: key, now: clock.now()) }
        let fillMs = fillStart.duration(to: timer.now).inMilliseconds
        if let shared {
            let writeStart = timer.now
            writeShared(shared, key: key, value: loaded)
            sharedMs += writeStart.duration(to: timer.now).inMilliseconds
        }
        return CacheLookup(
            value: loaded, outcome: .miss, workerMs: workerMs + fillMs, sharedMs: sharedMs, storeMs: storeMs)
    }

    /// Forgets everything in this worker's memory (the shared tier is untouched; see `RedisTier.clearPrefix()`).
    public func clearWorkerTier() {
        memory.withLock { $0.removeAll() }
    }

    /// The value from Redis, or nil on absence or any failure (counted).
    private func readShared(_ shared: RedisTier, key: String) -> Value? {
        let bytes: [UInt8]?
        do {
            bytes = try shared.get(key)
        } catch {
            return nil  // counted by the tier
        }
        guard let bytes else { return nil }
        do {
            return try settings.valueEncoding.decode(Value.self, from: bytes)
        } catch {
            // Written by another encoding or another version of the type: count it and let the miss overwrite it.
            counts.withLock { $0.redisErrors += 1 }
            return nil
        }
    }

    private func writeShared(_ shared: RedisTier, key: String, value: Value) {
        let bytes: [UInt8]
        do {
            bytes = try settings.valueEncoding.encode(value)
        } catch {
            counts.withLock { $0.redisErrors += 1 }
            return
        }
        try? shared.set(key, value: bytes, ttlMs: Int(settings.ttl.inMilliseconds))
    }

}
