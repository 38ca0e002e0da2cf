import Foundation
import TestSupport
import Testing

extension Integration {
    /// `fnhost experiment poison` as a script runs it: JSON on standard output, progress on standard error, exit
    /// codes that say whether anything was lost or the options were wrong.
    @Suite struct PoisonCommand {
        @Test func aSmallRunPrintsOneJSONReportWithNothingLostAndProgressOnStandardError() async throws {
            try Paths.requireBuilt(["fnhost-launch", "poison-consumer"])
            let run = try await Command.fnhost(
                [
                    "experiment", "poison", "--messages", "10", "--poison-fraction", "0.2", "--scenarios",
                    "queue-partial,stream-bisect", "--json", "--time-scale", "0.0005", "--functions", Paths.functions,
                ], timeLimit: 120)
            #expect(run.exitCode == 0, "\(run)")
            let report = try #require(
                try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
            let results = try #require(report["results"] as? [[String: Any]])
            #expect(results.map { $0["scenario"] as? String } == ["queue-partial", "stream-bisect"])
            for r in results {
                #expect(r["lost"] as? Int == 0 && (r["parked"] as? Int ?? 0) >= 1, "\(r)")
            }
            #expect(run.standardError.contains("poison"), "progress goes to standard error")
        }

        @Test func anUnknownScenarioIsAUsageErrorNamingTheChoices() async throws {
            let run = try await Command.fnhost(["experiment", "poison", "--scenarios", "queue,kafka"])
            #expect(run.exitCode == 64, "\(run)")
            #expect(run.standardError.contains("kafka") && run.standardError.contains("stream-bisect"))
        }
    }
}
