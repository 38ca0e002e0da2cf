import FnhostHost
import FnhostSimulation
import FnhostTraces
import FnhostWire
import Synchronization
import WorkerCache

/// `fnhost experiment cache-hit-rate`: closed-loop clients against real worker processes at growing concurrency,
/// with and without a shared Redis tier, measured beside the model's prediction. A ``TimelineCalibration`` first
/// chooses (or checks) the time scale, and the machine's CPU is measured around every level (``MachineLoad``).
public struct CacheHitRateExperiment: Sendable {
    public struct Settings: Sendable {
        public var function = "org-status"
        public var levels = [1, 2, 4, 8, 16, 32, 64]
        public var requests = 1_000
        public var keys = 100
        public var distribution = KeyDistribution.uniform
        public var thinkTimeMs = 0.0
        public var template: PayloadTemplate
        /// Percentage points between measurement and model beyond which a level is flagged.
        public var tolerancePoints = 3.0
        /// Worker cache capacity; nil = unbounded (at least the key count).
        public var capacity: Int?
        /// True: the calibration chooses the time scale; false: the host's time scale (the user's) is kept and
        /// checked.
        public var chooseTimeScale = true
        /// The fraction by which real costs may stretch the simulated timeline.
        public var timelineTolerance = TimelineCalibration.defaultTolerance
        /// Where each level's slowest traces are kept (`--keep-traces N`); nil: none.
        public var keptTraces: SlowestTraces?

        public init(template: PayloadTemplate) { self.template = template }
    }

    public let host: HostConfiguration
    public let settings: Settings

    public init(host: HostConfiguration, settings: Settings) {
        self.host = host
        self.settings = settings
    }

    /// Runs every level in both modes (the shared one only with a Redis URL); `progress` hears each step.
    public func run(progress: @Sendable (String, Double) -> Void) async throws(ExperimentError) -> HitRateReport {
        progress("calibrating the timeline", 0)
        var host = self.host
        host.redisURL = nil
        let timeline = try await TimelineCalibration.calibrate(
            host: host, function: settings.function, payload: settings.template.payload(key: 1),
            meanInterArrivalMs: settings.thinkTimeMs > 0 ? settings.thinkTimeMs : nil,
            tolerance: settings.timelineTolerance, fixed: settings.chooseTimeScale ? nil : host.simulation.timeScale)
        host = self.host
        do { host.simulation.timeScale = try TimeScale(timeline.timeScale) } catch { throw .invalid("\(error)") }
        let keys = KeySampler(keys: settings.keys, distribution: settings.distribution)
            .sequence(count: settings.requests, seed: host.simulation.seed)
        var modes: [CacheMode] = [.perWorker]
        var notes: [String] = []
        var redis: RedisTier?
        if let url = host.redisURL {
            do {
                let tier = RedisTier(
                    url: try RedisURL(url), keyPrefix: "fnhost:\(settings.function):", timeoutMs: 1_000)
                try tier.ping()
                redis = tier
                modes.append(.shared)
            } catch {
                throw .redis(
                    "cannot reach \(url): \(error). Start redis-server, or run without --redis for the per-worker mode only"
                )
            }
        } else {
            notes.append(
                "The per-worker+redis mode did not run: give --redis redis://127.0.0.1:6379 (or set FNHOST_REDIS_URL) to add the shared tier."
            )
        }
        var levels: [HitRateLevel] = []
        let steps = Double(modes.count * settings.levels.count)
        for mode in modes {
            for concurrency in settings.levels {
                progress("\(mode.rawValue) C=\(concurrency)", Double(levels.count) / steps)
                if mode == .shared { _ = try? redis?.clearPrefix() }
                levels.append(try await runLevel(host, mode: mode, concurrency: concurrency, keys: keys))
            }
        }
        progress("done", 1)
        let lowShared = levels.filter {
            $0.mode == .shared && $0.deviates && $0.overallHitRate < $0.predictedOverallHitRate
        }
        if !lowShared.isEmpty {
            notes.append(
                "At C = \(lowShared.map { String($0.concurrency) }.joined(separator: ", ")) the shared tier hit less "
                    + "than the model: the model counts one miss per new key, but requests for the same new key that arrive "
                    + "together all miss (nothing coalesces them), and each goes to the reference store.")
        }
        let uneven = levels.filter {
            $0.mode == .perWorker && $0.deviates && $0.overallHitRate > $0.predictedOverallHitRate
        }
        if !uneven.isEmpty {
            notes.append(
                "At C = \(uneven.map { String($0.concurrency) }.joined(separator: ", ")) the worker caches hit more "
                    + "than the model: the workers that finished starting first served more than their N/C share while the "
                    + "others were still starting, and a busier worker's cache hits more. The model spreads requests evenly."
            )
        }
        if let note = MachineLoad.saturationNote(levels.map { ("\($0.mode.rawValue) C=\($0.concurrency)", $0.machine) })
        {
            notes.append(note)
        }
        let errors = levels.filter { $0.errors > 0 }
        if !errors.isEmpty {
            notes.append(
                "Some requests failed (\(errors.map { "\($0.mode.rawValue) C=\($0.concurrency): \($0.errors)" }.joined(separator: "; "))): "
                    + "their hit rates count them as misses. On a small machine, many workers starting at once can overrun a "
                    + "function's timeout; fewer --levels or a release build help.")
        }
        return HitRateReport(
            function: settings.function, keys: settings.keys, requests: settings.requests,
            distribution: settings.distribution.description, thinkTimeMs: settings.thinkTimeMs,
            seed: host.simulation.seed,
            profile: host.simulation.profile, timeScale: timeline.timeScale, timeline: timeline, redis: host.redisURL,
            tolerancePoints: settings.tolerancePoints, levels: levels, notes: notes)
    }

    private func runLevel(_ host: HostConfiguration, mode: CacheMode, concurrency: Int, keys: [Int])
        async throws(ExperimentError) -> HitRateLevel
    {
        var configuration = host
        configuration.redisURL = mode == .shared ? host.redisURL : nil
        configuration.maxWait = .seconds(900)
        configuration.defaultConcurrency = max(host.defaultConcurrency, concurrency)
        configuration.keepAliveOverride = 3_600
        configuration.workerEnvironment["FNHOST_CACHE_CAPACITY"] = String(
            settings.capacity ?? max(settings.keys, 10_000))
        configuration.workerEnvironment["FNHOST_CACHE_TTL_SECONDS"] = "86400"
        let runtime = try await FunctionHost.forExperiment(configuration, function: settings.function)
        settings.keptTraces?.keep(runtime, level: "\(mode.rawValue) C=\(concurrency)")
        let next = Dispenser()
        let timeScale = configuration.simulation.timeScale
        let clock = ContinuousClock()
        let meter = MachineLoad.start()
        let started = clock.now
        let results: [InvocationResult?] = await withTaskGroup(of: [InvocationResult?].self) { group in
            for _ in 0..<concurrency {
                group.addTask { [settings] in
                    var mine: [InvocationResult?] = []
                    while true {
                        let i = next.take()
                        guard i < keys.count else { break }
                        let r = try? await runtime.invoke(
                            settings.function, payload: settings.template.payload(key: keys[i]))
                        mine.append(r)
                        if settings.thinkTimeMs > 0 {
                            try? await SimulatedDelay(simulatedMs: settings.thinkTimeMs, timeScale: timeScale).sleep()
                        }
                    }
                    return mine
                }
            }
            var all: [InvocationResult?] = []
            for await part in group { all += part }
            return all
        }
        let wall = clock.now - started
        let machine = meter.finish()
        let cost = runtime.usage.estimatedCostUSD
        await runtime.shutdown()

        let done = results.compactMap { $0 }.filter { !$0.isError }
        let errors = results.count - done.count
        var errorTypes: [String: Int] = [:]
        for r in results {
            guard let r else { errorTypes["refused", default: 0] += 1; continue }
            if case .functionError(let e) = r.outcome { errorTypes[e.errorType, default: 0] += 1 }
        }
        let n = Double(max(1, results.count))
        let workerHits = done.filter { $0.cacheOutcome == "worker-hit" }.count
        let sharedHits = done.filter { $0.cacheOutcome == "shared-hit" }.count
        let misses = done.filter { $0.cacheOutcome == "miss" }.count
        let prediction = HitRateModel.predict(
            keys: settings.keys, requests: settings.requests, workers: concurrency, distribution: settings.distribution,
            capacity: settings.capacity, shared: mode == .shared, seed: host.simulation.seed)
        let overall = Double(workerHits + sharedHits) / n
        let seconds = wall.inMilliseconds / 1000
        return HitRateLevel(
            mode: mode, concurrency: concurrency, requests: results.count, errors: errors, errorTypes: errorTypes,
            workersStarted: Set(done.compactMap(\.workerName)).count, coldStarts: done.filter(\.isColdStart).count,
            workerHitRate: Double(workerHits) / n, sharedHitRate: Double(sharedHits) / n, overallHitRate: overall,
            predictedWorkerHitRate: prediction.workerHitRate, predictedOverallHitRate: prediction.overallHitRate,
            modelMethod: prediction.method, referenceStoreCalls: misses,
            latencyMs: Percentiles(done.map(\.latencyMs)),
            measuredLatencyMs: Percentiles(done.map(\.measuredLatencyMs)),
            throughputPerSecond: Double(results.count) / max(seconds, 1e-9), estimatedCostUSD: cost,
            deviates: abs(overall - prediction.overallHitRate) * 100 > settings.tolerancePoints, machine: machine)
    }
}

/// Hands out consecutive request numbers to concurrent clients.
final class Dispenser: Sendable {
    private let value = Atomic<Int>(0)
    func take() -> Int { value.wrappingAdd(1, ordering: .relaxed).oldValue }
}

extension FunctionHost {
    /// A fresh host for one level of an experiment (a fresh pool), quiet, and known to serve `function`.
    static func forExperiment(_ configuration: HostConfiguration, function: String) async throws(ExperimentError)
        -> FunctionHost
    {
        let runtime: FunctionHost
        do { runtime = try FunctionHost(configuration: configuration, sink: DiscardingLogSink()) } catch {
            throw .host("\(error)")
        }
        guard runtime.functions[function] != nil else {
            await runtime.shutdown()
            throw .invalid("no function \(function) in \(configuration.functionsDirectory)")
        }
        return runtime
    }
}
