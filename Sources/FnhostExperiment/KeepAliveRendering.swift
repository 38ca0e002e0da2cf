import Foundation

/// The keep-alive report as a terminal table, CSV and an SVG chart.
extension KeepAliveReport {
    public var table: String {
        var lines = [
            "keep-alive: \(function), Poisson arrivals at \(HitRateReport.format(arrivalRatePerSecond, 1))/s for \(HitRateReport.format(durationSeconds, 0)) s (simulated), seed \(seed)"
                + (profile.map { ", profile \($0) at time scale \(timeScale)" } ?? ", no simulated delays"),
            "",
        ]
        let header = [
            "keep-alive s", "requests", "cold starts", "cold %", "mean workers", "idle worker-s", "p50 ms", "p95 ms",
            "p99 ms", "cost $",
        ]
        let rows = levels.map { l in
            [
                HitRateReport.format(l.keepAliveSeconds, 1), "\(l.requests)", "\(l.coldStarts)",
                HitRateReport.pct(l.coldStartFraction),
                HitRateReport.format(l.meanWorkers, 2), HitRateReport.format(l.idleWorkerSeconds, 1),
                HitRateReport.format(l.latencyMs.p50, 1),
                HitRateReport.format(l.latencyMs.p95, 1), HitRateReport.format(l.latencyMs.p99, 1),
                String(format: "%.6f", l.estimatedCostUSD),
            ]
                + (l.errors > 0 ? ["\(l.errors) errors"] : [])
        }
        return (lines + HitRateReport.align([header] + rows)).joined(separator: "\n")
    }

    public var csv: String {
        var out =
            "keep_alive_s,requests,errors,cold_starts,cold_start_fraction,mean_workers,idle_worker_seconds,latency_p50_ms,latency_p95_ms,latency_p99_ms,estimated_cost_usd\n"
        for l in levels {
            out +=
                [
                    "\(l.keepAliveSeconds)", "\(l.requests)", "\(l.errors)", "\(l.coldStarts)",
                    HitRateReport.format(l.coldStartFraction, 4),
                    HitRateReport.format(l.meanWorkers, 3), HitRateReport.format(l.idleWorkerSeconds, 3),
                    HitRateReport.format(l.latencyMs.p50, 3),
                    HitRateReport.format(l.latencyMs.p95, 3), HitRateReport.format(l.latencyMs.p99, 3),
                    String(format: "%.8f", l.estimatedCostUSD),
                ]
                .joined(separator: ",") + "\n"
        }
        return out
    }

    public var svg: String {
        let x = levels.map { max(0.5, $0.keepAliveSeconds) }
        return SVGChart.document(
            title:
                "fnhost keep-alive: \(function), λ = \(HitRateReport.format(arrivalRatePerSecond, 1))/s, seed \(seed)",
            panels: [
                .init(
                    title: "Cold starts (%) against keep-alive", yLabel: "cold starts %", yMax: 100,
                    series: [
                        .init(
                            name: "cold-start fraction", color: "#d9480f", dashed: false,
                            points: zip(x, levels).map { ($0, $1.coldStartFraction * 100) })
                    ]),
                .init(
                    title: "Idle worker-seconds (memory held for nothing) against keep-alive", yLabel: "worker-s",
                    yMax: nil,
                    series: [
                        .init(
                            name: "idle worker-seconds", color: "#1c7ed6", dashed: false,
                            points: zip(x, levels).map { ($0, $1.idleWorkerSeconds) }),
                        .init(
                            name: "mean workers", color: "#2b8a3e", dashed: true,
                            points: zip(x, levels).map { ($0, $1.meanWorkers) }),
                    ]),
            ], xLabel: "keep-alive (simulated seconds, log scale; 0 shown at 0.5)")
    }
}
