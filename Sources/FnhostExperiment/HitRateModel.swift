import FnhostSimulation

/// The model the experiment is compared with: how often a key is found in a cache that has seen `n` earlier
/// requests drawn from `K` keys.
///
/// For uniform keys, no think time and unbounded caches, a worker that serves n = N/C of the N requests hits
/// with probability 1 − K·(1 − (1 − 1/K)^n)/n (the expected number of distinct keys among n draws is
/// K·(1 − (1 − 1/K)^n); every other draw is a hit); a cache shared by all workers sees all N requests:
/// 1 − K·(1 − (1 − 1/K)^N)/N. Other settings use a seeded Monte Carlo of the same pool model.
public enum HitRateModel {
    /// Expected hit rate of one cache that sees `requests` uniform draws from `keys` keys.
    public static func uniformHitRate(keys: Int, requests: Double) -> Double {
        guard requests > 0, keys > 0 else { return 0 }
        let k = Double(keys)
        let distinct = k * (1 - pow(1 - 1 / k, requests))
        return max(0, 1 - distinct / requests)
    }

    /// Predicted worker-tier and overall hit rates at concurrency `workers`.
    public struct Prediction: Sendable, Equatable, Codable {
        /// Hits in a worker's own memory, over all requests.
        public var workerHitRate: Double
        /// Hits in any tier, over all requests (equal to the worker rate without a shared tier).
        public var overallHitRate: Double
        /// "analytic" or "monte-carlo".
        public var method: String
    }

    /// The prediction for `requests` requests spread evenly over `workers` workers, with or without a shared tier.
    public static func predict(
        keys: Int, requests: Int, workers: Int, distribution: KeyDistribution, capacity: Int?, shared: Bool,
        seed: UInt64
    ) -> Prediction {
        let c = max(1, workers)
        if case .uniform = distribution, capacity == nil || capacity! >= keys {
            let perWorker = uniformHitRate(keys: keys, requests: Double(requests) / Double(c))
            let overall = shared ? uniformHitRate(keys: keys, requests: Double(requests)) : perWorker
            return Prediction(workerHitRate: perWorker, overallHitRate: overall, method: "analytic")
        }
        return monteCarlo(
            keys: keys, requests: requests, workers: c, distribution: distribution, capacity: capacity,
            shared: shared, seed: seed)
    }

    /// Simulates the pool model: requests dealt round-robin to `workers` private caches (LRU when `capacity` is
    /// set), with an optional shared cache behind them; averaged over several seeded trials.
    static func monteCarlo(
        keys: Int, requests: Int, workers: Int, distribution: KeyDistribution, capacity: Int?, shared: Bool,
        seed: UInt64, trials: Int = 16
    ) -> Prediction {
        var workerHits = 0
        var anyHits = 0
        for trial in 0..<trials {
            var generator = SeededGenerator(seed: seed, stream: "model/\(trial)")
            let sampler = KeySampler(keys: keys, distribution: distribution)
            var caches = [LRUSet](repeating: LRUSet(capacity: capacity ?? Int.max), count: workers)
            var sharedSet = Set<Int>()
            for i in 0..<requests {
                let key = sampler.next(using: &generator)
                let w = i % workers
                if caches[w].touch(key) {
                    workerHits += 1
                    anyHits += 1
                } else if shared && sharedSet.contains(key) {
                    anyHits += 1
                }
                if shared { sharedSet.insert(key) }
            }
        }
        let total = Double(requests * trials)
        return Prediction(
            workerHitRate: Double(workerHits) / total, overallHitRate: Double(anyHits) / total, method: "monte-carlo")
    }
}

/// A set with least-recently-used eviction, for the model's per-worker caches.
struct LRUSet {
    let capacity: Int
    private var stamp: [Int: Int] = [:]
    private var clock = 0

    init(capacity: Int) { self.capacity = capacity }

    /// Returns whether `key` was present, and makes it the most recently used.
    mutating func touch(_ key: Int) -> Bool {
        clock += 1
        let hit = stamp[key] != nil
        stamp[key] = clock
        if !hit && stamp.count > capacity, let oldest = stamp.min(by: { $0.value < $1.value })?.key {
            stamp[oldest] = nil
        }
        return hit
    }
}

#if canImport(Glibc)
import Glibc
#endif
