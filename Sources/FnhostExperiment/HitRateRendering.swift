import FnhostHost
import Foundation

/// The cache-hit-rate report as a terminal table, CSV and an SVG chart.
extension HitRateReport {
    public var table: String {
        var lines =
            [
                "cache-hit-rate: \(function), \(requests) requests per level over \(keys) keys (\(distribution)), seed \(seed)"
                    + (profile.map { ", profile \($0) at time scale \(timeScale)" } ?? ", no simulated delays"),
                "hit rates are measured | model; latency is measured + simulated (simulated ms); * = differs from the model by more than \(TextTable.fixed(tolerancePoints, 0)) points; CPU = this machine while the level ran (SATURATED at \(Int(MachineLoad.saturationThreshold * 100)) % or more)",
            ] + timeline.lines + [""]
        let header = [
            "mode", "C", "workers", "cold", "worker hit", "shared hit", "overall hit", "store calls",
            "p50 ms", "p95 ms", "p99 ms", "req/s", "cost $", "CPU",
        ]
        var rows: [[String]] = []
        for l in levels {
            rows.append(
                [
                    l.mode.rawValue, "\(l.concurrency)", "\(l.workersStarted)", "\(l.coldStarts)",
                    "\(Self.pct(l.workerHitRate)) | \(Self.pct(l.predictedWorkerHitRate))",
                    Self.pct(l.sharedHitRate),
                    "\(Self.pct(l.overallHitRate)) | \(Self.pct(l.predictedOverallHitRate))\(l.deviates ? " *" : "")",
                    "\(l.referenceStoreCalls)", TextTable.fixed(l.latencyMs.p50, 1),
                    TextTable.fixed(l.latencyMs.p95, 1),
                    TextTable.fixed(l.latencyMs.p99, 1), TextTable.fixed(l.throughputPerSecond, 0),
                    String(format: "%.6f", l.estimatedCostUSD), Self.machine(l.machine),
                ]
                    + (l.errors > 0
                        ? [
                            "\(l.errors) errors: "
                                + l.errorTypes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(
                                    separator: ", ")
                        ] : []))
        }
        lines += Self.align([header] + rows)
        lines += notes.map { "note: \($0)" }
        return lines.joined(separator: "\n")
    }

    public var csv: String {
        var out =
            "mode,concurrency,requests,errors,workers_started,cold_starts,worker_hit_rate,shared_hit_rate,overall_hit_rate,"
            + "predicted_worker_hit_rate,predicted_overall_hit_rate,model,reference_store_calls,latency_p50_ms,latency_p95_ms,"
            + "latency_p99_ms,measured_latency_p50_ms,measured_latency_p95_ms,measured_latency_p99_ms,throughput_per_s,estimated_cost_usd,deviates,"
            + "machine_busy,host_cpu_s,workers_cpu_s,saturated,time_scale\n"
        for l in levels {
            out +=
                [
                    l.mode.rawValue, "\(l.concurrency)", "\(l.requests)", "\(l.errors)", "\(l.workersStarted)",
                    "\(l.coldStarts)",
                    TextTable.fixed(l.workerHitRate, 4), TextTable.fixed(l.sharedHitRate, 4),
                    TextTable.fixed(l.overallHitRate, 4),
                    TextTable.fixed(l.predictedWorkerHitRate, 4), TextTable.fixed(l.predictedOverallHitRate, 4),
                    l.modelMethod,
                    "\(l.referenceStoreCalls)", TextTable.fixed(l.latencyMs.p50, 3),
                    TextTable.fixed(l.latencyMs.p95, 3),
                    TextTable.fixed(l.latencyMs.p99, 3), TextTable.fixed(l.measuredLatencyMs.p50, 3),
                    TextTable.fixed(l.measuredLatencyMs.p95, 3),
                    TextTable.fixed(l.measuredLatencyMs.p99, 3), TextTable.fixed(l.throughputPerSecond, 1),
                    String(format: "%.8f", l.estimatedCostUSD),
                    "\(l.deviates)", TextTable.fixed(l.machine.machineBusy, 3),
                    TextTable.fixed(l.machine.hostCPUSeconds, 3),
                    TextTable.fixed(l.machine.workersCPUSeconds, 3), "\(l.machine.isSaturated)", "\(timeScale)",
                ].joined(separator: ",") + "\n"
        }
        return out
    }

    /// Two panels: hit rate against concurrency (one solid line per mode and tier, the model dashed), and p95
    /// latency against concurrency.
    public var svg: String {
        let modes = CacheMode.allCases.filter { m in levels.contains { $0.mode == m } }
        let colors: [CacheMode: String] = [.perWorker: "#d9480f", .shared: "#1c7ed6"]
        var hitSeries: [SVGChart.Series] = []
        var latencySeries: [SVGChart.Series] = []
        for mode in modes {
            let ls = levels.filter { $0.mode == mode }
            let color = colors[mode] ?? "#444"
            hitSeries.append(
                .init(
                    name: "\(mode.rawValue): overall hit rate (measured)", color: color, dashed: false,
                    points: ls.map { (Double($0.concurrency), $0.overallHitRate * 100) },
                    marker: mode == .perWorker ? .circle : .square))
            hitSeries.append(
                .init(
                    name: "\(mode.rawValue): model", color: color, dashed: true,
                    points: ls.map { (Double($0.concurrency), $0.predictedOverallHitRate * 100) },
                    marker: mode == .perWorker ? .ring : .hollowSquare))
            if mode == .shared {
                // Equal to the per-worker line when both modes hit the same: dotted, with its own marker.
                hitSeries.append(
                    .init(
                        name: "\(mode.rawValue): worker-memory hits only", color: "#1098ad", dashed: false,
                        points: ls.map { (Double($0.concurrency), $0.workerHitRate * 100) }, marker: .diamond,
                        dash: "2 3"))
            }
            latencySeries.append(
                .init(
                    name: "\(mode.rawValue): p95 latency", color: color, dashed: false,
                    points: ls.map { (Double($0.concurrency), $0.latencyMs.p95) },
                    marker: mode == .perWorker ? .circle : .square))
        }
        let title =
            "fnhost cache-hit-rate: \(function), \(requests) requests over \(keys) keys (\(distribution)), seed \(seed)"
        return SVGChart.document(
            title: title,
            panels: [
                .init(
                    title: "Cache hit rate (%) against concurrency", yLabel: "hit rate %", yMax: 100, series: hitSeries),
                .init(
                    title: "p95 latency (ms, measured + simulated) against concurrency", yLabel: "ms", yMax: nil,
                    series: latencySeries),
            ])
    }

    /// A level's CPU, with the verdict when it saturated the machine.
    static func machine(_ load: MachineLoad) -> String {
        "\(Int((load.machineBusy * 100).rounded())) %" + (load.isSaturated ? " SATURATED" : "")
    }

    static func pct(_ v: Double) -> String { String(format: "%5.1f%%", v * 100) }

    static func align(_ rows: [[String]]) -> [String] {
        let columns = rows.map(\.count).max() ?? 0
        let widths = (0..<columns).map { i in rows.map { i < $0.count ? $0[i].count : 0 }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { i, cell in cell.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
    }
}
