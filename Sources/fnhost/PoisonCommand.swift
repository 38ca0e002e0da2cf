import ArgumentParser
import FnhostExperiment
import FnhostHost
import FnhostSimulation
import Foundation

/// `fnhost experiment poison`: what a poison message costs on queues and streams (seed 004).
struct PoisonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "poison",
        abstract: "What poison messages cost on SQS queues and streams: time, duplicates, parked, lost, dollars.",
        discussion: """
            Sends --messages messages, a seeded --poison-fraction of them poison (functions/poison-consumer fails on \
            them every time), through fnhost's own queues, streams, event source mappings and pools, one scenario at \
            a time on a fresh host: queue (standard, whole-batch failures, redrive to a DLQ), queue-partial \
            (ReportBatchItemFailures), stream (Lambda's defaults: the shard blocks until the poison record expires \
            after the stream's 24 h retention, time-scaled), stream-bisect (MaximumRetryAttempts, \
            BisectBatchOnFunctionError, an on-failure queue), fifo (FIFO queue and DLQ). For each: simulated time \
            until every good message is processed, the longest head-of-line block, invocations per message, good \
            messages processed more than once, messages parked, expired and lost, and the cost (Lambda requests and \
            GB-s, SQS requests or Kinesis shard-hours and PUT units), with this machine's CPU load. A lost message \
            (neither processed, parked nor expired) fails the run (exit 1; 3 when it cannot start). SQS durations are whole real seconds in \
            fnhost, so the visibility timeout is --visibility-timeout real seconds, reported in simulated seconds. Under the `lambda` profile unless \
            --profile says otherwise; at --time-scale 0.0005 unless told (a simulated day, the stream's retention, \
            in 43.2 real seconds; the default run takes about a minute and a half).
            """)

    @Option(help: "Messages per scenario.") var messages = 200
    @Option(help: "The fraction of messages that are poison (seeded; at least one).") var poisonFraction = 0.05
    @Option(
        help: ArgumentHelp(
            "Scenarios, comma-separated: \(CommaSeparatedList.allowed(PoisonScenario.self)).", valueName: "list"))
    var scenarios = CommaSeparatedList.all(PoisonScenario.self)
    @Option(help: "The queues' visibility timeout, in real seconds (whole seconds, as SQS takes it).")
    var visibilityTimeout = 1
    @Option(help: "The queues' redrive maxReceiveCount.") var maxReceiveCount = 3
    @Option(help: "The stream's shards.") var shards = 2
    @Option(help: "stream-bisect's MaximumRetryAttempts.") var maximumRetryAttempts = 2
    @OptionGroup var output: ExperimentCommand.OutputOptions
    @OptionGroup var traces: KeepTracesOption
    @OptionGroup var host: HostOptions

    func run() async throws {
        var settings = PoisonExperiment.Settings()
        settings.scenarios = try CommaSeparatedList.parse(scenarios, option: "--scenarios")
        guard (1...10_000).contains(messages) else { throw ValidationError("--messages must be 1–10,000") }
        guard (0...1).contains(poisonFraction) else { throw ValidationError("--poison-fraction must be 0–1") }
        guard (1...43_200).contains(visibilityTimeout) else {
            throw ValidationError("--visibility-timeout must be 1–43,200 seconds")
        }
        guard (1...1_000).contains(maxReceiveCount) else {
            throw ValidationError("--max-receive-count must be 1–1,000")
        }
        guard (1...16).contains(shards) else { throw ValidationError("--shards must be 1–16") }
        guard (0...10_000).contains(maximumRetryAttempts) else {
            throw ValidationError("--maximum-retry-attempts must be 0–10,000")
        }
        settings.messages = messages
        settings.poisonFraction = poisonFraction
        settings.visibilityTimeoutRealSeconds = visibilityTimeout
        settings.maxReceiveCount = maxReceiveCount
        settings.shards = shards
        settings.maximumRetryAttempts = maximumRetryAttempts
        settings.keptTraces = traces.keeper()
        let configuration = try experimentConfiguration(host)
        if timeScaleGiven(host) { settings.timeScale = configuration.simulation.timeScale.factor }
        settings.seed = configuration.simulation.seed
        let experiment = PoisonExperiment(host: configuration, settings: settings)
        let report = try await runWithProgress("poison") { progress throws(ExperimentError) in
            try await experiment.run(progress: progress)
        }
        try output.write(
            json: try JSONEncoder.pretty.encode(report), csv: report.csv, svg: report.svg, table: report.table,
            traces: settings.keptTraces)
        if report.lost > 0 {
            let which = report.results.filter { $0.lost > 0 }.map { "\($0.scenario.rawValue): \($0.lost)" }
            printError(
                "fnhost: LOST \(report.lost) messages (\(which.joined(separator: ", "))): neither processed, parked "
                    + "nor expired. fnhost must lose nothing; this is a bug")
            throw ExitCode(1)
        }
    }
}
