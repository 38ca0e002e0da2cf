import FnhostHost
import FnhostWire

/// Latency percentiles in milliseconds.
public struct Percentiles: Sendable, Codable, Equatable {
    public var p50: Double
    public var p95: Double
    public var p99: Double

    public init(_ values: [Double]) {
        let sorted = values.sorted()
        p50 = Percentile.nearestRank(sorted, 50)
        p95 = Percentile.nearestRank(sorted, 95)
        p99 = Percentile.nearestRank(sorted, 99)
    }
}

/// Which cache tiers an experiment level ran with.
public enum CacheMode: String, Sendable, Codable, CaseIterable {
    /// Each worker's own memory only.
    case perWorker = "per-worker"
    /// Worker memory with a shared Redis behind it.
    case shared = "per-worker+redis"
}

/// What one concurrency level measured, beside what the model predicted.
public struct HitRateLevel: Sendable, Codable, Equatable {
    public var mode: CacheMode
    public var concurrency: Int
    public var requests: Int
    public var errors: Int
    /// How the failed requests failed: function error types, or `refused` for a service error.
    public var errorTypes: [String: Int]
    public var workersStarted: Int
    public var coldStarts: Int
    /// Measured: hits in the worker's own memory / requests.
    public var workerHitRate: Double
    /// Measured: hits in Redis / requests.
    public var sharedHitRate: Double
    /// Measured: hits in any tier / requests.
    public var overallHitRate: Double
    public var predictedWorkerHitRate: Double
    public var predictedOverallHitRate: Double
    public var modelMethod: String
    /// Requests the reference store answered (the misses).
    public var referenceStoreCalls: Int
    /// Caller latency, measured plus simulated (the profile's delays, in simulated ms).
    public var latencyMs: Percentiles
    /// Caller latency, measured only.
    public var measuredLatencyMs: Percentiles
    /// Measured: requests per second of wall-clock time (sleeps for simulated delays included, scaled).
    public var throughputPerSecond: Double
    /// Requests plus GB-seconds at Lambda's prices, every function of the run together.
    public var estimatedCostUSD: Double
    /// True when measured and predicted overall hit rates differ by more than the tolerance.
    public var deviates: Bool
    /// Measured: the machine's CPUs while the level's requests ran.
    public var machine: MachineLoad
}

/// The whole cache-hit-rate sweep: its settings and its levels.
public struct HitRateReport: Sendable, Codable, Equatable {
    public var experiment = "cache-hit-rate"
    public var function: String
    public var keys: Int
    public var requests: Int
    public var distribution: String
    public var thinkTimeMs: Double
    public var seed: UInt64
    public var profile: String?
    /// The time scale the levels ran at (chosen or checked by the calibration).
    public var timeScale: Double
    /// The real costs measured before the levels, and how the time scale was decided.
    public var timeline: TimelineCalibration
    public var redis: String?
    /// Percentage points beyond which a level is flagged.
    public var tolerancePoints: Double
    public var levels: [HitRateLevel]
    /// Said when the shared mode did not run, and how to run it.
    public var notes: [String]
}

/// One keep-alive setting's outcome.
public struct KeepAliveLevel: Sendable, Codable, Equatable {
    /// Simulated seconds an idle worker was kept.
    public var keepAliveSeconds: Double
    public var requests: Int
    public var errors: Int
    public var coldStarts: Int
    public var coldStartFraction: Double
    /// Time-weighted mean number of workers alive (simulated time).
    public var meanWorkers: Double
    /// Worker-seconds spent idle (simulated): the memory a keep-alive policy holds for nothing.
    public var idleWorkerSeconds: Double
    public var latencyMs: Percentiles
    public var estimatedCostUSD: Double
    /// The pool model's figures for this setting, fed with this level's measured service times.
    public var model: KeepAliveModel.Prediction
    /// True when the cold-start fraction or the mean number of workers lies outside the model's band.
    public var deviates: Bool
    /// What lies outside the model's band, in words.
    public var deviations: [String]
    /// Measured: the machine's CPUs while the level ran.
    public var machine: MachineLoad
}

/// The keep-alive sweep.
public struct KeepAliveReport: Sendable, Codable, Equatable {
    public var experiment = "keep-alive"
    public var function: String
    public var arrivalRatePerSecond: Double
    public var durationSeconds: Double
    public var seed: UInt64
    public var profile: String?
    /// The time scale the levels ran at (chosen or checked by the calibration).
    public var timeScale: Double
    /// The real costs measured before the levels, and how the time scale was decided.
    public var timeline: TimelineCalibration
    public var levels: [KeepAliveLevel]
    /// Why flagged levels differ from the model, and which levels saturated the machine.
    public var notes: [String]
}
