import FnhostSimulation
import LambdaRuntime
import Synchronization

/// How long the reference store takes to answer: a distribution drawn from a seeded generator, scaled to real
/// time. It stands for the network and database time a real lookup would cost behind the cache.
///
/// From the worker's environment:
///
/// | variable | meaning | default |
/// |---|---|---|
/// | `FNHOST_REFERENCE_STORE_LATENCY` | distribution spec in ms (`constant:3`, `uniform:2..8`, `lognormal:median=4,p99=20`) | `constant:3` |
/// | `FNHOST_TIME_SCALE` | factor applied to the real sleep (0.01 = 100× faster, 0 = no sleep) | 1 |
/// | `FNHOST_SEED` | seed of the draws (a whole number) | 0 |
/// | `FNHOST_WORKER_ID` | mixed into the seed, so each worker draws its own reproducible sequence | `local` |
final class StoreLatency: Sendable {
    static let defaultSpec = "constant:3"

    let distribution: Distribution
    let timeScale: TimeScale
    /// The seed actually used, after mixing in the function and the worker.
    let streamSeed: UInt64
    private let generator: Mutex<SeededGenerator>

    init(distribution: Distribution, timeScale: TimeScale, seed: UInt64, stream: String) {
        self.distribution = distribution
        self.timeScale = timeScale
        let generator = SeededGenerator(seed: seed, stream: stream)
        self.streamSeed = generator.seed
        self.generator = Mutex(generator)
    }

    /// Reads the settings above; a value that cannot be used fails Init with `InvalidConfiguration`.
    static func fromEnvironment(_ env: [String: String], function: String) throws(HandlerError) -> StoreLatency {
        let spec = env["FNHOST_REFERENCE_STORE_LATENCY"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultSpec
        let distribution: Distribution
        do {
            distribution = try Distribution(spec: spec)
        } catch {
            throw HandlerError(
                type: "InvalidConfiguration", message: "FNHOST_REFERENCE_STORE_LATENCY: \(error.description)")
        }
        var timeScale = TimeScale.realTime
        if let text = env["FNHOST_TIME_SCALE"], !text.isEmpty {
            do {
                timeScale = try TimeScale(parsing: text)
            } catch {
                throw HandlerError(type: "InvalidConfiguration", message: "FNHOST_TIME_SCALE: \(error.description)")
            }
        }
        var seed: UInt64 = 0
        if let text = env["FNHOST_SEED"], !text.isEmpty {
            guard let value = UInt64(text) else {
                throw HandlerError(
                    type: "InvalidConfiguration",
                    message: "FNHOST_SEED must be a whole number from 0 to 2^64-1, got \"\(text)\""
                )
            }
            seed = value
        }
        let worker = env["FNHOST_WORKER_ID"] ?? WorkerIdentity.defaultID
        return StoreLatency(
            distribution: distribution, timeScale: timeScale, seed: seed,
            stream: "\(function)/reference-store/\(worker)"
        )
    }

    /// The next delay of the sequence.
    func draw() -> SimulatedDelay {
        generator.withLock { generator in
            SimulatedDelay(drawing: distribution, using: &generator, timeScale: timeScale)
        }
    }
}
