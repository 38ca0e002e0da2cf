import FnhostHost
import Foundation

/// The keep-alive report as a terminal table, CSV and an SVG chart.
extension KeepAliveReport {
    public var table: String {
        var lines = [
            "keep-alive: \(function), Poisson arrivals at \(TextTable.fixed(arrivalRatePerSecond, 1))/s for \(TextTable.fixed(durationSeconds, 0)) s (simulated), seed \(seed)"
                + (profile.map { ", profile \($0) at time scale \(timeScale)" }
                    ?? ", no simulated delays at time scale \(timeScale)"),
            "cold % and mean workers are measured | model median [model band: \(Self.bandName) of \(levels.first?.model.runs ?? 0) seeded runs]; "
                + "* = outside the band; latency is measured + simulated (simulated ms); CPU = this machine while the level ran",
        ]
        lines += timeline.lines + [""]
        let header = [
            "keep-alive s", "requests", "cold starts", "cold % | model [band]", "mean workers | model [band]",
            "idle worker-s", "p50 ms", "p95 ms", "p99 ms", "cost $", "CPU",
        ]
        let rows = levels.map { l in
            [
                TextTable.fixed(l.keepAliveSeconds, 1), "\(l.requests)", "\(l.coldStarts)",
                "\(HitRateReport.pct(l.coldStartFraction)) | \(HitRateReport.pct(l.model.coldStartFraction)) "
                    + "[\(HitRateReport.pct(l.model.coldStartFractionLow).trimmed)–\(HitRateReport.pct(l.model.coldStartFractionHigh).trimmed)]"
                    + (l.deviations.contains { $0.hasPrefix("cold") } ? " *" : ""),
                "\(TextTable.fixed(l.meanWorkers, 2)) | \(TextTable.fixed(l.model.meanWorkers, 2)) "
                    + "[\(TextTable.fixed(l.model.meanWorkersLow, 2))–\(TextTable.fixed(l.model.meanWorkersHigh, 2))]"
                    + (l.deviations.contains { $0.hasPrefix("mean workers") } ? " *" : ""),
                TextTable.fixed(l.idleWorkerSeconds, 1),
                TextTable.fixed(l.latencyMs.p50, 1),
                TextTable.fixed(l.latencyMs.p95, 1), TextTable.fixed(l.latencyMs.p99, 1),
                String(format: "%.6f", l.estimatedCostUSD), HitRateReport.machine(l.machine),
            ]
                + (l.errors > 0 ? ["\(l.errors) errors"] : [])
        }
        lines += HitRateReport.align([header] + rows)
        for l in levels where l.machine.isSaturated {
            lines.append("keep-alive \(TextTable.fixed(l.keepAliveSeconds, 1)) s: SATURATED, \(l.machine.summary)")
        }
        lines += notes.map { "note: \($0)" }
        return lines.joined(separator: "\n")
    }

    static let bandName =
        "\(TextTable.fixed(KeepAliveModel.band.low, 1))–\(TextTable.fixed(KeepAliveModel.band.high, 1)) %"

    public var csv: String {
        var out =
            "keep_alive_s,requests,errors,cold_starts,cold_start_fraction,mean_workers,idle_worker_seconds,latency_p50_ms,latency_p95_ms,latency_p99_ms,estimated_cost_usd,"
            + "model_cold_start_fraction,model_cold_start_fraction_low,model_cold_start_fraction_high,model_mean_workers,"
            + "model_mean_workers_low,model_mean_workers_high,deviates,machine_busy,host_cpu_s,workers_cpu_s,saturated,time_scale\n"
        for l in levels {
            out +=
                [
                    "\(l.keepAliveSeconds)", "\(l.requests)", "\(l.errors)", "\(l.coldStarts)",
                    TextTable.fixed(l.coldStartFraction, 4),
                    TextTable.fixed(l.meanWorkers, 3), TextTable.fixed(l.idleWorkerSeconds, 3),
                    TextTable.fixed(l.latencyMs.p50, 3),
                    TextTable.fixed(l.latencyMs.p95, 3), TextTable.fixed(l.latencyMs.p99, 3),
                    String(format: "%.8f", l.estimatedCostUSD),
                    TextTable.fixed(l.model.coldStartFraction, 4),
                    TextTable.fixed(l.model.coldStartFractionLow, 4),
                    TextTable.fixed(l.model.coldStartFractionHigh, 4),
                    TextTable.fixed(l.model.meanWorkers, 3),
                    TextTable.fixed(l.model.meanWorkersLow, 3), TextTable.fixed(l.model.meanWorkersHigh, 3),
                    "\(l.deviates)", TextTable.fixed(l.machine.machineBusy, 3),
                    TextTable.fixed(l.machine.hostCPUSeconds, 3),
                    TextTable.fixed(l.machine.workersCPUSeconds, 3),
                    "\(l.machine.isSaturated)", "\(timeScale)",
                ]
                .joined(separator: ",") + "\n"
        }
        return out
    }

    /// Three panels against keep-alive: cold starts, mean workers (each beside the model's median and band), and
    /// the idle worker-seconds the keep-alive costs.
    public var svg: String {
        let x = levels.map { max(0.5, $0.keepAliveSeconds) }
        return SVGChart.document(
            title:
                "fnhost keep-alive: \(function), λ = \(TextTable.fixed(arrivalRatePerSecond, 1))/s, seed \(seed), time scale \(timeScale)",
            panels: [
                .init(
                    title: "Cold starts (%) against keep-alive", yLabel: "cold starts %", yMax: 100,
                    series: [
                        .init(
                            name: "cold-start fraction (measured)", color: "#d9480f", dashed: false,
                            points: zip(x, levels).map { ($0, $1.coldStartFraction * 100) }, marker: .circle),
                        .init(
                            name: "model (median)", color: "#495057", dashed: true,
                            points: zip(x, levels).map { ($0, $1.model.coldStartFraction * 100) }, marker: .ring,
                            band: zip(x, levels).map {
                                ($0, $1.model.coldStartFractionLow * 100, $1.model.coldStartFractionHigh * 100)
                            }, bandName: "model: \(Self.bandName) band"),
                    ]),
                .init(
                    title: "Mean workers alive against keep-alive", yLabel: "workers", yMax: nil,
                    series: [
                        .init(
                            name: "mean workers (measured)", color: "#2b8a3e", dashed: false,
                            points: zip(x, levels).map { ($0, $1.meanWorkers) }, marker: .triangle),
                        .init(
                            name: "model (median)", color: "#495057", dashed: true,
                            points: zip(x, levels).map { ($0, $1.model.meanWorkers) }, marker: .diamond,
                            band: zip(x, levels).map { ($0, $1.model.meanWorkersLow, $1.model.meanWorkersHigh) },
                            bandName: "model: \(Self.bandName) band"),
                    ]),
                .init(
                    title: "Idle worker-seconds (memory held for nothing) against keep-alive", yLabel: "worker-s",
                    yMax: nil,
                    series: [
                        .init(
                            name: "idle worker-seconds (measured)", color: "#1c7ed6", dashed: false,
                            points: zip(x, levels).map { ($0, $1.idleWorkerSeconds) }, marker: .square)
                    ]),
            ], xLabel: "keep-alive (simulated seconds, log scale; 0 shown at 0.5)")
    }
}

extension String {
    fileprivate var trimmed: String { trimmingCharacters(in: .whitespaces) }
}
