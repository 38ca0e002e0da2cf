import ArgumentParser
import FnhostExperiment
import FnhostHost
import FnhostSimulation
import Foundation

/// `fnhost experiment architectures`: seed 000's eligibility system in five designs, timed and priced.
struct ArchitecturesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "architectures",
        abstract:
            "Seed 000's eligibility system built five ways (as-built, merged, gateway, async, step-functions): latency, cost.",
        discussion: """
            Each design runs at each number of closed-loop client threads on fresh pools: a warm-up in waves of 1, 2, \
            4 … threads requests fills the pools (its cold starts are counted), then --requests requests over --members \
            members (each with its own organisation) are timed, measured + simulated. It reports throughput per \
            simulated second, average and p50/p95/p99 latency, each component's average latency, the slowest branch, \
            cold starts, cache hit rates, the cost per million requests at Lambda's and API Gateway's prices, and this \
            machine's CPU load per level (a saturated level is flagged, with what to change). Under the `lambda` \
            profile unless --profile says otherwise; without --time-scale each level runs at min(1, max(0.1, \
            threads/50)), so that the simulated delays, not this machine's CPUs, bound every level. \
            step-functions runs each request as an EXPRESS synchronous execution of statemachines/eligibility.asl.json \
            (Parallel, then the eligibility function combining) and adds Step Functions' EXPRESS price.
            """)

    @Option(
        help: ArgumentHelp(
            "Designs, comma-separated: \(CommaSeparatedList.allowed(ArchitecturesDesign.self)).", valueName: "list"))
    var designs = CommaSeparatedList.all(ArchitecturesDesign.self)
    @Option(help: ArgumentHelp("Client threads per level, comma-separated.", valueName: "list")) var threads =
        "1,5,10,25,50"
    @Option(help: "Timed requests per level (after the warm-up round).") var requests = 200
    @Option(help: "Distinct members the requests are drawn from (each with its own organisation).") var members = 2_000
    @Option(help: "The date every request asks about (YYYY-MM-DD).") var date = "2026-03-01"
    @OptionGroup var output: ExperimentCommand.OutputOptions
    @OptionGroup var traces: KeepTracesOption
    @OptionGroup var host: HostOptions

    func run() async throws {
        var settings = ArchitecturesExperiment.Settings()
        settings.designs = try CommaSeparatedList.parse(designs, option: "--designs")
        settings.threads = try CommaSeparatedList.numbers(threads, option: "--threads")
        guard !settings.designs.isEmpty, !settings.threads.isEmpty,
            settings.threads.allSatisfy({ (1...500).contains($0) })
        else {
            throw ValidationError("--designs and --threads must be non-empty lists; threads 1–500, got \"\(threads)\"")
        }
        guard requests >= 1, members >= 1 else { throw ValidationError("--requests and --members must be ≥ 1") }
        guard date.count == 10, date.split(separator: "-").count == 3 else {
            throw ValidationError("--date must be written YYYY-MM-DD, got \"\(date)\"")
        }
        settings.requests = requests
        settings.members = members
        settings.date = date
        settings.keptTraces = traces.keeper()
        let configuration = try experimentConfiguration(host)
        if timeScaleGiven(host) { settings.timeScale = configuration.simulation.timeScale.factor }
        let experiment = ArchitecturesExperiment(host: configuration, settings: settings)
        let report = try await runWithProgress("architectures") { progress throws(ExperimentError) in
            try await experiment.run(progress: progress)
        }
        try output.write(
            json: try JSONEncoder.pretty.encode(report), csv: report.csv, svg: report.svg, table: report.table,
            traces: settings.keptTraces)
    }
}
