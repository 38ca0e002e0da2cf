import FnhostHost
import FnhostWire
import Foundation

/// The closing summary of a `--repeat` run, on standard error: counts, cold starts, latency percentiles (measured,
/// and with the simulated part when a profile is active), and the cache outcomes per worker.
struct InvocationSummary {
    let function: String
    let results: [Result<InvocationResult, ServiceError>]
    let cache: CacheTally

    func print() {
        let done = results.compactMap { try? $0.get() }
        let serviceErrors = results.count - done.count
        let errors = done.filter(\.isError).count
        let cold = done.filter(\.isColdStart)
        let workers = Set(done.compactMap(\.workerName)).count
        var lines = [
            "fnhost: \(results.count) invocations of \(function): \(done.count - errors) succeeded, \(errors) function errors"
                + (serviceErrors > 0 ? ", \(serviceErrors) refused" : "")
                + "; \(cold.count) cold starts, \(workers) workers",
            "  duration (measured)                 \(Self.percentiles(done.map(\.durationMs)))",
        ]
        if !cold.isEmpty {
            lines.append("  init duration (measured)            \(Self.percentiles(cold.compactMap(\.initDurationMs)))")
        }
        lines.append("  latency (measured)                  \(Self.percentiles(done.map(\.measuredLatencyMs)))")
        if let profile = done.first(where: { $0.simulation != nil })?.simulation?.profile {
            lines.append("  latency (measured + simulated, \(profile)) \(Self.percentiles(done.map(\.latencyMs)))")
        }
        let total = cache.function(function)
        if total.total > 0 {
            lines.append("  cache (reported by the workers)     " + Self.describe(total))
            for (worker, counts) in cache.workers(of: function).sorted(by: {
                $0.key.compare($1.key, options: .numeric) == .orderedAscending
            }) {
                lines.append(
                    "    \(worker.padding(toLength: 32, withPad: " ", startingAt: 0)) \(Self.describe(counts))")
            }
        }
        for line in lines { printError(line) }
    }

    static func describe(_ c: CacheTally.Counts) -> String {
        func pct(_ n: Int) -> String { "\(Int((Double(n) / Double(max(1, c.total)) * 100).rounded()))%" }
        return "\(c.total) lookups: worker-hit \(c.workerHits) (\(pct(c.workerHits))), shared-hit \(c.sharedHits) "
            + "(\(pct(c.sharedHits))), miss \(c.misses) (\(pct(c.misses)))"
    }

    static func percentiles(_ values: [Double]) -> String {
        guard !values.isEmpty else { return "n/a" }
        let sorted = values.sorted()
        func p(_ percent: Double) -> String { LogLines.milliseconds(Percentile.nearestRank(sorted, percent)) }
        return "p50 \(p(50)) ms  p95 \(p(95)) ms  p99 \(p(99)) ms  max \(p(100)) ms"
    }
}
