import ArgumentParser
import FnhostTraces

/// `--keep-traces N`, one option for every experiment: the N slowest traces of each level are kept (from the
/// level's hosts' `traces.onTrace`), printed as waterfalls after the report, put in `--json` under `traces`, and
/// written to `--out` as `traces.json` and `traces.txt`; so that a user sees why a level's p99 rose.
struct KeepTracesOption: ParsableArguments {
    /// The most a user may ask for per level: the kept traces live in memory until the report is written.
    static let limit = 1_000

    @Option(
        name: .customLong("keep-traces"),
        help: ArgumentHelp(
            "Keep the N slowest traces of each level and print their waterfalls (in --json under \"traces\"; "
                + "with --out: traces.json and traces.txt).", valueName: "n"))
    var keepTraces: Int?

    func validate() throws {
        if let keepTraces, !(1...Self.limit).contains(keepTraces) {
            throw ValidationError("--keep-traces must be 1–\(Self.limit), got \(keepTraces)")
        }
    }

    /// A fresh keeper for one run, or nil without the option.
    func keeper() -> SlowestTraces? { keepTraces.map(SlowestTraces.init(perLevel:)) }
}
