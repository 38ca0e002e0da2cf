import Foundation
import TestSupport
import Testing

extension Integration {
    /// `--keep-traces N` as a script uses it: the kept traces in `--json` under `traces`, and `traces.json` and
    /// `traces.txt` in `--out`; and one refusal for every experiment's comma-separated choices.
    @Suite struct ExperimentTracesCommand {
        @Test func keepTracesPutsEachLevelsSlowestTracesInTheJSONAndTheOutFolder() async throws {
            try Paths.requireBuilt(["fnhost-launch"] + Paths.functionBinaries)
            try await withTemporaryDirectory("keep-traces") { out in
                let run = try await Command.fnhost(
                    [
                        "experiment", "cache-hit-rate", "--levels", "1,2", "--requests", "8", "--keys", "4",
                        "--profile", "none", "--time-scale", "0", "--keep-traces", "2", "--json", "--out", out,
                        "--functions", Paths.functions,
                    ], timeLimit: 120)
                #expect(run.exitCode == 0, "\(run)")
                let report = try #require(
                    try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
                #expect(report["levels"] is [Any], "the report itself is still there")
                let traces = try #require(report["traces"] as? [String: Any])
                let levels = try #require(traces["levels"] as? [[String: Any]])
                #expect(levels.map { $0["level"] as? String } == ["per-worker C=1", "per-worker C=2"])
                for level in levels {
                    let kept = try #require(level["traces"] as? [[String: Any]])
                    #expect((1...2).contains(kept.count))
                    #expect(kept.allSatisfy { ($0["spans"] as? [Any])?.count ?? 0 >= 2 })
                }
                let file = try JSONSerialization.jsonObject(
                    with: Data(contentsOf: URL(fileURLWithPath: out + "/traces.json")))
                #expect(((file as? [String: Any])?["levels"] as? [Any])?.count == 2)
                let text = try String(contentsOfFile: out + "/traces.txt", encoding: .utf8)
                #expect(text.contains("== per-worker C=2: the ") && text.contains("org-status"))
                let saved = try JSONSerialization.jsonObject(
                    with: Data(contentsOf: URL(fileURLWithPath: out + "/results.json")))
                #expect((saved as? [String: Any])?["traces"] != nil, "results.json is the --json report")
            }
        }

        @Test func everyExperimentTakesKeepTracesAndRefusesZero() async throws {
            for experiment in ["cache-hit-rate", "keep-alive", "architectures", "poison"] {
                let help = try await Command.fnhost(["experiment", experiment, "--help"])
                #expect(help.exitCode == 0 && help.standardOutput.contains("--keep-traces"), "\(experiment)")
                let run = try await Command.fnhost(["experiment", experiment, "--keep-traces", "0"])
                #expect(run.exitCode == 64, "\(experiment): \(run)")
                #expect(run.standardError.contains("--keep-traces must be 1–1000, got 0"), "\(experiment): \(run)")
            }
        }

        @Test func anUnknownDesignIsAUsageErrorNamingTheOptionAndTheChoices() async throws {
            let run = try await Command.fnhost(["experiment", "architectures", "--designs", "as-built,monolith"])
            #expect(run.exitCode == 64, "\(run)")
            #expect(
                run.standardError.contains("--designs: unknown value \"monolith\"")
                    && run.standardError.contains("as-built, merged, gateway, async, step-functions"), "\(run)")
            let empty = try await Command.fnhost(["experiment", "poison", "--scenarios", " , "])
            #expect(empty.exitCode == 64 && empty.standardError.contains("--scenarios must name at least one"))
        }

        @Test func aListEntryThatIsNotANumberIsAUsageErrorNotDropped() async throws {
            let cases = [
                (["experiment", "architectures", "--threads", "1,x"], "--threads: \"x\" is not a number"),
                (["experiment", "cache-hit-rate", "--levels", "4,five"], "--levels: \"five\" is not a number"),
                (["experiment", "keep-alive", "--keep-alives", "0,abc"], "--keep-alives: \"abc\" is not a number"),
            ]
            for (arguments, message) in cases {
                let run = try await Command.fnhost(arguments)
                #expect(run.exitCode == 64 && run.standardError.contains(message), "\(arguments): \(run)")
            }
        }
    }
}
