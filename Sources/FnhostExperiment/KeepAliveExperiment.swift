import FnhostHost
import FnhostSimulation
import FnhostTraces
import FnhostWire
import Foundation
import Synchronization

/// `fnhost experiment keep-alive`: open-loop Poisson arrivals at a rate λ for a while, once per keep-alive
/// setting, to show the trade-off every FaaS platform tunes: a short keep-alive means cold starts, a long one
/// means idle workers holding memory for nothing.
///
/// Arrival times, keep-alives and the simulated delays run on the simulated clock scaled by the time scale; the
/// functions' own work is real and not scaled, so a ``TimelineCalibration`` first measures it and chooses (or
/// checks) the time scale. Each level is compared with ``KeepAliveModel`` fed with the level's measured service
/// times, and the machine's CPU is measured around it (``MachineLoad``).
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
        /// True: the calibration chooses the time scale; false: the host's time scale (the user's) is kept and
        /// checked.
        public var chooseTimeScale = true
        /// The fraction by which real costs may stretch the simulated timeline.
        public var timelineTolerance = TimelineCalibration.defaultTolerance
        /// Seeded runs of the model per level.
        public var modelRuns = 400
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

    public func run(progress: @Sendable (String, Double) -> Void) async throws(ExperimentError) -> KeepAliveReport {
        progress("calibrating the timeline", 0)
        let timeline = try await TimelineCalibration.calibrate(
            host: host, function: settings.function, payload: settings.template.payload(key: 1),
            meanInterArrivalMs: 1000 / settings.rate, tolerance: settings.timelineTolerance,
            fixed: settings.chooseTimeScale ? nil : host.simulation.timeScale)
        var configuration = host
        do { configuration.simulation.timeScale = try TimeScale(timeline.timeScale) } catch {
            throw .invalid("\(error)")
        }
        var levels: [KeepAliveLevel] = []
        for (i, keepAlive) in settings.keepAlives.enumerated() {
            progress(
                "keep-alive \(keepAlive) s at time scale \(configuration.simulation.timeScale)",
                Double(i) / Double(settings.keepAlives.count))
            levels.append(try await runLevel(keepAlive: keepAlive, configuration: configuration, timeline: timeline))
        }
        progress("done", 1)
        return KeepAliveReport(
            function: settings.function, arrivalRatePerSecond: settings.rate, durationSeconds: settings.duration,
            seed: host.simulation.seed, profile: host.simulation.profile, timeScale: timeline.timeScale,
            timeline: timeline, levels: levels, notes: Self.notes(levels, timeline: timeline))
    }

    /// Why flagged levels differ from the model, and what a saturated level means.
    static func notes(_ levels: [KeepAliveLevel], timeline: TimelineCalibration) -> [String] {
        var notes: [String] = []
        if let note = MachineLoad.saturationNote(
            levels.map { ("keep-alive \(TextTable.fixed($0.keepAliveSeconds, 1)) s", $0.machine) })
        {
            notes.append(note)
        }
        for level in levels where level.deviates {
            var causes: [String] = []
            if level.machine.isSaturated {
                causes.append(
                    "the machine was saturated, so real costs grew past the calibration's and held workers longer")
            }
            if !timeline.holds {
                causes.append(
                    "the time scale stretches real costs on the pool's timeline (see the timeline lines), so workers "
                        + "stay busy longer than their measured service times and more of them start")
            }
            if level.errors > 0 { causes.append("\(level.errors) requests failed, and the model counts none") }
            if causes.isEmpty {
                causes.append(
                    "neither saturation nor a stretched timeline explains it. The model draws service times "
                        + "independently from this level's measurements and has no concurrency limit; one level in "
                        + "a hundred falls outside a 99 % band by chance, so rerun with another --seed to tell")
            }
            notes.append(
                "keep-alive \(TextTable.fixed(level.keepAliveSeconds, 1)) s differs from the model beyond its band ("
                    + level.deviations.joined(separator: "; ") + "): " + causes.joined(separator: "; and ") + ".")
        }
        return notes
    }

    static func pct(_ v: Double) -> String { HitRateReport.pct(v).trimmingCharacters(in: .whitespaces) }

    private func runLevel(
        keepAlive: Double, configuration base: HostConfiguration, timeline: TimelineCalibration
    ) async throws(ExperimentError) -> KeepAliveLevel {
        let scale = base.simulation.timeScale.factor
        var configuration = base
        configuration.keepAliveOverride = keepAlive * scale
        configuration.maxWait = .seconds(900)
        let runtime = try await FunctionHost.forExperiment(configuration, function: settings.function)
        settings.keptTraces?.keep(runtime, level: "keep-alive \(TextTable.fixed(keepAlive, 1)) s")
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
        let meter = MachineLoad.start()
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
        let machine = meter.finish()
        let cost = runtime.usage.estimatedCostUSD
        await runtime.shutdown()
        let done = results.compactMap { $0 }.filter { !$0.isError }
        let cold = done.filter(\.isColdStart).count
        let (meanWorkers, idleRealSeconds) = sampling.summary()
        // The model, fed with this level's service times (simulated ms, real parts at their real length), or the
        // calibration's where the level has too few of a kind (at keep-alive 0 no request is warm).
        let warmService = done.filter { !$0.isColdStart }.map(\.latencyMs)
        let coldService = done.filter(\.isColdStart).map(\.latencyMs)
        let enough = 10
        let model = KeepAliveModel.predict(
            rate: settings.rate, duration: settings.duration, keepAlive: keepAlive,
            warmServiceMs: warmService.count >= enough ? warmService : timeline.costs.warmServiceMs,
            coldServiceMs: coldService.count >= enough ? coldService : timeline.costs.coldServiceMs,
            seed: base.simulation.seed, runs: settings.modelRuns,
            serviceTimes:
                "warm: \(warmService.count >= enough ? "this level's \(warmService.count)" : "calibration's"), "
                + "cold: \(coldService.count >= enough ? "this level's \(coldService.count)" : "calibration's")")
        let fraction = Double(cold) / Double(max(1, done.count))
        var deviations: [String] = []
        if fraction < model.coldStartFractionLow || fraction > model.coldStartFractionHigh {
            deviations.append(
                "cold \(Self.pct(fraction)) outside \(Self.pct(model.coldStartFractionLow))–\(Self.pct(model.coldStartFractionHigh))"
            )
        }
        if meanWorkers < model.meanWorkersLow || meanWorkers > model.meanWorkersHigh {
            deviations.append(
                "mean workers \(TextTable.fixed(meanWorkers, 2)) outside \(TextTable.fixed(model.meanWorkersLow, 2))–\(TextTable.fixed(model.meanWorkersHigh, 2))"
            )
        }
        return KeepAliveLevel(
            keepAliveSeconds: keepAlive, requests: results.count, errors: results.count - done.count, coldStarts: cold,
            coldStartFraction: fraction, meanWorkers: meanWorkers,
            idleWorkerSeconds: scale > 0 ? idleRealSeconds / scale : 0, latencyMs: Percentiles(done.map(\.latencyMs)),
            estimatedCostUSD: cost, model: model, deviates: !deviations.isEmpty, deviations: deviations,
            machine: machine)
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
