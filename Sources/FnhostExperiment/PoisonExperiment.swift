import FnhostHost
import FnhostServer
import FnhostSimulation
import FnhostTraces
import FnhostWire
import Foundation

/// `fnhost experiment poison`: M messages, a seeded fraction of them poison (the function fails on them every time),
/// through fnhost's own queues, streams, mappings and pools, one scenario at a time on a fresh host and state folder;
/// each message's fate is tallied (`PoisonTally`); a message that ends neither processed, parked nor expired is
/// lost, which the report's `lost` says and the command turns into a failure.
///
/// Time: one time scale for everything. Simulated delays sleep `scale ×` their length; the stream's 24 h retention
/// is scaled by the stream itself; SQS durations are real seconds in fnhost (the API's contract), so the queue's
/// visibility timeout is set to `visibilityTimeout × scale` real seconds (whole seconds, at least 1) and reported in
/// simulated seconds. Wall time divided by the scale is simulated time, so this machine's own costs (process
/// round trips, SQLite commits) are magnified by 1/scale too: they are small beside the waits that matter here.
public struct PoisonExperiment: Sendable {
    public struct Settings: Sendable {
        public var scenarios = PoisonScenario.allCases
        public var messages = 200
        public var poisonFraction = 0.05
        public var seed: UInt64 = 1
        /// 0.0005: a day's retention in 43.2 real seconds.
        public var timeScale = 0.0005
        public var queueBatchSize = 10
        public var maxReceiveCount = 3
        /// Real seconds (SQS's granularity is a whole second).
        public var visibilityTimeoutRealSeconds = 1
        public var shards = 2
        public var streamBatchSize = 100
        public var maximumRetryAttempts = 2
        public var fifoGroups = 10
        /// Where each level's slowest traces are kept (`--keep-traces N`); nil: none.
        public var keptTraces: SlowestTraces?
        public init() {}
    }

    public static let function = "poison-consumer"

    public let host: HostConfiguration
    public let settings: Settings

    public init(host: HostConfiguration, settings: Settings) {
        self.host = host
        self.settings = settings
    }

    /// The messages, the same for every scenario: `m0001` …, poison ones drawn with the seed (at least one).
    public static func messages(count: Int, fraction: Double, seed: UInt64) -> [PoisonTally.Message] {
        var random = SeededGenerator(seed: seed, stream: "poison/messages")
        var messages = (0..<count).map { i in
            PoisonTally.Message(
                id: String(format: "m%04d", i + 1), poison: Double.random(in: 0..<1, using: &random) < fraction)
        }
        if fraction > 0, !messages.contains(where: \.poison), !messages.isEmpty {
            messages[Int.random(in: 0..<messages.count, using: &random)].poison = true
        }
        return messages
    }

    public func run(progress: @escaping @Sendable (String, Double) -> Void) async throws(ExperimentError)
        -> PoisonReport
    {
        let messages = Self.messages(count: settings.messages, fraction: settings.poisonFraction, seed: settings.seed)
        var results: [PoisonResult] = []
        for (i, scenario) in settings.scenarios.enumerated() {
            let base = Double(i) / Double(settings.scenarios.count)
            progress(scenario.rawValue, base)
            let result = try await runScenario(scenario, messages: messages) { note, fraction in
                progress("\(scenario.rawValue): \(note)", base + fraction / Double(settings.scenarios.count))
            }
            results.append(result)
        }
        progress("done", 1)
        return PoisonReport(settings: settings, results: results)
    }

    private func runScenario(
        _ scenario: PoisonScenario, messages: [PoisonTally.Message],
        progress: @escaping @Sendable (String, Double) -> Void
    ) async throws(ExperimentError) -> PoisonResult {
        let scale = settings.timeScale
        var configuration = host
        let timeScale: TimeScale
        do { timeScale = try TimeScale(scale) } catch { throw .invalid("\(error)") }
        configuration.simulation.timeScale = timeScale
        let stateDirectory = try ScratchDirectory.make("poison-\(scenario.rawValue)")
        configuration.stateDirectory = stateDirectory
        defer { try? FileManager.default.removeItem(atPath: stateDirectory) }
        let runtime: FunctionHost
        do { runtime = try FunctionHost(configuration: configuration, sink: DiscardingLogSink()) } catch {
            throw .host("\(error)")
        }
        settings.keptTraces?.keep(runtime, level: scenario.rawValue)
        guard runtime.functions[Self.function] != nil else {
            await runtime.shutdown()
            throw .invalid("no function \(Self.function) in \(configuration.functionsDirectory)")
        }
        let serveDirectory = stateDirectory + "/serve"
        let run = ScenarioRun(
            scenario: scenario, settings: settings, runtime: runtime, messages: messages,
            serveDirectory: serveDirectory, logPath: stateDirectory + "/\(Self.function).jsonl", progress: progress)
        do {
            let result = try await run.run()
            await runtime.shutdown()
            return result
        } catch {
            await runtime.shutdown()
            throw .host("\(scenario.rawValue): \(error)")
        }
    }
}
