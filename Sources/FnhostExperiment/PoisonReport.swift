import FnhostHost
import Foundation

/// What `fnhost experiment poison` reports: one `PoisonResult` per scenario, as a table, CSV, JSON and a chart.
public struct PoisonReport: Sendable, Codable, Equatable {
    public var messages: Int
    public var poisonFraction: Double
    public var seed: UInt64
    public var timeScale: Double
    public var results: [PoisonResult]
    public var notes: [String]

    init(settings: PoisonExperiment.Settings, results: [PoisonResult]) {
        messages = settings.messages
        poisonFraction = settings.poisonFraction
        seed = settings.seed
        timeScale = settings.timeScale
        self.results = results
        var notes: [String] = []
        for r in results where !r.settled {
            notes.append("\(r.scenario.rawValue) did not settle in time: what it had not accounted for counts as lost")
        }
        if let saturation = MachineLoad.saturationNote(results.map { ($0.scenario.rawValue, $0.load) }) {
            notes.append(saturation)
        }
        notes.append(
            "times are simulated seconds (measured wall time ÷ \(timeScale)); SQS requests are estimated (sends, and a "
                + "receive and a delete per batch); SQS and Kinesis prices are unverified third-party figures")
        self.notes = notes
    }

    /// Messages lost over every scenario: must be 0.
    public var lost: Int { results.reduce(0) { $0 + $1.lost } }

    static func seconds(_ x: Double?) -> String {
        guard let x else { return "never" }
        return x >= 100 ? String(Int(x.rounded())) : TextTable.fixed(x, 1)
    }

    public var table: String {
        var lines = [
            "fnhost experiment poison: \(messages) messages, \(results.first?.poison ?? 0) poison (fraction \(poisonFraction), "
                + "seed \(seed)), time scale \(timeScale); times in simulated seconds"
        ]
        let header = [
            "scenario", "good done", "block", "settled", "wall s", "inv/msg", "dup", "parked", "expired", "lost",
            "Lambda $",
            "source $", "CPU",
        ]
        let widths = [14, 10, 8, 8, 7, 8, 5, 7, 15, 5, 10, 10, 6]
        func row(_ cells: [String]) -> String { TextTable.rightAligned(cells, widths: widths) }
        lines.append(row(header))
        for r in results {
            lines.append(
                row([
                    r.scenario.rawValue, Self.seconds(r.goodDoneSeconds), Self.seconds(r.longestBlockSeconds),
                    Self.seconds(r.settledSeconds), TextTable.fixed(r.measuredSeconds, 1),
                    TextTable.fixed(r.invocationsPerMessage, 2),
                    String(r.processedMoreThanOnce),
                    String(r.parked), r.goodExpired > 0 ? "\(r.expired) (\(r.goodExpired) good)" : String(r.expired),
                    String(r.lost), TextTable.fixed(r.lambdaCostUSD, 6), TextTable.fixed(r.sourceCostUSD, 6),
                    "\(Int((r.load.machineBusy * 100).rounded()))%" + (r.load.isSaturated ? "!" : ""),
                ]))
        }
        lines.append("")
        for r in results {
            let settings = r.settings.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            lines.append("  \(r.scenario.rawValue): \(r.scenario.title); \(settings)")
        }
        lines.append(
            "  good done: until every good message was first processed (never: some were parked or expired); block: the "
                + "longest stretch with good messages waiting and none processed (one never processed waits until the "
                + "end); settled: the queue empty or the consumer past every record; wall s: measured; dup: good "
                + "messages processed more than once; expired: dropped by the stream's retention; lost must be 0")
        for note in notes { lines.append("  note: " + note) }
        return lines.joined(separator: "\n")
    }

    public var csv: String {
        var out =
            "scenario,messages,poison,time_scale,good_done_s,longest_block_s,settled_s,measured_s,invocations,"
            + "invocations_per_message,processed,processed_more_than_once,parked,expired,good_expired,lost,"
            + "lambda_requests,gigabyte_seconds,lambda_cost_usd,source_requests,shard_hours,source_cost_usd,"
            + "cost_usd,machine_busy,saturated\n"
        for r in results {
            out +=
                [
                    r.scenario.rawValue, String(r.messages), String(r.poison), String(timeScale),
                    r.goodDoneSeconds.map { TextTable.fixed($0, 1) } ?? "", TextTable.fixed(r.longestBlockSeconds, 1),
                    TextTable.fixed(r.settledSeconds, 1), TextTable.fixed(r.measuredSeconds, 3), String(r.invocations),
                    TextTable.fixed(r.invocationsPerMessage, 3), String(r.processed), String(r.processedMoreThanOnce),
                    String(r.parked), String(r.expired), String(r.goodExpired), String(r.lost),
                    String(r.lambdaRequests), TextTable.fixed(r.gigabyteSeconds, 4),
                    TextTable.fixed(r.lambdaCostUSD, 8),
                    String(r.sourceRequests), TextTable.fixed(r.shardHours, 4), TextTable.fixed(r.sourceCostUSD, 8),
                    TextTable.fixed(r.costUSD, 8), TextTable.fixed(r.load.machineBusy, 3), String(r.load.isSaturated),
                ].joined(separator: ",") + "\n"
        }
        return out
    }

    static let colors: [PoisonScenario: String] = [
        .queue: "#1f77b4", .queuePartial: "#2ca02c", .stream: "#d62728", .streamBisect: "#ff7f0e", .fifo: "#9467bd",
    ]

    /// Good messages processed over simulated time (log₂ axis: seconds to a day), one line per scenario.
    public var svg: String {
        let series = results.map { r in
            SVGChart.Series(
                name: r.scenario.rawValue, color: Self.colors[r.scenario] ?? "#555", dashed: r.scenario.isStream,
                points: r.progress.map { ($0.seconds, $0.percent) })
        }
        return SVGChart.document(
            title: "fnhost experiment poison: \(messages) messages, \(results.first?.poison ?? 0) poison",
            panels: [.init(title: "good messages processed", yLabel: "% of good messages", yMax: 100, series: series)],
            xLabel: "simulated seconds since the first message (log₂)")
    }
}
