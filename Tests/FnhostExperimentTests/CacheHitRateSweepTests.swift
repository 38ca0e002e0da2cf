import FnhostExperiment
import FnhostHost
import FnhostSimulation
import Foundation
import TestSupport
import Testing

/// A small sweep on real workers, with and without a real Redis, checked for the shape the experiment exists to
/// show: the worker-cache hit rate falls as concurrency grows, the shared rate does not, and both follow the model.
@Suite(.serialized, .timeLimit(.minutes(3))) struct CacheHitRateSweepTests {
    @Test func theWorkerHitRateFallsWithConcurrencyWhileTheSharedRateHoldsAndBothFollowTheModel() async throws {
        try Paths.requireBuilt(["fnhost-launch"] + Paths.functionBinaries)
        let redis = try RedisServer.start()
        defer { redis.stop() }
        var configuration = HostConfiguration(functionsDirectory: Paths.functions, redisURL: redis.url)
        configuration.simulation = SimulationSettings(profile: "none", seed: 42, timeScale: try TimeScale(0))
        var settings = CacheHitRateExperiment.Settings(template: PayloadTemplate.defaultTemplate(for: "org-status")!)
        settings.levels = [1, 4, 16]
        settings.requests = 480
        settings.keys = 40
        settings.tolerancePoints = 6
        let report = try await CacheHitRateExperiment(host: configuration, settings: settings).run { _, _ in }

        let perWorker = report.levels.filter { $0.mode == .perWorker }
        let shared = report.levels.filter { $0.mode == .shared }
        #expect(perWorker.map(\.concurrency) == [1, 4, 16] && shared.map(\.concurrency) == [1, 4, 16])
        for level in report.levels {
            #expect(
                level.errors == 0 && level.requests == 480,
                "\(level.mode.rawValue) C=\(level.concurrency): \(level.errorTypes)")
        }
        // The per-worker rate falls as C grows.
        #expect(
            zip(perWorker, perWorker.dropFirst()).allSatisfy { $0.overallHitRate > $1.overallHitRate },
            "\(perWorker.map(\.overallHitRate))")
        // The shared tier holds the overall rate up: at C=16 it is far above the per-worker one, near C=1's.
        #expect(shared[2].overallHitRate > perWorker[2].overallHitRate + 0.3)
        #expect(abs(shared[2].overallHitRate - shared[0].overallHitRate) < 0.06)
        #expect(shared[2].sharedHitRate > 0.3, "workers that never saw a key got it from Redis")
        // Each level started about C workers, one cold start each.
        #expect(perWorker[2].coldStarts >= 12 && perWorker[2].coldStarts <= 16)
        // Measured and predicted agree within the tolerance, in both modes.
        for level in report.levels {
            #expect(
                !level.deviates,
                "\(level.mode.rawValue) C=\(level.concurrency): measured \(level.overallHitRate), model \(level.predictedOverallHitRate)"
            )
        }
        #expect(report.csv.split(separator: "\n").count == 7)
        #expect(report.svg.hasPrefix("<svg") && report.svg.contains("stroke-dasharray"))
        #expect(try JSONDecoder().decode(HitRateReport.self, from: try JSONEncoder().encode(report)) == report)
    }

    @Test func withoutRedisTheReportSaysHowToAddTheSharedMode() async throws {
        try Paths.requireBuilt(["fnhost-launch"] + Paths.functionBinaries)
        var configuration = HostConfiguration(functionsDirectory: Paths.functions)
        configuration.simulation = SimulationSettings(profile: "none", seed: 1, timeScale: try TimeScale(0))
        var settings = CacheHitRateExperiment.Settings(template: PayloadTemplate.defaultTemplate(for: "org-status")!)
        settings.levels = [2]
        settings.requests = 20
        settings.keys = 5
        let report = try await CacheHitRateExperiment(host: configuration, settings: settings).run { _, _ in }
        #expect(report.levels.map(\.mode) == [.perWorker])
        #expect(report.notes.contains { $0.contains("--redis") })
    }
}
