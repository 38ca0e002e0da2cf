import ArgumentParser
import FnhostHost
import Foundation

/// `fnhost-bench`: what fnhost itself costs, each figure beside its floor measured in the same run (issue 6).
///
/// Build everything in release mode first (`scripts/bench` does both). The table goes to standard output (or JSON
/// with `--json`), progress to standard error. The exit status is 0 when every section ran, whatever the figures;
/// goals are reported, never asserted.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fnhost-bench",
        abstract:
            "Measure fnhost against the floors of this machine: warm and cold invocations, throughput, cache tiers, memory.",
        discussion: """
            Sections, in the order they run: floors (spawn, pipe, HTTP), memory floors, warm, cold, curl (the libcurl \
            A/B), concurrent, cache, encoding (the cache encoding decision), throughput, store, states. Needs the products side by side \
            (fnhost, fnhost-launch, fnhost-bench-peer, fnhost-bench-trivial and the workers: bench-echo, \
            bench-echo-dynamic, bench-echo-curl; scripts/bench builds them), wrk for throughput and redis-server for the \
            Redis tier and the encoding's shared hit. store: the durable store's send and receive + delete rates in \
            both durability modes, beside SQLite's C API doing the same commits. states: the ASL interpreter's own \
            cost per state transition, beside serialising the JSON its two events carry.
            """
    )

    @Flag(help: "Tiny counts: proves every part works in seconds; the figures mean nothing and no goal is asserted.")
    var quick = false

    @Flag(help: "Print the report as JSON instead of a table.")
    var json = false

    @Option(
        help: ArgumentHelp(
            "Run only these sections (comma-separated): floors, warm, cold, curl, concurrent, cache, encoding, throughput, store, states.",
            valueName: "list"))
    var only: String?

    @Option(
        name: .customLong("build-dir"),
        help: ArgumentHelp(
            "Where the release products are. (default: the folder of this executable)", valueName: "dir"))
    var buildDirectory: String?

    @Option(
        name: .customLong("functions"),
        help: ArgumentHelp(
            "The folder holding bench-echo's manifest (Benchmarks/functions). (default: ./functions or ./Benchmarks/functions, else the first functions/bench-echo above the build folder)",
            valueName: "dir"))
    var functionsDirectory: String?

    @Option(
        name: .customLong("json-out"),
        help: ArgumentHelp("Also write the report as JSON to this file.", valueName: "file"))
    var jsonOut: String?

    @Option(
        help: ArgumentHelp(
            "Worker binaries to measure (warm, cold, spawn), from the build folder; each runs as a function of its name, "
                + "the first is held to the goals and served by fnhost serve. (default: bench-echo,bench-echo-dynamic)",
            valueName: "list"))
    var workers: String = "bench-echo,bench-echo-dynamic"

    @Option(
        name: .customLong("swift-version"),
        help: ArgumentHelp(
            "The Swift version to state in the report (scripts/bench passes `swift --version`).", valueName: "text"))
    var swiftVersion: String?

    static let sections = [
        "floors", "warm", "cold", "curl", "concurrent", "cache", "encoding", "throughput", "store", "states",
    ]

    func validate() throws {
        if workers.split(separator: ",").isEmpty { throw ValidationError("--workers needs at least one worker binary") }
        if let only {
            for name in only.split(separator: ",") where !Self.sections.contains(String(name)) {
                throw ValidationError("unknown section \"\(name)\"; sections: \(Self.sections.joined(separator: ", "))")
            }
        }
    }

    func run() async throws {
        let build = buildDirectory ?? HostConfiguration.executableDirectory()
        let version =
            swiftVersion ?? ProcessInfo.processInfo.environment["FNHOST_BENCH_SWIFT_VERSION"]
            ?? "Swift version not given"
        let runner = try Runner(
            build: build, repositoryFunctions: functionsDirectory ?? Self.defaultFunctionsDirectory(build: build),
            workers: workers.split(separator: ",").map(String.init), quick: quick,
            machine: .describe(swiftVersion: version))
        let wanted = Set((only ?? Self.sections.joined(separator: ",")).split(separator: ",").map(String.init))
        func section(_ name: String, _ body: () async throws -> Void) async {
            guard wanted.contains(name) else { return }
            do { try await body() } catch { runner.problem("section \(name) failed: \(error)") }
        }
        await section("floors") {
            try await runner.floors()
            try runner.memoryFloors()
        }
        await section("warm") { try await runner.warm() }
        await section("cold") { try await runner.cold() }
        await section("curl") { try await runner.curl() }
        await section("concurrent") { try await runner.concurrent() }
        await section("cache") { try await runner.cache() }
        await section("encoding") { try await runner.encoding() }
        await section("throughput") { try await runner.throughput() }
        await section("store") { try await runner.store() }
        await section("states") { try await runner.states() }
        runner.cleanUp()
        runner.progress.finish()
        runner.report.machine.loadAtEnd = Machine.loadAverage()

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(runner.report)
        if let jsonOut { try data.write(to: URL(fileURLWithPath: jsonOut)) }
        if json {
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(Table.render(runner.report), terminator: "")
        }
        if !runner.report.problems.isEmpty { throw ExitCode(1) }
    }

    /// `./functions` or `./Benchmarks/functions` when it holds bench-echo's manifest, else the first
    /// `functions/bench-echo` found walking up from the build folder (`Benchmarks/.build/release` is a link to
    /// `Benchmarks/.build/x86_64-unknown-linux-gnu/release`, so the depth is not fixed).
    static func defaultFunctionsDirectory(build: String) -> String {
        let manager = FileManager.default
        for candidate in ["functions", "Benchmarks/functions"]
        where manager.fileExists(atPath: candidate + "/bench-echo/function.json") {
            return manager.currentDirectoryPath + "/" + candidate
        }
        var folder = URL(fileURLWithPath: build).standardized
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("functions")
            if manager.fileExists(atPath: candidate.appendingPathComponent("bench-echo/function.json").path) {
                return candidate.path
            }
            folder = folder.deletingLastPathComponent()
        }
        return manager.currentDirectoryPath + "/functions"
    }
}
