import FnhostEventSources
import Prometheus
import Synchronization

/// The mappings' figures on `/metrics`: batches by outcome (success, failure, partial) and messages by fate
/// (processed, returned) per mapping, and the pollers each mapping runs now. Counted as they happen; `snapshot`
/// gives the same counts to `fnhost mappings list` through the API.
public final class EventSourceMetrics: Sendable {
    private let registry: PrometheusCollectorRegistry
    private let counts = Mutex<[String: [String: Int]]>([:])

    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    static var batches: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "fnhost", subsystem: "event_source", metricName: "batches", unitName: "total",
            helpText: "Batches an event source mapping handed its function, by outcome: success, failure, partial")
    }
    static var messages: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "fnhost", subsystem: "event_source", metricName: "messages", unitName: "total",
            helpText: "Messages of an event source mapping by fate: processed (deleted), returned (to reappear)")
    }
    static var pollers: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "fnhost", subsystem: "event_source", metricName: "pollers", unitName: "",
            helpText: "Pollers (concurrent batches) an event source mapping runs now")
    }

    static func labels(_ m: EventSourceMapping) -> [(String, String)] {
        [("uuid", m.uuid), ("function", m.function), ("source", m.sourceName)]
    }

    /// Counts one batch's outcome, with how many of its messages were processed and how many went back.
    public func batch(_ m: EventSourceMapping, _ outcome: BatchOutcome, processed: Int, returned: Int) {
        registry.makeCounter(descriptor: Self.batches, labels: Self.labels(m) + [("outcome", outcome.label)])
            .increment()
        if processed > 0 {
            registry.makeCounter(descriptor: Self.messages, labels: Self.labels(m) + [("fate", "processed")])
                .increment(by: Int64(processed))
        }
        if returned > 0 {
            registry.makeCounter(descriptor: Self.messages, labels: Self.labels(m) + [("fate", "returned")])
                .increment(by: Int64(returned))
        }
        counts.withLock {
            $0[m.uuid, default: [:]][outcome.label, default: 0] += 1
            $0[m.uuid, default: [:]]["processed", default: 0] += processed
            $0[m.uuid, default: [:]]["returned", default: 0] += returned
        }
    }

    /// Sets the mapping's poller gauge.
    public func pollers(_ m: EventSourceMapping, _ count: Int) {
        registry.makeGauge(descriptor: Self.pollers, labels: Self.labels(m)).set(Int64(count))
        counts.withLock { $0[m.uuid, default: [:]]["pollers"] = count }
    }

    /// The counts so far of one mapping: `success`, `failure`, `partial`, `processed`, `returned`, `pollers`.
    public func snapshot(_ uuid: String) -> [String: Int] {
        counts.withLock { $0[uuid] ?? [:] }
    }
}
