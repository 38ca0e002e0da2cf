import FnhostHost
import FnhostSimulation
import FnhostWire
import Foundation
import Synchronization

/// `fnhost experiment keep-alive`: open-loop Poisson arrivals at a rate λ for a while, once per keep-alive
/// setting, to show the trade-off every FaaS platform tunes: a short keep-alive means cold starts, a long one
/// means idle workers holding memory for nothing.
///
/// Arrival times, keep-alives and the simulated delays run on the simulated clock scaled by the time scale; the
/// functions' own work is real and not scaled.
public struct KeepAliveExperiment: Sendable {
    public struct Settings: Sendable {
        public var function = "org-status"
        /// Simulated seconds.
        public var keepAlives: [Double] = [0, 1, 5, 30]
        /// Requests per simulated second.
        public var rate = 20.0
        /// Simulated seconds of arrivals per setting.
        public var duration = 60.0
        public var keys = 100
        public var template: PayloadTemplate

        public init(template: PayloadTemplate) { self.template = template }
    }

    public let host: HostConfiguration
    public let settings: Settings

    public init(host: HostConfiguration, settings: Settings) {
        self.host = host
        self.settings = settings
    }

    public func run(progress: @Sendable (String, Double) -> Void) async throws(ExperimentError) -> KeepAliveReport {
        var levels: [KeepAliveLevel] = []
        for (i, keepAlive) in settings.keepAlives.enumerated() {
            progress("keep-alive \(keepAlive) s", Double(i) / Double(settings.keepAlives.count))
            levels.append(try await runLevel(keepAlive: keepAlive))
        }
        progress("done", 1)
        return KeepAliveReport(
            function: settings.function, arrivalRatePerSecond: settings.rate, durationSeconds: settings.duration,
            seed: host.simulation.seed, profile: host.simulation.profile, timeScale: host.simulation.timeScale.factor,
            levels: levels)
    }

    private func runLevel(keepAlive: Double) async throws(ExperimentError) -> KeepAliveLevel {
        let scale = host.simulation.timeScale.factor
        var configuration = host
        configuration.keepAliveOverride = keepAlive * scale
        configuration.maxWait = .seconds(900)
        let runtime = try await FunctionHost.forExperiment(configuration, function: settings.function)
        // Arrival times (simulated seconds), the same for every keep-alive setting.
        var generator = SeededGenerator(seed: host.simulation.seed, stream: "experiment/arrivals")
        var arrivals: [(at: Double, key: Int)] = []
        var t = 0.0
        while true {
            t += -log(1 - Double.random(in: 0..<1, using: &generator)) / settings.rate
            if t >= settings.duration { break }
            arrivals.append((t, Int.random(in: 1...settings.keys, using: &generator)))
        }
        let clock = ContinuousClock()
        let start = clock.now
        let sampling = PoolSampler()
        let sampler = Task {
            while !Task.isCancelled {
                if let s = await runtime.poolSnapshot(settings.function) {
                    sampling.add(workers: s.idle + s.busy + s.starting, idle: s.idle, at: clock.now - start)
                }
                try? await Task.sleep(for: .milliseconds(5))
            }
        }
        let results: [InvocationResult?] = await withTaskGroup(of: InvocationResult?.self) { group in
            for arrival in arrivals {
                group.addTask { [settings] in
                    try? await Task.sleep(until: start + .nanoseconds(Int64(arrival.at * scale * 1e9)), clock: clock)
                    return try? await runtime.invoke(
                        settings.function, payload: settings.template.payload(key: arrival.key))
                }
            }
            var all: [InvocationResult?] = []
            for await r in group { all.append(r) }
            return all
        }
        sampler.cancel()
        _ = await sampler.result
        let cost = runtime.usage.estimatedCostUSD
        await runtime.shutdown()
        let done = results.compactMap { $0 }.filter { !$0.isError }
        let cold = done.filter(\.isColdStart).count
        let (meanWorkers, idleRealSeconds) = sampling.summary()
        return KeepAliveLevel(
            keepAliveSeconds: keepAlive, requests: results.count, errors: results.count - done.count, coldStarts: cold,
            coldStartFraction: Double(cold) / Double(max(1, done.count)), meanWorkers: meanWorkers,
            idleWorkerSeconds: scale > 0 ? idleRealSeconds / scale : 0, latencyMs: Percentiles(done.map(\.latencyMs)),
            estimatedCostUSD: cost)
    }
}

/// Time-weighted samples of a pool's size.
final class PoolSampler: Sendable {
    private struct State {
        var last: (workers: Int, idle: Int, at: Duration)?
        var workerTime = 0.0
        var idleTime = 0.0
        var span = 0.0
    }
    private let state = Mutex(State())

    func add(workers: Int, idle: Int, at: Duration) {
        state.withLock { s in
            if let last = s.last {
                let dt = (at - last.at).inMilliseconds / 1000
                s.workerTime += Double(last.workers) * dt
                s.idleTime += Double(last.idle) * dt
                s.span += dt
            }
            s.last = (workers, idle, at)
        }
    }

    /// Mean workers alive, and idle worker-seconds (real time).
    func summary() -> (Double, Double) {
        state.withLock { s in (s.span > 0 ? s.workerTime / s.span : 0, s.idleTime) }
    }
}
