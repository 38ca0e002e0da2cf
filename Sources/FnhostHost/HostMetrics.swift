import FnhostWire
import Metrics

/// What the host counts and times, through swift-metrics, so that any backend can collect it; `fnhost serve`
/// exports it in the Prometheus format. Measured and simulated times are separate series.
public struct HostMetrics: Sendable {
    let factory: any MetricsFactory

    /// Metrics recorded into `factory`; the default records nothing.
    public init(factory: any MetricsFactory = NOOPMetricsHandler.instance) {
        self.factory = factory
    }

    func invocation(_ result: InvocationResult) {
        let f = result.function
        let outcome = result.isError ? (result.status == "timeout" ? "timeout" : "error") : "success"
        Counter(
            label: "fnhost_invocations_total", dimensions: [("function", f), ("outcome", outcome)], factory: factory
        )
        .increment()
        if case .functionError(let e) = result.outcome {
            Counter(
                label: "fnhost_errors_total", dimensions: [("function", f), ("error_type", e.errorType)],
                factory: factory
            )
            .increment()
        }
        if result.isColdStart {
            Counter(label: "fnhost_cold_starts_total", dimensions: [("function", f)], factory: factory).increment()
            if let initMs = result.initDurationMs {
                Recorder(
                    label: "fnhost_init_duration_ms", dimensions: [("function", f), ("kind", "measured")],
                    aggregate: true, factory: factory
                ).record(initMs)
            }
        }
        Recorder(
            label: "fnhost_duration_ms", dimensions: [("function", f), ("kind", "measured")], aggregate: true,
            factory: factory
        ).record(result.durationMs)
        Recorder(
            label: "fnhost_latency_ms", dimensions: [("function", f), ("kind", "measured")], aggregate: true,
            factory: factory
        ).record(result.measuredLatencyMs)
        if let s = result.simulation {
            Recorder(
                label: "fnhost_latency_ms", dimensions: [("function", f), ("kind", "measured_plus_simulated")],
                aggregate: true, factory: factory
            ).record(result.latencyMs)
            Recorder(
                label: "fnhost_simulated_overhead_ms", dimensions: [("function", f), ("component", "invoke")],
                aggregate: true, factory: factory
            ).record(s.invokeOverheadMs)
            if let cold = s.coldStartMs {
                Recorder(
                    label: "fnhost_simulated_overhead_ms", dimensions: [("function", f), ("component", "cold_start")],
                    aggregate: true, factory: factory
                ).record(cold)
            }
        }
        if let outcome = result.cacheOutcome {
            Counter(
                label: "fnhost_cache_lookups_total", dimensions: [("function", f), ("outcome", outcome)],
                factory: factory
            )
            .increment()
        }
    }

    func throttled(function: String) {
        Counter(label: "fnhost_throttles_total", dimensions: [("function", function)], factory: factory).increment()
    }

    /// Sets the gauge of workers in one state (`starting`, `busy`, `idle`).
    public func workers(function: String, state: String, count: Int) {
        Gauge(label: "fnhost_workers", dimensions: [("function", function), ("state", state)], factory: factory)
            .record(count)
    }

    /// Records a simulated gateway delay.
    public func gatewayOverhead(function: String, ms: Double) {
        Recorder(
            label: "fnhost_simulated_overhead_ms", dimensions: [("function", function), ("component", "gateway")],
            aggregate: true, factory: factory
        ).record(ms)
    }

    /// Sets a plain gauge (queue depth, dead letters).
    public func gauge(_ label: String, _ value: Int) {
        Gauge(label: label, factory: factory).record(value)
    }

    /// Counts an asynchronous event's fate (`accepted`, `retried`, `succeeded`, `dead_lettered`).
    public func asyncEvent(function: String, fate: String) {
        Counter(
            label: "fnhost_async_events_total", dimensions: [("function", function), ("fate", fate)], factory: factory
        )
        .increment()
    }
}
