import FnhostHost
import FnhostWire
import Foundation

/// The closing summary of a `--repeat` run, on standard error: counts, cold starts, measured latency
/// percentiles, and the cache outcomes the workers reported.
struct InvocationSummary {
    let function: String
    let results: [Result<InvocationResult, ServiceError>]

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
            "  duration (measured)      \(Self.percentiles(done.map(\.durationMs)))",
        ]
        if !cold.isEmpty {
            lines.append("  init duration (measured) \(Self.percentiles(cold.compactMap(\.initDurationMs)))")
        }
        var outcomes: [String: Int] = [:]
        for r in done {
            guard let cache = r.annotations["fnhost-cache"] else { continue }
            for part in cache.split(separator: ";") {
                let kv = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if kv.count == 2, kv[0] == "outcome" { outcomes[kv[1], default: 0] += 1 }
            }
        }
        if !outcomes.isEmpty {
            let order = ["worker-hit", "shared-hit", "miss"]
            let keys = order.filter { outcomes[$0] != nil } + outcomes.keys.filter { !order.contains($0) }.sorted()
            let total = outcomes.values.reduce(0, +)
            lines.append("  cache (reported by the workers) " + keys.map { key in
                let n = outcomes[key]!
                return "\(key) \(n) (\(Int((Double(n) / Double(total) * 100).rounded()))%)"
            }.joined(separator: ", "))
        }
        for line in lines { printError(line) }
    }

    static func percentiles(_ values: [Double]) -> String {
        guard !values.isEmpty else { return "n/a" }
        let sorted = values.sorted()
        func p(_ q: Double) -> String {
            let i = min(sorted.count - 1, max(0, Int((q * Double(sorted.count)).rounded(.up)) - 1))
            return LogLines.milliseconds(sorted[i])
        }
        return "p50 \(p(0.5)) ms  p95 \(p(0.95)) ms  p99 \(p(0.99)) ms  max \(p(1.0)) ms"
    }
}
