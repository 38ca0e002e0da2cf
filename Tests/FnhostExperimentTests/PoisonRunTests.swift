import FnhostExperiment
import FnhostHost
import FnhostSimulation
import Foundation
import TestSupport
import Testing

/// A small real run of every poison scenario: real workers of functions/poison-consumer fed by fnhost's queues,
/// stream and mappings. Nothing may be lost; the poison ends where each design puts it; bisection unblocks the
/// stream long before the default's expiry does.
@Suite(.serialized, .timeLimit(.minutes(5))) struct PoisonRunTests {
    @Test func nothingIsLostPoisonIsParkedAndBisectionBeatsBlocking() async throws {
        try Paths.requireBuilt(["fnhost-launch", "poison-consumer"])
        var configuration = HostConfiguration(functionsDirectory: Paths.functions, buildDirectory: Paths.buildDirectory)
        configuration.simulation = SimulationSettings(profile: "lambda", seed: 5, timeScale: try TimeScale(0.0002))
        var settings = PoisonExperiment.Settings()
        settings.messages = 30
        settings.poisonFraction = 0.1
        settings.seed = 5
        settings.timeScale = 0.0002  // a day's retention in 17.3 real seconds
        let report = try await PoisonExperiment(host: configuration, settings: settings).run { _, _ in }
        let poison = PoisonExperiment.messages(count: 30, fraction: 0.1, seed: 5).filter(\.poison).count
        let result = { (s: PoisonScenario) in try #require(report.results.first { $0.scenario == s }) }
        for r in report.results {
            #expect(r.lost == 0 && r.settled, "\(r.scenario.rawValue): \(r.lost) lost")
            #expect(r.processed + r.parked + r.expired == 30, "\(r.scenario.rawValue)")
            #expect(r.invocations > 0 && r.lambdaCostUSD > 0 && r.sourceCostUSD > 0)
        }
        // Queues: every poison message ends in the dead-letter queue. Without partial batch responses its batch-mates
        // not processed before it go there too (their receive count grew with it); with them, only the poison.
        for s in [PoisonScenario.queue, .fifo] {
            let r = try result(s)
            #expect(r.parked >= poison && r.processed + r.parked == 30, "\(s.rawValue): parked \(r.parked)")
        }
        let partial = try result(.queuePartial)
        #expect(partial.parked == poison && partial.processed == 30 - poison && partial.goodDoneSeconds != nil)
        // Partial batch responses retry only the poison: no good message runs twice.
        #expect(partial.processedMoreThanOnce == 0)
        // The default stream blocks until the poison expires, a simulated day; bisection with retry limits parks
        // the poison (its one-record batches) in the on-failure queue and goes on.
        let blocking = try result(.stream)
        let bisect = try result(.streamBisect)
        #expect(blocking.expired >= poison && blocking.parked == 0)
        #expect(blocking.settledSeconds >= 86_400)
        #expect(bisect.parked == poison && bisect.expired == 0 && bisect.processed == 30 - poison)
        #expect(try #require(bisect.goodDoneSeconds) < 86_400 / 10)
        #expect(bisect.longestBlockSeconds < blocking.longestBlockSeconds)
        #expect(report.lost == 0)
        #expect(report.csv.split(separator: "\n").count == 6)
        #expect(report.svg.hasPrefix("<svg"))
        #expect(try JSONDecoder().decode(PoisonReport.self, from: try JSONEncoder().encode(report)) == report)
    }
}
