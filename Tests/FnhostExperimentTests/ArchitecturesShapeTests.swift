import FnhostExperiment
import FnhostHost
import FnhostProfiles
import FnhostSimulation
import Foundation
import TestSupport
import Testing

/// A small run of the five designs on real workers, checked for the shape seed 000's system should show.
@Suite(.serialized, .timeLimit(.minutes(5))) struct ArchitecturesShapeTests {
    /// The mean of a profile component, from 20,000 seeded draws.
    static func mean(_ component: OverheadComponent) throws -> Double {
        let distribution = try ProfileLoader().load(nameOrPath: "lambda").distribution(component)
        var generator = SeededGenerator(seed: 3)
        return (0..<20_000).reduce(0.0) { sum, _ in sum + distribution.sample(using: &generator) } / 20_000
    }

    @Test func mergedSavesAboutAHopGatewayAddsTheGatewayDelayAsyncAcknowledgesFirstStepFunctionsAddsTransitions()
        async throws
    {
        try Paths.requireBuilt(["fnhost-launch", "eligibility", "request-log", "org-status", "rules", "coverage"])
        var configuration = HostConfiguration(functionsDirectory: Paths.functions, buildDirectory: Paths.buildDirectory)
        configuration.simulation = SimulationSettings(profile: "lambda", seed: 42, timeScale: try TimeScale(0.5))
        var settings = ArchitecturesExperiment.Settings()
        settings.threads = [2]
        settings.requests = 40
        settings.members = 200
        settings.timeScale = 0.5
        let report = try await ArchitecturesExperiment(host: configuration, settings: settings).run { _, _ in }
        let level = { (d: ArchitecturesDesign) in try #require(report.levels.first { $0.design == d }) }
        let asBuilt = try level(.asBuilt)
        let merged = try level(.merged)
        let gateway = try level(.gateway)
        let async = try level(.async)
        let stepFunctions = try level(.stepFunctions)
        for l in report.levels {
            #expect(l.errors == 0 && l.requests == 40, "\(l.design.rawValue): \(l.errorTypes)")
        }
        let hop = try Self.mean(.invoke)
        let gatewayDelay = try Self.mean(.gateway)
        // merged: one synchronous hop (org-status → rules) less on the slow branch.
        let saved = asBuilt.latencyMs.avg - merged.latencyMs.avg
        #expect(saved > 0.4 * hop && saved < 1.8 * hop, "merged saved \(saved) ms; a hop averages \(hop) ms")
        // gateway: every branch pays the gateway's delay (and a real HTTP hop) on top of its invoke.
        let added = gateway.latencyMs.avg - asBuilt.latencyMs.avg
        #expect(
            added > 0.5 * gatewayDelay && added < 2 * gatewayDelay,
            "gateway added \(added) ms; the gateway delay averages \(gatewayDelay) ms")
        // async: the 202 comes before any synchronous design's answer.
        let ack = try #require(async.acknowledgeMs).avg
        #expect(ack < min(asBuilt.latencyMs.avg, merged.latencyMs.avg, gateway.latencyMs.avg))
        #expect(async.latencyMs.avg > ack, "the decision comes after the acknowledgement")
        // org-status, with its two hops in a row, is as-built's slowest branch.
        #expect(asBuilt.slowestBranch == "org-status" && asBuilt.slowestBranchShare > 0.5)
        #expect(asBuilt.componentMs["rules"] != nil && merged.componentMs["rules"] == nil)
        // Prices: the gateway design pays three API Gateway requests per request; merged bills one function less.
        #expect(gateway.costPerMillionByPart["api-gateway"] == 3)
        #expect(merged.costPerMillionUSD < asBuilt.costPerMillionUSD)
        // step-functions: the client's invoke hop to the orchestrator becomes the combining task's, and the machine adds
        // its transitions on the critical path (the Parallel, a branch's task, the combine); it pays Step Functions'
        // EXPRESS price on top of the four functions' Lambda bill, and its branches are timed as the orchestrator's.
        let transition = try Self.mean(.stateTransition)
        let overOrchestrator = stepFunctions.latencyMs.avg - asBuilt.latencyMs.avg
        #expect(
            overOrchestrator > 1.5 * transition && overOrchestrator < 3 * transition + hop,
            "step-functions added \(overOrchestrator) ms; a transition averages \(transition) ms")
        let express = try #require(stepFunctions.costPerMillionByPart["step-functions"])
        #expect(express > 1 && express < 2, "EXPRESS: $1 per million requests plus 64 MB × ≥100 ms: \(express)")
        #expect(
            Set(stepFunctions.costPerMillionByPart.keys).isSuperset(of: [
                "eligibility", "org-status", "coverage", "request-log", "rules",
            ]))
        #expect(stepFunctions.costPerMillionUSD > asBuilt.costPerMillionUSD)
        #expect(stepFunctions.slowestBranch == "org-status" && stepFunctions.componentMs["rules"] != nil)
        #expect(report.pending.isEmpty)
        #expect(report.csv.split(separator: "\n").count == 6)
        #expect(report.svg.hasPrefix("<svg"))
        #expect(try JSONDecoder().decode(ArchitecturesReport.self, from: try JSONEncoder().encode(report)) == report)
    }
}
