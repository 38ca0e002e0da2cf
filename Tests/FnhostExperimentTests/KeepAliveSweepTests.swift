import FnhostExperiment
import FnhostHost
import FnhostSimulation
import Foundation
import TestSupport
import Testing

/// The keep-alive sweep on real workers, on a calibrated timeline, beside its model; and the saturation verdict.
@Suite(.serialized, .timeLimit(.minutes(4))) struct KeepAliveSweepTests {
    @Test func aShortSweepSitsWithinTheModelsBandAtEveryLevelAndKeepAliveZeroIsAlwaysCold() async throws {
        try Paths.requireBuilt(["fnhost-launch"] + Paths.functionBinaries)
        var configuration = HostConfiguration(functionsDirectory: Paths.functions)
        configuration.simulation = SimulationSettings(profile: "lambda", seed: 3)
        var settings = KeepAliveExperiment.Settings(template: PayloadTemplate.defaultTemplate(for: "org-status")!)
        settings.keepAlives = [0, 1, 5]
        settings.rate = 5
        settings.duration = 10
        settings.modelRuns = 200
        let report = try await KeepAliveExperiment(host: configuration, settings: settings).run { _, _ in }

        // The calibration measured real costs and chose the time scale that keeps them within 10 %.
        #expect(report.timeline.decision == .chosen && report.timeline.holds)
        #expect(report.timeline.costs.coldExtraRealMs > 0 && report.timeline.costs.warmRealMs > 0)
        #expect(report.timeScale == report.timeline.timeScale && report.timeScale > 0)
        #expect(report.table.contains("chosen"))
        #expect(report.levels.map(\.keepAliveSeconds) == [0, 1, 5])
        // Keep-alive 0: every request found no warm worker.
        let zero = report.levels[0]
        #expect(zero.errors == 0 && zero.requests > 20)
        #expect(zero.coldStarts == zero.requests, "\(zero.coldStarts) cold of \(zero.requests) at keep-alive 0")
        #expect(zero.model.coldStartFraction == 1)
        for level in report.levels {
            #expect(level.errors == 0)
            #expect(
                !level.deviates,
                "keep-alive \(level.keepAliveSeconds) s: \(level.deviations) (\(level.machine.summary)); \(report.table)"
            )
            #expect(level.machine.wallSeconds > 0)
        }
        // A longer keep-alive, fewer cold starts.
        #expect(report.levels[2].coldStartFraction < report.levels[0].coldStartFraction)
        #expect(report.csv.split(separator: "\n").count == 4)
        #expect(report.svg.contains("band") && report.svg.contains("model"))
        #expect(try JSONDecoder().decode(KeepAliveReport.self, from: try JSONEncoder().encode(report)) == report)
    }

    @Test func aLevelThatBurnsEveryCoreIsReportedAsSaturated() async throws {
        try Paths.requireBuilt("fnhost-launch")
        try await withTemporaryDirectory("saturate") { directory in
            let functions = try Fixtures.install(["echo"], into: directory)
            try Self.writeBurner(in: functions)
            var configuration = HostConfiguration(functionsDirectory: functions)
            configuration.simulation = SimulationSettings(profile: "none", seed: 1, timeScale: try TimeScale(0))
            var settings = CacheHitRateExperiment.Settings(template: try PayloadTemplate("{\"key\":{key}}"))
            settings.function = "burn"
            // More burning workers than this machine has cores, for a couple of seconds.
            let cores = ProcessInfo.processInfo.activeProcessorCount
            settings.levels = [cores * 3]
            settings.requests = cores * 12
            settings.keys = 4
            settings.chooseTimeScale = false
            let report = try await CacheHitRateExperiment(host: configuration, settings: settings).run { _, _ in }
            let level = try #require(report.levels.first)
            #expect(level.errors == 0, "\(level.errorTypes)")
            #expect(level.machine.isSaturated, "\(level.machine.summary)")
            #expect(level.machine.workersCPUSeconds > level.machine.hostCPUSeconds)
            #expect(report.table.contains("SATURATED"))
            #expect(report.notes.contains { $0.contains("saturated at per-worker C=\(cores * 3) (") })
            // The calibration still ran, and says the given time scale 0 stretches the timeline.
            #expect(report.timeline.decision == .stretched)
        }
    }

    /// A function that spends CPU on every event (shell arithmetic, about a tenth of a second).
    static func writeBurner(in functions: String) throws {
        let folder = functions + "/burn"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data(
            """
            {"name": "burn", "command": ["./bootstrap"], "timeout": 60, "keepAlive": 600, "memorySize": 128,
             "reservedConcurrency": 64, "environment": {"BURN_ITERATIONS": "60000"}}
            """.utf8
        ).write(to: URL(fileURLWithPath: folder + "/function.json"))
        let bootstrap = folder + "/bootstrap"
        try Data(
            """
            #!/bin/sh
            # burn: counts to BURN_ITERATIONS in shell arithmetic on every event (pure CPU), then answers.
            . "$(dirname "$0")/../_lib/runtime.sh"
            while :; do
                next
                i=0
                while [ "$i" -lt "$BURN_ITERATIONS" ]; do i=$((i + 1)); done
                respond "{\\"burned\\":$i}"
            done

            """.utf8
        ).write(to: URL(fileURLWithPath: bootstrap))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: bootstrap)
    }
}
