/// Counters of one `ReadThroughCache` since it was created: how often each tier answered and how Redis behaved.
///
/// These let a worker report, and the host aggregate, what the caches saved and whether the shared tier was healthy.
public struct CacheStats: Sendable, Equatable, Codable {
    /// Lookups answered from worker memory.
    public var workerHits = 0
    /// Lookups answered from Redis.
    public var sharedHits = 0
    /// Lookups that went to the reference store (including those it did not find).
    public var misses = 0
    /// Misses for which the reference store had nothing (nothing was cached).
    public var notFound = 0
    /// Failed Redis operations of any kind: refused or lost connection, timeout, error reply, undecodable value.
    public var redisErrors = 0
    /// The failed Redis operations that were timeouts (a subset of `redisErrors`).
    public var redisTimeouts = 0
    /// Connections re-established after Redis had failed.
    public var redisReconnects = 0
    /// Redis operations not attempted because the connection was broken and its reconnect backoff had not elapsed.
    public var redisSkipped = 0

    public init() {}

    /// All lookups that returned (hits and misses).
    public var lookups: Int { workerHits + sharedHits + misses }
}
