import FnhostStates
import FnhostWire
import Metrics
import Synchronization

/// What the Step Functions service counts, through swift-metrics (`fnhost serve` exports it on `/metrics`):
/// executions by state machine and status, state transitions, each state's measured duration (entered to exited,
/// real time, simulated delays slept included) and the estimated Step Functions bill.
public final class StepFunctionsMetrics: Sendable {
    let factory: any MetricsFactory
    /// When each running state was entered (real time), by execution and state name; a list because Map iterations
    /// run states of the same name at once.
    private let entered = Mutex<[String: [ContinuousClock.Instant]]>([:])

    /// Metrics recorded into `factory`; the default records nothing.
    public init(factory: any MetricsFactory = NOOPMetricsHandler.instance) { self.factory = factory }

    /// One history event of an execution of `machine`.
    func observe(_ event: HistoryEvent, machine: String, execution: String) {
        guard event.type.hasSuffix("StateEntered") || event.type.hasSuffix("StateExited"),
            case .object(let details)? = event.details, case .string(let state)? = details["name"]
        else { return }
        let key = execution + "#" + state
        if event.type.hasSuffix("StateEntered") {
            Counter(
                label: "fnhost_states_transitions_total", dimensions: [("state_machine", machine)], factory: factory
            )
            .increment()
            entered.withLock { $0[key, default: []].append(.now) }
            return
        }
        let start = entered.withLock { all -> ContinuousClock.Instant? in
            guard var list = all[key], !list.isEmpty else { return nil }
            let first = list.removeFirst()
            all[key] = list.isEmpty ? nil : list
            return first
        }
        guard let start else { return }
        Recorder(
            label: "fnhost_states_state_duration_ms",
            dimensions: [("state_machine", machine), ("state", state), ("kind", "measured")], aggregate: true,
            factory: factory
        ).record((ContinuousClock.now - start).inMilliseconds)
    }

    /// An execution's end.
    func finished(machine: String, execution: String, status: String, usage: StepFunctionsUsage) {
        entered.withLock { all in
            for key in all.keys where key.hasPrefix(execution + "#") { all[key] = nil }
        }
        Counter(
            label: "fnhost_states_executions_total", dimensions: [("state_machine", machine), ("status", status)],
            factory: factory
        ).increment()
        Gauge(label: "fnhost_states_estimated_cost_usd", factory: factory).record(usage.totals.estimatedCostUSD)
    }
}
