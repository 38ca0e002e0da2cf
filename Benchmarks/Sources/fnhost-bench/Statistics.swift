import CBenchSpawn
import FnhostWire

/// The monotonic clock the runner times everything with (`CLOCK_MONOTONIC`, read through the vDSO).
enum Monotonic {
    /// Nanoseconds since an arbitrary fixed point.
    static func now() -> Int64 { Int64(bench_now_ns()) }

    /// Microseconds from `start` (a `now()` reading) until now.
    static func microseconds(since start: Int64) -> Double { Double(now() - start) / 1_000 }

    /// Milliseconds from `start` (a `now()` reading) until now.
    static func milliseconds(since start: Int64) -> Double { Double(now() - start) / 1_000_000 }
}

/// The summary of one series of measurements: how many, the median and the 99th percentile (nearest rank), with the
/// extremes for context.
struct Summary: Codable, Sendable, Equatable {
    var count: Int
    var median: Double
    var p99: Double
    var min: Double
    var max: Double

    /// Summarises `values`; an empty series gives zeros with `count` 0.
    init(_ values: [Double]) {
        let sorted = values.filter { $0.isFinite }.sorted()
        count = sorted.count
        guard !sorted.isEmpty else {
            median = 0; p99 = 0; min = 0; max = 0
            return
        }
        let middle = sorted.count / 2
        median = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        p99 = Percentile.nearestRank(sorted, 99)
        min = sorted[0]
        max = sorted[sorted.count - 1]
    }
}

/// How many times each kind of measurement runs: the full run, and `--quick`, which only proves that every part works.
struct Counts: Sendable {
    var httpRoundTrips: Int
    var pipeRoundTrips: Int
    var spawns: Int
    var warmInvocations: Int
    var coldStarts: Int
    var cacheOperations: Int
    var redisOperations: Int
    /// Encode + decode of the organisation record, per encoding (the cache encoding decision).
    var encodingOperations: Int
    var concurrentRounds: Int
    var wrkSeconds: Int
    var wrkWarmupSeconds: Int
    var wrkRounds: Int
    var wrkConnections: [Int]
    /// Each series is preceded by this fraction of its count, unmeasured (at least a few calls).
    var warmupFraction: Double

    static let full = Counts(
        httpRoundTrips: 5_000, pipeRoundTrips: 20_000, spawns: 200, warmInvocations: 5_000, coldStarts: 60,
        cacheOperations: 100_000, redisOperations: 5_000, encodingOperations: 20_000, concurrentRounds: 5,
        wrkSeconds: 5, wrkWarmupSeconds: 2,
        wrkRounds: 3, wrkConnections: [1, 16, 64], warmupFraction: 0.1
    )

    static let quick = Counts(
        httpRoundTrips: 50, pipeRoundTrips: 200, spawns: 5, warmInvocations: 50, coldStarts: 3,
        cacheOperations: 500, redisOperations: 50, encodingOperations: 100, concurrentRounds: 1, wrkSeconds: 1,
        wrkWarmupSeconds: 0,
        wrkRounds: 1, wrkConnections: [1, 16, 64], warmupFraction: 0.1
    )

    /// The number of unmeasured calls before a series of `count`.
    func warmup(_ count: Int) -> Int { Swift.max(3, Int(Double(count) * warmupFraction)) }
}
