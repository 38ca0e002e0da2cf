import FnhostHost
import FnhostWire
import Synchronization

/// The log sink of one level of `fnhost experiment architectures`: it reads the host's `REPORT` lines (every
/// function's latency, cold starts, and when each orchestrator invocation ended) and the orchestrator's answer lines
/// (how an asynchronous caller reads its decision), and drops everything else.
final class ArchitecturesLogObserver: LogSink {
    /// One `REPORT` line, reduced to what the experiment uses.
    struct Report: Sendable {
        var at: ContinuousClock.Instant
        var durationMs: Double
        var coldStart: Bool
        /// Simulated: the invocation's own cold start and invoke overhead (its calls to others excluded).
        var ownSimulatedMs: Double
        /// Measured + simulated, as the host accounts it (see ``ArchitecturesExperiment`` on parallel calls).
        var latencyMs: Double?
        var failed: Bool
    }

    /// Per function: invocations seen, their summed latency, and cold starts.
    struct FunctionStats: Sendable {
        var invocations = 0
        var latencySumMs = 0.0
        var latencyCount = 0
        var coldStarts = 0
    }

    private struct State {
        var functions: [String: FunctionStats] = [:]
        var orchestrator: [String: Report] = [:]
        var answers: [String: EligibilitySummary] = [:]
    }
    private let state = Mutex(State())
    let orchestrator: String

    init(orchestrator: String = "eligibility") { self.orchestrator = orchestrator }

    func platform(_ line: String, function: String, requestID: String?) {
        guard line.hasPrefix("REPORT ") else { return }
        let report = Self.parseReport(line)
        state.withLock { s in
            s.functions[function, default: FunctionStats()].invocations += 1
            if report.coldStart { s.functions[function, default: FunctionStats()].coldStarts += 1 }
            if let latency = report.latencyMs, !report.failed {
                s.functions[function, default: FunctionStats()].latencySumMs += latency
                s.functions[function, default: FunctionStats()].latencyCount += 1
            }
            if function == orchestrator, let requestID { s.orchestrator[requestID] = report }
        }
    }

    func functionOutput(_ line: String, function: String, worker: String, requestID: String?) {
        guard function == orchestrator, let summary = EligibilitySummary(logLine: line) else { return }
        state.withLock { $0.answers[summary.requestID] = summary }
    }

    var functions: [String: FunctionStats] { state.withLock { $0.functions } }

    func report(_ requestID: String) -> Report? { state.withLock { $0.orchestrator[requestID] } }
    func answer(_ requestID: String) -> EligibilitySummary? { state.withLock { $0.answers[requestID] } }

    /// Forgets everything (after a level's warm-up).
    func reset() { state.withLock { $0 = State() } }

    /// Waits until every id has its `REPORT` and, unless it failed, its answer line (the worker's output is read
    /// apart from the host's own lines, so the two arrive in either order), polling; false when `timeout` passes.
    func waitForReports(_ ids: [String], timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let missing = state.withLock { s in
                ids.contains { id in
                    guard let report = s.orchestrator[id] else { return true }
                    return !report.failed && s.answers[id] == nil
                }
            }
            if !missing { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return false
    }

    /// Reads the fields of a `REPORT` line the host wrote (``LogLines/report(_:)``): tab-separated `Name: value`.
    static func parseReport(_ line: String) -> Report {
        var fields: [Substring: Substring] = [:]
        for part in line.split(separator: "\t") {
            guard let colon = part.firstIndex(of: ":") else { continue }
            fields[part[..<colon]] = part[part.index(after: colon)...].drop { $0 == " " }
        }
        func ms(_ name: Substring) -> Double? {
            guard let text = fields[name] else { return nil }
            return Double(text.split(separator: " ").first ?? "")
        }
        return Report(
            at: .now, durationMs: ms("Duration") ?? 0, coldStart: fields["Init Duration"] != nil,
            ownSimulatedMs: (ms("fnhost Simulated Cold Start") ?? 0) + (ms("fnhost Simulated Invoke Overhead") ?? 0),
            latencyMs: ms("fnhost Latency") ?? ms("fnhost Measured Latency"), failed: fields["Status"] != nil)
    }
}
