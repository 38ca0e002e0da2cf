import ArgumentParser
import FnhostExperiment
import FnhostHost
import FnhostSimulation
import FnhostTraces
import FnhostWire
import Foundation

/// `fnhost experiment`: measured runs on real workers, beside the model's prediction.
struct ExperimentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "experiment",
        abstract: "Run an experiment on real workers and compare it with the model.",
        discussion: """
            Unless --profile, FNHOST_PROFILE or a manifest says otherwise, experiments run under the `lambda` profile. \
            Each run first calibrates its timeline: it measures the real cost of a warm call and of a cold start on a \
            fresh pool, then chooses the smallest time scale at which those real costs (which no time scale \
            compresses) stretch the simulated timeline by at most --timeline-tolerance of the simulated delays and \
            arrival gaps. With --time-scale (or FNHOST_TIME_SCALE) that scale is used and checked instead. Reports \
            speak in simulated ms and say, beside each level, when this machine's CPUs were saturated.
            """,
        subcommands: [CacheHitRate.self, KeepAlive.self, ArchitecturesCommand.self, PoisonCommand.self]
    )

    /// The timeline option shared by the experiments.
    struct TimelineOptions: ParsableArguments {
        @Option(
            name: .customLong("timeline-tolerance"),
            help: ArgumentHelp(
                "The fraction by which real costs may stretch the simulated timeline (chooses the time scale).",
                valueName: "fraction"))
        var tolerance = TimelineCalibration.defaultTolerance

        func validate() throws {
            guard tolerance > 0, tolerance < 1 else {
                throw ValidationError("--timeline-tolerance must be between 0 and 1, got \(tolerance)")
            }
        }
    }

    /// Output options shared by the experiments.
    struct OutputOptions: ParsableArguments {
        @Flag(help: "Print the results as JSON on standard output (no table).") var json = false
        @Option(
            help: ArgumentHelp("Also write results.csv, results.json and chart.svg into this folder.", valueName: "dir")
        )
        var out: String?

        /// Writes the report: the table (or its JSON with --json) on standard output, and with --out its CSV, JSON
        /// and SVG. With `traces` (`--keep-traces N`), each level's slowest traces too: their waterfalls after the
        /// table, under `"traces"` in the JSON (stdout and results.json; the shape of traces.json), and with --out
        /// `traces.json` and `traces.txt`.
        func write(json data: Data, csv: String, svg: String, table: String, traces kept: SlowestTraces? = nil)
            throws
        {
            let data = try kept.map { try Self.adding($0, to: data) } ?? data
            let waterfalls = kept.map {
                $0.levels.isEmpty ? "(no traces were recorded)" : $0.render(Waterfall(width: 120))
            }
            if json {
                StandardStreams.out(Array(data) + [0x0A])
            } else {
                print(table)
                if let waterfalls { print("\n" + waterfalls) }
            }
            guard let out else { return }
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            try data.write(to: URL(fileURLWithPath: out + "/results.json"))
            try Data(csv.utf8).write(to: URL(fileURLWithPath: out + "/results.csv"))
            try Data(svg.utf8).write(to: URL(fileURLWithPath: out + "/chart.svg"))
            printError("fnhost: wrote \(out)/results.csv, \(out)/results.json and \(out)/chart.svg")
            if let kept, let waterfalls {
                try Data(kept.json.serialized).write(to: URL(fileURLWithPath: out + "/traces.json"))
                try Data((waterfalls + "\n").utf8).write(to: URL(fileURLWithPath: out + "/traces.txt"))
                printError("fnhost: wrote \(out)/traces.json and \(out)/traces.txt")
            }
        }

        /// The report's JSON object with the kept traces under `"traces"`.
        private static func adding(_ kept: SlowestTraces, to report: Data) throws -> Data {
            var object = try JSONDecoder().decode([String: JSONValue].self, from: report)
            object["traces"] = kept.json
            return try JSONEncoder.pretty.encode(object)
        }
    }

    struct CacheHitRate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cache-hit-rate",
            abstract: "How the per-worker cache hit rate falls as concurrency grows, and what a shared Redis changes.",
            discussion: """
                At each concurrency level C it starts a fresh pool (and clears fnhost's Redis keys of the function), \
                runs C closed-loop clients for --requests requests over --keys keys, and reports workers, cold starts, \
                hit rates per tier, reference-store calls, latency percentiles (measured + simulated), throughput and \
                the estimated AWS bill, beside the model's prediction. Levels that differ from the model by more than \
                --tolerance points are flagged with *. Add --redis for the second mode (worker memory + shared Redis).
                """)

        @Option(help: "The function to drive.") var function = "org-status"
        @Option(help: ArgumentHelp("Concurrency levels, comma-separated.", valueName: "list")) var levels =
            "1,2,4,8,16,32,64"
        @Option(help: "Requests per level.") var requests = 1_000
        @Option(help: "Distinct keys (organisations).") var keys = 100
        @Option(help: "Key distribution: uniform or zipf.") var distribution = "uniform"
        @Option(name: .customLong("zipf-s"), help: "Zipf exponent.") var zipfS = 1.1
        @Option(name: .customLong("think-ms"), help: "Client think time between requests (simulated ms).") var thinkMs =
            0.0
        @Option(
            name: .customLong("key-template"),
            help: ArgumentHelp(
                "The event, with {key} or {key:WIDTH} for the key number (default for org-status: {\"orgId\":\"ORG-{key:4}\"}).",
                valueName: "json"))
        var keyTemplate: String?
        @Option(name: .customLong("cache-capacity"), help: "Entries per worker cache (default: unbounded).")
        var cacheCapacity: Int?
        @Option(help: "Points between measurement and model that flag a level.") var tolerance = 3.0
        @OptionGroup var timeline: TimelineOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var traces: KeepTracesOption
        @OptionGroup var host: HostOptions

        func run() async throws {
            let levelList: [Int] = try CommaSeparatedList.numbers(levels, option: "--levels")
            guard !levelList.isEmpty, levelList.allSatisfy({ (1...1000).contains($0) }) else {
                throw ValidationError("--levels must be a comma-separated list of numbers 1–1000, got \"\(levels)\"")
            }
            guard requests >= 1, keys >= 1, keys <= 5000 || keyTemplate != nil else {
                throw ValidationError("--requests must be ≥ 1 and --keys 1–5000 (org-status has ORG-0001…ORG-5000)")
            }
            var settings = CacheHitRateExperiment.Settings(template: try template(keyTemplate, function: function))
            settings.function = function
            settings.levels = levelList
            settings.requests = requests
            settings.keys = keys
            settings.thinkTimeMs = thinkMs
            settings.tolerancePoints = tolerance
            settings.capacity = cacheCapacity
            settings.chooseTimeScale = !timeScaleGiven(host)
            settings.timelineTolerance = timeline.tolerance
            settings.keptTraces = traces.keeper()
            switch distribution {
            case "uniform": settings.distribution = .uniform
            case "zipf": settings.distribution = .zipf(s: zipfS)
            default: throw ValidationError("--distribution must be uniform or zipf")
            }
            let experiment = CacheHitRateExperiment(host: try experimentConfiguration(host), settings: settings)
            let report = try await runWithProgress("cache-hit-rate") { progress throws(ExperimentError) in
                try await experiment.run(progress: progress)
            }
            try output.write(
                json: try JSONEncoder.pretty.encode(report), csv: report.csv, svg: report.svg, table: report.table,
                traces: settings.keptTraces)
        }
    }

    struct KeepAlive: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "keep-alive",
            abstract: "Cold starts against idle memory, over keep-alive settings, under Poisson arrivals.")

        @Option(help: "The function to drive.") var function = "org-status"
        @Option(
            name: .customLong("keep-alives"),
            help: ArgumentHelp("Keep-alive values (simulated seconds), comma-separated.", valueName: "list"))
        var keepAlives = "0,1,5,30"
        @Option(help: "Arrival rate λ, requests per simulated second.") var rate = 20.0
        @Option(help: "Simulated seconds of arrivals per setting.") var duration = 60.0
        @Option(help: "Distinct keys.") var keys = 100
        @Option(name: .customLong("key-template"), help: ArgumentHelp("The event, with {key}.", valueName: "json"))
        var keyTemplate: String?
        @Option(name: .customLong("model-runs"), help: "Seeded runs of the pool model per keep-alive value.")
        var modelRuns = 400
        @OptionGroup var timeline: TimelineOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var traces: KeepTracesOption
        @OptionGroup var host: HostOptions

        func run() async throws {
            let values: [Double] = try CommaSeparatedList.numbers(keepAlives, option: "--keep-alives")
            guard !values.isEmpty, values.allSatisfy({ $0 >= 0 }), rate > 0, duration > 0, modelRuns >= 1 else {
                throw ValidationError(
                    "--keep-alives must list numbers ≥ 0; --rate, --duration and --model-runs must be > 0")
            }
            var settings = KeepAliveExperiment.Settings(template: try template(keyTemplate, function: function))
            settings.function = function
            settings.keepAlives = values
            settings.rate = rate
            settings.duration = duration
            settings.keys = keys
            settings.modelRuns = modelRuns
            settings.chooseTimeScale = !timeScaleGiven(host)
            settings.timelineTolerance = timeline.tolerance
            settings.keptTraces = traces.keeper()
            let configuration = try experimentConfiguration(host)
            let experiment = KeepAliveExperiment(host: configuration, settings: settings)
            let report = try await runWithProgress("keep-alive") { progress throws(ExperimentError) in
                try await experiment.run(progress: progress)
            }
            try output.write(
                json: try JSONEncoder.pretty.encode(report), csv: report.csv, svg: report.svg, table: report.table,
                traces: settings.keptTraces)
        }
    }
}

/// The host settings of an experiment: the user's, with the `lambda` profile unless told. The time scale is the
/// user's when given (``timeScaleGiven(_:)``), else the experiment's calibration chooses it.
func experimentConfiguration(_ options: HostOptions) throws -> HostConfiguration {
    var configuration = try options.hostConfiguration(maxWait: .seconds(900))
    if configuration.simulation.profile == nil { configuration.simulation.profile = "lambda" }
    return configuration
}

/// Whether the user fixed the time scale (`--time-scale` or `FNHOST_TIME_SCALE`).
func timeScaleGiven(_ options: HostOptions) -> Bool {
    options.timeScale != nil || ProcessInfo.processInfo.environment["FNHOST_TIME_SCALE"] != nil
}

/// Runs an experiment under a progress indicator; an experiment that cannot run is a configuration error (exit 3).
func runWithProgress<Report>(
    _ label: String, _ body: (@escaping @Sendable (String, Double) -> Void) async throws(ExperimentError) -> Report
) async throws -> Report {
    let progress = Progress(label: label)
    defer { progress.finish() }
    do { return try await body(progress.update) } catch {
        printError("fnhost: \(error)")
        throw Exit.configurationError
    }
}

private func template(_ text: String?, function: String) throws -> PayloadTemplate {
    if let text {
        do { return try PayloadTemplate(text) } catch { throw ValidationError("\(error)") }
    }
    guard let t = PayloadTemplate.defaultTemplate(for: function) else {
        throw ValidationError("give --key-template for \(function), e.g. '{\"id\":\"{key}\"}'")
    }
    return t
}

/// A progress indicator on standard error: a bar redrawn in place on a terminal, a line per step otherwise.
final class Progress: Sendable {
    private let label: String
    private let interactive = isatty(2) != 0
    private let started = Date()

    init(label: String) { self.label = label }

    @Sendable func update(_ step: String, _ fraction: Double) {
        let elapsed = String(format: "%.0fs", Date().timeIntervalSince(started))
        if interactive {
            let width = 30
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            StandardStreams.err("\r\u{1B}[K\(label) \(bar) \(Int(fraction * 100))% \(step) (\(elapsed))")
        } else {
            printError("\(label): \(Int(fraction * 100))% \(step) (\(elapsed))")
        }
    }

    func finish() {
        if interactive { StandardStreams.err("\r\u{1B}[K") }
    }
}

extension JSONEncoder {
    static var pretty: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        return e
    }
}
