import FnhostExperiment
import FnhostHost
import FnhostSimulation
import FnhostTraces
import Foundation
import TestSupport
import Testing

/// `--keep-traces N` on every experiment: each one's shortest run on real workers keeps at most N traces per level,
/// slowest first, each made of the spans its invocations really had.
@Suite(.serialized, .timeLimit(.minutes(4))) struct KeepTracesTests {
    /// At most two traces per level, slowest first, each with its request span and at least one measured part.
    static func expectKept(_ kept: SlowestTraces, levels: [String]) {
        #expect(kept.levels.map(\.level) == levels)
        for level in kept.levels {
            #expect((1...2).contains(level.traces.count), "\(level.level): \(level.traces.count) traces")
            #expect(
                zip(level.traces, level.traces.dropFirst()).allSatisfy { $0.durationMs >= $1.durationMs },
                "\(level.level): slowest first")
            for trace in level.traces {
                let root = trace.spans.first
                #expect(root?.parent == nil && root?.startMs == 0 && (root?.durationMs ?? 0) > 0, "\(level.level)")
                #expect(trace.spans.count >= 2, "\(level.level): \(trace.spans.map(\.name))")
                #expect(
                    trace.spans.dropFirst().contains { $0.timing == .measured && $0.durationMs > 0 },
                    "\(level.level): \(trace.spans.map(\.name))")
            }
        }
    }

    @Test func cacheHitRateKeepsTheSlowestTracesOfEachConcurrencyLevel() async throws {
        try Paths.requireBuilt(["fnhost-launch"] + Paths.functionBinaries)
        var configuration = HostConfiguration(functionsDirectory: Paths.functions)
        configuration.simulation = SimulationSettings(profile: "none", seed: 1, timeScale: try TimeScale(0))
        var settings = CacheHitRateExperiment.Settings(template: PayloadTemplate.defaultTemplate(for: "org-status")!)
        settings.levels = [1, 2]
        settings.requests = 12
        settings.keys = 4
        settings.keptTraces = SlowestTraces(perLevel: 2)
        let report = try await CacheHitRateExperiment(host: configuration, settings: settings).run { _, _ in }
        #expect(report.levels.allSatisfy { $0.errors == 0 })
        let kept = try #require(settings.keptTraces)
        Self.expectKept(kept, levels: ["per-worker C=1", "per-worker C=2"])
        // Every level starts on a fresh pool: its slowest request is a cold start.
        for level in kept.levels {
            #expect(level.traces[0].spans.contains { $0.name == "cold start" }, "\(level.level)")
        }
    }

    @Test func keepAliveKeepsTheSlowestTracesOfEachKeepAliveSetting() async throws {
        try Paths.requireBuilt(["fnhost-launch"] + Paths.functionBinaries)
        var configuration = HostConfiguration(functionsDirectory: Paths.functions)
        configuration.simulation = SimulationSettings(profile: "lambda", seed: 3, timeScale: try TimeScale(0.2))
        var settings = KeepAliveExperiment.Settings(template: PayloadTemplate.defaultTemplate(for: "org-status")!)
        settings.keepAlives = [0, 5]
        settings.rate = 5
        settings.duration = 2
        settings.modelRuns = 20
        settings.chooseTimeScale = false
        settings.keptTraces = SlowestTraces(perLevel: 2)
        let report = try await KeepAliveExperiment(host: configuration, settings: settings).run { _, _ in }
        #expect(report.levels.allSatisfy { $0.errors == 0 })
        let kept = try #require(settings.keptTraces)
        Self.expectKept(kept, levels: ["keep-alive 0.0 s", "keep-alive 5.0 s"])
        // Simulated parts are marked simulated (the lambda profile's invoke overhead).
        #expect(kept.levels[0].traces[0].spans.contains { $0.timing == .simulated })
    }

    @Test func architecturesKeepsTheTimedRequestsSlowestTracesOfEachDesignAndThreadCount() async throws {
        try Paths.requireBuilt(["fnhost-launch", "eligibility", "request-log", "org-status", "rules", "coverage"])
        var configuration = HostConfiguration(functionsDirectory: Paths.functions, buildDirectory: Paths.buildDirectory)
        configuration.simulation = SimulationSettings(profile: "lambda", seed: 42, timeScale: try TimeScale(0.1))
        var settings = ArchitecturesExperiment.Settings()
        settings.designs = [.asBuilt]
        settings.threads = [1, 2]
        settings.requests = 4
        settings.members = 20
        settings.timeScale = 0.1
        settings.keptTraces = SlowestTraces(perLevel: 2)
        let report = try await ArchitecturesExperiment(host: configuration, settings: settings).run { _, _ in }
        #expect(report.levels.allSatisfy { $0.errors == 0 }, "\(report.levels.map(\.errorTypes))")
        let kept = try #require(settings.keptTraces)
        Self.expectKept(kept, levels: ["as-built 1 thread", "as-built 2 threads"])
        for level in kept.levels {
            let trace = level.traces[0]
            #expect(trace.root == "eligibility")
            // The orchestrator's calls are in its trace: its three branches, and org-status's call to rules.
            let called = Set(trace.spans.filter { $0.kind == .call }.map(\.function))
            #expect(called.isSuperset(of: ["org-status", "coverage", "request-log", "rules"]), "\(called)")
        }
        // The listener was added after the warm-up: at 1 thread its one request started every worker, so the timed
        // requests (one after another) are all warm.
        let one = try #require(kept.levels.first?.traces.first)
        #expect(!one.spans.contains { $0.name == "cold start" }, "\(one.spans.map(\.name))")
    }

    @Test func poisonKeepsTheSlowestTracesOfEachScenario() async throws {
        try Paths.requireBuilt(["fnhost-launch", "poison-consumer"])
        var configuration = HostConfiguration(functionsDirectory: Paths.functions, buildDirectory: Paths.buildDirectory)
        configuration.simulation = SimulationSettings(profile: "lambda", seed: 5, timeScale: try TimeScale(0.0005))
        var settings = PoisonExperiment.Settings()
        settings.scenarios = [.queuePartial, .streamBisect]
        settings.messages = 6
        settings.poisonFraction = 0.2
        settings.seed = 5
        settings.timeScale = 0.0005
        settings.keptTraces = SlowestTraces(perLevel: 2)
        let report = try await PoisonExperiment(host: configuration, settings: settings).run { _, _ in }
        #expect(report.lost == 0)
        let kept = try #require(settings.keptTraces)
        Self.expectKept(kept, levels: ["queue-partial", "stream-bisect"])
        for level in kept.levels {
            #expect(level.traces.allSatisfy { $0.spans.contains { $0.function == PoisonExperiment.function } })
        }
    }
}
