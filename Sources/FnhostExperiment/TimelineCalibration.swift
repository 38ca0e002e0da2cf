import FnhostHost
import FnhostSimulation
import FnhostWire
import Foundation

/// Keeps an experiment's simulated timeline faithful to the real costs the time scale cannot compress.
///
/// A time scale `s` shrinks every simulated delay, arrival gap and keep-alive to `s` of its length, but a worker's
/// real work (spawn and init, the HTTP hops, the function's own CPU) takes as long as it takes: on the simulated
/// timeline a real cost `c` occupies `c / s` where it should occupy `c`, a stretch of `c · (1/s − 1)`. At time scale
/// 0.05 a 25 ms init holds its worker for 500 simulated ms, and requests arriving meanwhile start more workers.
///
/// ``calibrate(host:function:payload:meanInterArrivalMs:tolerance:timeScale:)`` measures those costs on a fresh pool
/// (cold starts at keep-alive 0, then warm invocations, nothing slept), then either chooses the smallest time scale
/// at which the stretch stays within `tolerance` of the simulated warm service time, of the simulated cold start and
/// of the mean inter-arrival time, or, when the user fixed the time scale, says whether it holds and by how much it
/// does not. Latencies are unaffected either way: they count real costs at their real length (measured) plus the
/// simulated delays.
///
/// Any experiment calls it once before its levels:
/// ```swift
/// let timeline = try await TimelineCalibration.calibrate(
///     host: configuration, function: "org-status", payload: template.payload(key: 1), meanInterArrivalMs: 200)
/// configuration.simulation.timeScale = try TimeScale(timeline.timeScale)
/// print(timeline.lines.joined(separator: "\n"))
/// ```
public struct TimelineCalibration: Sendable, Codable, Equatable {
    /// How the time scale of the run was decided.
    public enum Decision: String, Sendable, Codable {
        /// The experiment chose the smallest time scale that keeps the stretch within the tolerance.
        case chosen
        /// The user fixed the time scale and it keeps the stretch within the tolerance.
        case holds
        /// The user fixed a time scale below the required one: the pool's timeline is stretched beyond the tolerance.
        case stretched
    }

    /// What the calibration measured, in milliseconds (real ones measured, simulated ones drawn from the profile).
    public struct Costs: Sendable, Codable, Equatable {
        public var coldStarts: Int
        public var warmInvocations: Int
        /// Measured: median real latency of a warm invocation (the hops and the function's work, nothing slept).
        public var warmRealMs: Double
        /// Measured: median real latency a cold invocation adds to a warm one (spawn and init of the function and of
        /// any function it calls, as at keep-alive 0).
        public var coldExtraRealMs: Double
        /// Simulated: median simulated delay of a warm invocation (invoke overheads, reference store, nested calls).
        public var warmSimulatedMs: Double
        /// Simulated: median simulated delay a cold invocation adds to a warm one (the profile's cold starts).
        public var coldExtraSimulatedMs: Double
        /// Measured: CPU of the host and its workers per warm invocation.
        public var warmCPUMs: Double
        /// Measured: CPU of the host and its workers per cold invocation.
        public var coldCPUMs: Double
        /// Service times of the warm invocations (simulated ms: measured + simulated), for models.
        public var warmServiceMs: [Double]
        /// Service times of the cold invocations, cold start included (simulated ms: measured + simulated).
        public var coldServiceMs: [Double]
    }

    public var function: String
    public var costs: Costs
    /// The stated fraction: real costs may stretch a simulated quantity by at most this share of it.
    public var tolerance: Double
    /// The mean simulated gap between arrivals the stretch is compared with (nil in closed-loop runs).
    public var meanInterArrivalMs: Double?
    /// The smallest time scale that keeps every stretch within the tolerance (1 at most: real time never stretches).
    public var requiredTimeScale: Double
    /// The time scale the run uses.
    public var timeScale: Double
    public var decision: Decision
    /// Simulated ms by which real costs stretch a warm invocation at ``timeScale`` (nil: unbounded, at time scale 0,
    /// where nothing is slept and the timeline is real costs only).
    public var warmStretchMs: Double?
    /// Simulated ms by which real costs stretch a cold start at ``timeScale`` (nil: unbounded).
    public var coldStretchMs: Double?
    /// What to print above the experiment's table.
    public var lines: [String]

    /// Calibration sleeps for nothing: it measures only the real costs (simulated delays are still drawn).
    static let noSleep = try! TimeScale(0)

    /// The stretch tolerance experiments use unless told otherwise.
    public static let defaultTolerance = 0.1

    /// Measures the real costs of `function` on a fresh pool and decides the time scale.
    /// - Parameters:
    ///   - host: the experiment's host settings (profile, seed, functions); its time scale is not used.
    ///   - payload: an event the function answers without error.
    ///   - meanInterArrivalMs: the mean simulated gap between arrivals, for open-loop experiments.
    ///   - tolerance: the fraction each stretch must stay within.
    ///   - fixed: the time scale the user gave, to validate; nil lets the calibration choose.
    ///   - coldStarts / warmInvocations: how many of each to measure.
    public static func calibrate(
        host: HostConfiguration, function: String, payload: [UInt8], meanInterArrivalMs: Double? = nil,
        tolerance: Double = defaultTolerance, fixed: TimeScale? = nil, coldStarts: Int = 4, warmInvocations: Int = 16
    ) async throws(ExperimentError) -> TimelineCalibration {
        guard tolerance > 0 else { throw .invalid("the timeline tolerance must be > 0, got \(tolerance)") }
        var configuration = host
        configuration.simulation.timeScale = noSleep
        configuration.maxWait = .seconds(900)
        configuration.keepAliveOverride = 0
        let (cold, coldLoad) = try await measure(configuration, function, payload, count: coldStarts, warmUp: false)
        configuration.keepAliveOverride = 3_600
        let (warm, warmLoad) = try await measure(
            configuration, function, payload, count: warmInvocations, warmUp: true)
        guard cold.allSatisfy(\.isColdStart), warm.allSatisfy({ !$0.isColdStart }) else {
            throw .host("calibration of \(function): expected cold starts at keep-alive 0 and warm calls after")
        }
        let median = { (values: [Double]) in Percentile.nearestRank(values.sorted(), 50) }
        let warmReal = median(warm.map(\.measuredLatencyMs))
        let warmSimulated = median(warm.map(\.simulatedMs))
        let cpuMs = { (load: MachineLoad, n: Int) in
            (load.hostCPUSeconds + load.workersCPUSeconds) * 1000 / Double(max(1, n))
        }
        let costs = Costs(
            coldStarts: cold.count, warmInvocations: warm.count, warmRealMs: warmReal,
            coldExtraRealMs: max(0, median(cold.map(\.measuredLatencyMs)) - warmReal),
            warmSimulatedMs: warmSimulated,
            coldExtraSimulatedMs: max(0, median(cold.map(\.simulatedMs)) - warmSimulated),
            warmCPUMs: cpuMs(warmLoad, warm.count), coldCPUMs: cpuMs(coldLoad, cold.count),
            warmServiceMs: warm.map(\.latencyMs), coldServiceMs: cold.map(\.latencyMs))
        return decide(
            function: function, costs: costs, meanInterArrivalMs: meanInterArrivalMs, tolerance: tolerance,
            fixed: fixed)
    }

    /// The decision for measured `costs`: pure, so that it can be tested on its own.
    public static func decide(
        function: String, costs: Costs, meanInterArrivalMs: Double?, tolerance: Double, fixed: TimeScale?
    ) -> TimelineCalibration {
        // A real cost c stretches its simulated span R by c·(1/s − 1) ≤ tolerance·R  ⇔  s ≥ c / (c + tolerance·R).
        let need = { (c: Double, span: Double) in c <= 0 ? 0 : c / (c + tolerance * max(0, span)) }
        var required = max(
            need(costs.warmRealMs, costs.warmRealMs + costs.warmSimulatedMs),
            need(costs.coldExtraRealMs, costs.coldExtraRealMs + costs.coldExtraSimulatedMs))
        if let gap = meanInterArrivalMs { required = max(required, need(costs.warmRealMs, gap)) }
        required = min(1, roundUp(required))
        let scale = fixed?.factor ?? required
        let decision: Decision = fixed == nil ? .chosen : (scale >= required ? .holds : .stretched)
        let stretch = { (c: Double) -> Double? in c <= 0 ? 0 : (scale > 0 ? c * (1 / scale - 1) : nil) }
        var result = TimelineCalibration(
            function: function, costs: costs, tolerance: tolerance, meanInterArrivalMs: meanInterArrivalMs,
            requiredTimeScale: required, timeScale: scale, decision: decision,
            warmStretchMs: stretch(costs.warmRealMs), coldStretchMs: stretch(costs.coldExtraRealMs), lines: [])
        result.lines = result.describe()
        return result
    }

    /// True when the pool's timeline is within the tolerance.
    public var holds: Bool { decision != .stretched }

    private func describe() -> [String] {
        let c = costs
        let ms = { (v: Double?) in v.map { Self.format($0) + " ms" } ?? "?" }
        let pct = { (v: Double) in String(Int((v * 100).rounded())) + " %" }
        var lines = [
            "timeline: calibrated on a fresh pool of \(function) (\(c.coldStarts) cold starts at keep-alive 0, "
                + "\(c.warmInvocations) warm calls, nothing slept): real cost \(ms(c.warmRealMs)) per warm call "
                + "(CPU \(ms(c.warmCPUMs))) and \(ms(c.coldExtraRealMs)) more per cold start (CPU \(ms(c.coldCPUMs)) "
                + "per cold call), beside simulated delays of \(ms(c.warmSimulatedMs)) per warm call and "
                + "\(ms(c.coldExtraSimulatedMs)) per cold start (medians)"
        ]
        let spans =
            timeScale == 0
            ? "without bound (time scale 0 sleeps nothing: the pool's timeline is real costs only)"
            : "a warm call by \(ms(warmStretchMs)) of \(ms(c.warmRealMs + c.warmSimulatedMs)), a cold start by "
                + "\(ms(coldStretchMs)) of \(ms(c.coldExtraRealMs + c.coldExtraSimulatedMs))"
                + (meanInterArrivalMs.map { ", beside a mean inter-arrival of \(ms($0))" } ?? "")
        let bound = "at most \(pct(tolerance))"
        switch decision {
        case .chosen:
            lines.append(
                "timeline: time scale \(Self.format(timeScale)) chosen, the smallest at which real costs stretch the "
                    + "simulated timeline by \(bound): \(spans)")
        case .holds:
            lines.append(
                "timeline: time scale \(Self.format(timeScale)) given; it holds (\(Self.format(requiredTimeScale)) "
                    + "or more keeps real costs within \(bound)): \(spans)")
        case .stretched:
            lines.append(
                "timeline: WARNING time scale \(Self.format(timeScale)) given, below the \(Self.format(requiredTimeScale)) "
                    + "that keeps real costs within \(bound): they stretch \(spans). Cold starts and worker counts "
                    + "measured on this timeline are distorted; omit --time-scale to let the experiment choose")
        }
        lines.append(
            "timeline: latencies count real costs at their real length (measured) plus the simulated delays; the "
                + "time scale compresses only the simulated delays, arrival gaps, think times and keep-alives")
        return lines
    }

    /// Rounds a time scale up to two significant digits (0.5731 → 0.58).
    static func roundUp(_ v: Double) -> Double {
        guard v > 0 else { return 0 }
        let digits = pow(10, 1 - floor(log10(v)))
        return (v * digits - 1e-9).rounded(.up) / digits
    }

    static func format(_ v: Double) -> String {
        if v == 0 { return "0" }
        if abs(v) >= 100 { return String(Int(v.rounded())) }
        if abs(v) >= 10 { return String(format: "%.1f", v) }
        return String(format: v < 0.1 ? "%.3g" : "%.2f", v).replacingOccurrences(
            of: #"\.?0+$"#, with: "", options: .regularExpression)
    }

    /// Runs `count` sequential invocations on a fresh host (after one warm-up when `warmUp`), measuring the CPU of
    /// the measured ones.
    private static func measure(
        _ configuration: HostConfiguration, _ function: String, _ payload: [UInt8], count: Int, warmUp: Bool
    ) async throws(ExperimentError) -> ([InvocationResult], MachineLoad) {
        let runtime = try await FunctionHost.forExperiment(configuration, function: function)
        var results: [InvocationResult] = []
        var failure: String?
        var meter = MachineLoad.start()
        for i in 0..<(count + (warmUp ? 1 : 0)) {
            let result: InvocationResult
            do { result = try await runtime.invoke(function, payload: payload) } catch {
                failure = "\(error)"
                break
            }
            if result.isError {
                failure = String(decoding: result.payload, as: UTF8.self)
                break
            }
            if warmUp && i == 0 {
                meter = MachineLoad.start()
                continue
            }
            results.append(result)
        }
        let load = meter.finish()
        await runtime.shutdown()
        if let failure { throw .host("calibration of \(function) failed: \(failure)") }
        return (results, load)
    }
}
