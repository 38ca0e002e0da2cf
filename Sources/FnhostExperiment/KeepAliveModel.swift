import FnhostSimulation
import FnhostWire
import Foundation

/// The model printed beside the keep-alive sweep: a seeded discrete-event simulation of the same pool fnhost runs
/// (scale per request: a request takes the most recently used warm worker, else starts one; a worker idle for the
/// keep-alive is gone), under Poisson arrivals, with service times drawn from measured ones.
///
/// Each run draws its own arrivals and service times; many seeded runs give the median and a band (the 0.5th to
/// 99.5th percentile) of the cold-start fraction and of the time-weighted mean number of workers. A measured level
/// outside the band differs beyond the model's uncertainty. The model has no concurrency limit and treats service
/// times as independent draws: with keep-alive 0 every request is cold; as the keep-alive grows, the cold fraction
/// falls towards the number of workers the peak load needs over the number of requests.
public enum KeepAliveModel {
    /// The model's figures for one keep-alive setting.
    public struct Prediction: Sendable, Codable, Equatable {
        public var coldStartFraction: Double
        public var coldStartFractionLow: Double
        public var coldStartFractionHigh: Double
        public var meanWorkers: Double
        public var meanWorkersLow: Double
        public var meanWorkersHigh: Double
        public var runs: Int
        /// Which service times the model drew from (the level's own measurements, or the calibration's).
        public var serviceTimes: String
    }

    /// One run's outcome.
    public struct Run: Sendable, Equatable {
        public var requests: Int
        public var coldStarts: Int
        /// Time-weighted mean of workers alive (starting, busy or idle within the keep-alive) from the first
        /// arrival's time origin to the last completion.
        public var meanWorkers: Double
        public var coldStartFraction: Double { requests > 0 ? Double(coldStarts) / Double(requests) : 0 }
    }

    /// Percentiles of the band, in percent.
    public static let band = (low: 0.5, high: 99.5)

    /// `runs` seeded simulations of `duration` simulated seconds at `rate` requests per second.
    /// - Parameters:
    ///   - warmServiceMs / coldServiceMs: simulated ms a worker is busy with a warm request, and with a cold one
    ///     from its start (non-empty).
    public static func predict(
        rate: Double, duration: Double, keepAlive: Double, warmServiceMs: [Double], coldServiceMs: [Double],
        seed: UInt64, runs: Int = 400, serviceTimes: String
    ) -> Prediction {
        var cold: [Double] = []
        var workers: [Double] = []
        for i in 0..<max(1, runs) {
            var generator = SeededGenerator(seed: seed, stream: "model/keep-alive/\(i)")
            let r = simulate(
                rate: rate, duration: duration, keepAlive: keepAlive, warmServiceMs: warmServiceMs,
                coldServiceMs: coldServiceMs, using: &generator)
            cold.append(r.coldStartFraction)
            workers.append(r.meanWorkers)
        }
        cold.sort()
        workers.sort()
        return Prediction(
            coldStartFraction: Percentile.nearestRank(cold, 50),
            coldStartFractionLow: Percentile.nearestRank(cold, band.low),
            coldStartFractionHigh: Percentile.nearestRank(cold, band.high),
            meanWorkers: Percentile.nearestRank(workers, 50),
            meanWorkersLow: Percentile.nearestRank(workers, band.low),
            meanWorkersHigh: Percentile.nearestRank(workers, band.high), runs: max(1, runs),
            serviceTimes: serviceTimes)
    }

    /// One run of the pool model. Times are simulated seconds.
    public static func simulate(
        rate: Double, duration: Double, keepAlive: Double, warmServiceMs: [Double], coldServiceMs: [Double],
        using generator: inout SeededGenerator
    ) -> Run {
        precondition(!warmServiceMs.isEmpty && !coldServiceMs.isEmpty && rate > 0)
        struct Worker {
            var started: Double
            var free: Double
        }
        var busy: [Worker] = []
        // Idle workers, least recently used first (their `free` times ascend).
        var idle: [Worker] = []
        var workerSeconds = 0.0
        var requests = 0
        var coldStarts = 0
        var end = 0.0
        var t = 0.0
        while true {
            t += -log(1 - Double.random(in: 0..<1, using: &generator)) / rate
            if t >= duration { break }
            requests += 1
            // Workers that finished by now go idle, in the order they finished.
            let finished = busy.filter { $0.free <= t }.sorted { $0.free < $1.free }
            busy.removeAll { $0.free <= t }
            idle += finished
            // Idle workers whose keep-alive has run out are gone (exact expiry: idle time ≥ keep-alive).
            while let first = idle.first, first.free + keepAlive <= t {
                workerSeconds += first.free + keepAlive - first.started
                idle.removeFirst()
            }
            if var worker = idle.popLast() {
                worker.free = t + warmServiceMs.randomElement(using: &generator)! / 1000
                busy.append(worker)
                end = max(end, worker.free)
            } else {
                coldStarts += 1
                let worker = Worker(started: t, free: t + coldServiceMs.randomElement(using: &generator)! / 1000)
                busy.append(worker)
                end = max(end, worker.free)
            }
        }
        // What is left lives until its keep-alive runs out, observed until the last completion.
        for worker in busy + idle { workerSeconds += max(0, min(end, worker.free + keepAlive) - worker.started) }
        return Run(requests: requests, coldStarts: coldStarts, meanWorkers: end > 0 ? workerSeconds / end : 0)
    }
}
