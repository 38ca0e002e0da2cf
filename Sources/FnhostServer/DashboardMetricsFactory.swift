import FnhostDashboard
import Metrics

/// Feeds the live page from the metrics the host already records: a swift-metrics backend, multiplexed with the
/// Prometheus one, that turns the few series the page draws (invocations, throttles, cold starts, cache lookups,
/// latencies, finished executions) into ``DashboardEvent``s and ignores every other. The host needs no second way
/// of reporting what it does, and the page counts exactly what `/metrics` counts.
struct DashboardMetricsFactory: MetricsFactory {
    let recorder: DashboardRecorder

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        let d = Dictionary(dimensions, uniquingKeysWith: { _, last in last })
        let event: DashboardEvent?
        switch label {
        case "fnhost_invocations_total":
            event = d["function"].map { .invocation(function: $0, failed: d["outcome"] != "success") }
        case "fnhost_throttles_total":
            event = d["function"].map { .throttle(function: $0) }
        case "fnhost_cold_starts_total":
            event = d["function"].map { .coldStart(function: $0) }
        case "fnhost_cache_lookups_total":
            if let f = d["function"], let outcome = d["outcome"].flatMap(DashboardEvent.CacheOutcome.init(rawValue:)) {
                event = .cacheLookup(function: f, outcome: outcome)
            } else {
                event = nil
            }
        case "fnhost_states_executions_total":
            if let machine = d["state_machine"], let status = d["status"] {
                event = .executionFinished(stateMachine: machine, status: status)
            } else {
                event = nil
            }
        default:
            event = nil
        }
        guard let event else { return NOOPMetricsHandler.instance.makeCounter(label: label, dimensions: dimensions) }
        return EventCounter(recorder: recorder, event: event)
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        let d = Dictionary(dimensions, uniquingKeysWith: { _, last in last })
        guard label == "fnhost_latency_ms", let function = d["function"] else {
            return NOOPMetricsHandler.instance.makeRecorder(label: label, dimensions: dimensions, aggregate: aggregate)
        }
        switch d["kind"] {
        case "measured": return LatencyRecorder(recorder: recorder, function: function, kind: .measured)
        case "measured_plus_simulated":
            return LatencyRecorder(recorder: recorder, function: function, kind: .withSimulated)
        default:
            return NOOPMetricsHandler.instance.makeRecorder(label: label, dimensions: dimensions, aggregate: aggregate)
        }
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        NOOPMetricsHandler.instance.makeTimer(label: label, dimensions: dimensions)
    }

    func destroyCounter(_ handler: any CounterHandler) {}
    func destroyRecorder(_ handler: any RecorderHandler) {}
    func destroyTimer(_ handler: any TimerHandler) {}

    /// A counter whose every increment is one event (the host counts one at a time).
    final class EventCounter: CounterHandler {
        let recorder: DashboardRecorder
        let event: DashboardEvent

        init(recorder: DashboardRecorder, event: DashboardEvent) {
            self.recorder = recorder
            self.event = event
        }

        func increment(by amount: Int64) {
            for _ in 0..<max(0, min(amount, 1_000)) { recorder.record(event) }
        }

        func reset() {}
    }

    final class LatencyRecorder: RecorderHandler {
        let recorder: DashboardRecorder
        let function: String
        let kind: DashboardEvent.LatencyKind

        init(recorder: DashboardRecorder, function: String, kind: DashboardEvent.LatencyKind) {
            self.recorder = recorder
            self.function = function
            self.kind = kind
        }

        func record(_ value: Int64) { record(Double(value)) }

        func record(_ value: Double) {
            guard value.isFinite else { return }
            recorder.record(.latency(function: function, kind: kind, milliseconds: value))
        }
    }
}
