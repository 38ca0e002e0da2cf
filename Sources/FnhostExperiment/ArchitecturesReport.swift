import FnhostHost
import FnhostWire
import Foundation

/// Average and percentiles of one latency, in simulated-inclusive milliseconds (measured + simulated).
public struct ArchitecturesLatency: Sendable, Codable, Equatable {
    public var avg: Double
    public var p50: Double
    public var p95: Double
    public var p99: Double

    public init(_ values: [Double]) {
        let sorted = values.sorted()
        avg = values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
        p50 = Percentile.nearestRank(sorted, 50)
        p95 = Percentile.nearestRank(sorted, 95)
        p99 = Percentile.nearestRank(sorted, 99)
    }
}

/// One design at one number of client threads.
public struct ArchitecturesLevel: Sendable, Codable, Equatable {
    public var design: ArchitecturesDesign
    public var threads: Int
    /// Real sleep = simulated delay × this factor, for this level.
    public var timeScale: Double
    /// Measured requests (after the warm-up round).
    public var requests: Int
    public var errors: Int
    public var errorTypes: [String: Int]
    /// Requests per simulated second: requests over the busiest client's summed latencies (closed loop; an `async`
    /// client reads its decision before its next request, so its span is its summed times to decision).
    public var throughputPerSecond: Double
    /// End to end (measured + simulated); for `async`, time to decision (the asynchronous invocation's end).
    public var latencyMs: ArchitecturesLatency
    /// `async` only: time to the 202 and its request id.
    public var acknowledgeMs: ArchitecturesLatency?
    /// Average latency of each component: org-status, coverage and request-log as the orchestrator waited for them
    /// (hop included), rules as org-status waited for it (absent when merged).
    public var componentMs: [String: Double]
    /// The branch that was slowest most often, and how often.
    public var slowestBranch: String
    public var slowestBranchShare: Double
    /// Cold starts in the level, every function (almost all in the warm-up round that fills the fresh pools).
    public var coldStarts: Int
    /// Cache hit rate (any tier) of org-status and coverage over the measured requests.
    public var cacheHitRate: [String: Double]
    /// US dollars per million requests: Lambda requests + GB-seconds of every function (the orchestrator's billed
    /// waiting included) + API Gateway requests.
    public var costPerMillionUSD: Double
    /// The same, per function and `api-gateway`.
    public var costPerMillionByPart: [String: Double]
    /// What this machine's CPUs did meanwhile.
    public var load: MachineLoad
    public var saturated: Bool
}

/// The whole sweep: settings, levels, and what to read from it.
public struct ArchitecturesReport: Sendable, Codable, Equatable {
    public var experiment = "architectures"
    public var profile: String?
    public var seed: UInt64
    public var requestsPerLevel: Int
    public var threads: [Int]
    public var designs: [ArchitecturesDesign]
    /// Designs not run yet, and why.
    public var pending: [String]
    public var levels: [ArchitecturesLevel]
    public var notes: [String]

    /// The table printed on standard output.
    public var table: String {
        var lines: [String] = []
        lines.append(
            "fnhost experiment architectures: seed 000's eligibility system, profile \(profile ?? "manifests'"), seed \(seed), "
                + "\(requestsPerLevel) requests per level (after a warm-up round); latencies in ms, measured + simulated"
        )
        let header = [
            "design", "thr", "scale", "req/s", "avg", "p50", "p95", "p99", "ack", "org-st", "rules", "cover", "log",
            "slowest", "cold", "hit o/c", "$/M", "CPU m/f",
        ]
        let widths = [9, 4, 5, 7, 7, 7, 7, 7, 6, 7, 6, 6, 6, 15, 5, 8, 6, 8]
        func row(_ cells: [String]) -> String { TextTable.rightAligned(cells, widths: widths) }
        lines.append(row(header))
        for l in levels {
            let component = { (name: String) in l.componentMs[name].map { TextTable.fixed($0, 1) } ?? "—" }
            let hits =
                "\(Int(((l.cacheHitRate["org-status"] ?? 0) * 100).rounded()))/\(Int(((l.cacheHitRate["coverage"] ?? 0) * 100).rounded()))"
            var line = row([
                l.design.rawValue, String(l.threads), TextTable.fixed(l.timeScale, 2),
                TextTable.fixed(l.throughputPerSecond, 0),
                TextTable.fixed(l.latencyMs.avg, 1), TextTable.fixed(l.latencyMs.p50, 1),
                TextTable.fixed(l.latencyMs.p95, 1), TextTable.fixed(l.latencyMs.p99, 1),
                l.acknowledgeMs.map { TextTable.fixed($0.avg, 1) } ?? "—", component("org-status"), component("rules"),
                component("coverage"), component("request-log"),
                "\(l.slowestBranch) \(Int((l.slowestBranchShare * 100).rounded()))%", String(l.coldStarts), hits,
                TextTable.fixed(l.costPerMillionUSD, 2),
                "\(Int((l.load.machineBusy * 100).rounded()))/\(Int((l.load.fnhostBusy * 100).rounded()))%",
            ])
            if l.errors > 0 { line += "  \(l.errors) errors \(l.errorTypes)" }
            if l.saturated { line += "  SATURATED: \(MachineLoad.saturationAdvice)" }
            lines.append(line)
        }
        lines.append(
            "async: avg/p50/p95/p99 are time to decision, `ack` the time to the 202 (each client reads its decision before "
                + "its next request, so every design carries one request in flight per thread). "
                + "cold: cold starts in the level (the warm-up round fills the fresh pools). hit o/c: cache hit % of org-status/coverage. "
                + "CPU m/f: the machine's CPUs busy / fnhost's share (host + workers), over the timed requests.")
        for p in pending { lines.append("not run: \(p)") }
        for n in notes { lines.append("note: \(n)") }
        return lines.joined(separator: "\n")
    }

    /// One row per design and level.
    public var csv: String {
        var out =
            "design,threads,time_scale,requests,errors,throughput_per_s,avg_ms,p50_ms,p95_ms,p99_ms,ack_avg_ms,ack_p99_ms,"
            + "org_status_ms,rules_ms,coverage_ms,request_log_ms,slowest_branch,slowest_share,cold_starts,"
            + "org_status_hit_rate,coverage_hit_rate,cost_per_million_usd,machine_busy,host_cpu_s,workers_cpu_s,saturated\n"
        for l in levels {
            let c = { (name: String) in l.componentMs[name].map { TextTable.fixed($0, 3) } ?? "" }
            out +=
                [
                    l.design.rawValue, String(l.threads), String(l.timeScale), String(l.requests), String(l.errors),
                    TextTable.fixed(l.throughputPerSecond, 2), TextTable.fixed(l.latencyMs.avg, 3),
                    TextTable.fixed(l.latencyMs.p50, 3),
                    TextTable.fixed(l.latencyMs.p95, 3), TextTable.fixed(l.latencyMs.p99, 3),
                    l.acknowledgeMs.map { TextTable.fixed($0.avg, 3) } ?? "",
                    l.acknowledgeMs.map { TextTable.fixed($0.p99, 3) } ?? "",
                    c("org-status"), c("rules"), c("coverage"), c("request-log"), l.slowestBranch,
                    TextTable.fixed(l.slowestBranchShare, 3), String(l.coldStarts),
                    TextTable.fixed(l.cacheHitRate["org-status"] ?? 0, 3),
                    TextTable.fixed(l.cacheHitRate["coverage"] ?? 0, 3),
                    TextTable.fixed(l.costPerMillionUSD, 4), TextTable.fixed(l.load.machineBusy, 3),
                    TextTable.fixed(l.load.hostCPUSeconds, 2),
                    TextTable.fixed(l.load.workersCPUSeconds, 2), String(l.saturated),
                ].joined(separator: ",") + "\n"
        }
        return out
    }

    private static let colors: [ArchitecturesDesign: String] = [
        .asBuilt: "#1f77b4", .merged: "#2ca02c", .gateway: "#d62728", .async: "#9467bd", .stepFunctions: "#ff7f0e",
    ]

    /// Latency against threads per design, and cost per million per design.
    public var svg: String {
        var latency: [SVGChart.Series] = []
        var cost: [SVGChart.Series] = []
        for design in designs {
            let mine = levels.filter { $0.design == design }
            let color = Self.colors[design] ?? "#555"
            let name = design == .async ? "async (time to decision)" : design.rawValue
            latency.append(
                .init(
                    name: name, color: color, dashed: false, points: mine.map { (Double($0.threads), $0.latencyMs.avg) }
                ))
            if design == .async {
                latency.append(
                    .init(
                        name: "async (acknowledge)", color: color, dashed: true,
                        points: mine.map { (Double($0.threads), $0.acknowledgeMs?.avg ?? 0) }))
            }
            cost.append(
                .init(
                    name: design.rawValue, color: color, dashed: false,
                    points: mine.map { (Double($0.threads), $0.costPerMillionUSD) }))
        }
        return SVGChart.document(
            title:
                "Seed 000's eligibility system: \(designs.count) designs (profile \(profile ?? "manifests'"), seed \(seed))",
            panels: [
                .init(
                    title: "Average latency, end to end (ms, measured + simulated)", yLabel: "ms", yMax: nil,
                    series: latency),
                .init(title: "Cost per million requests (US$)", yLabel: "US$", yMax: nil, series: cost),
            ], xLabel: "client threads")
    }
}
