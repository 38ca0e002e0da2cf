import FnhostQueues
import FnhostStore
import Prometheus
import Synchronization

/// The queues' gauges on `/metrics`, read from the store when it is scraped: messages visible, in flight and
/// delayed, the age of the oldest message, and whether the queue is some queue's dead-letter queue. A deleted
/// queue's gauges leave with it.
final class SQSMetrics: Sendable {
    /// The queues whose gauges the last scrape set.
    private let shown = Mutex<Set<String>>([])

    static var messages: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "fnhost", subsystem: "queue", metricName: "messages", unitName: "",
            helpText: "SQS queue messages by state: visible, in_flight (received, not yet visible again), delayed")
    }
    static var oldest: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "fnhost", subsystem: "queue", metricName: "oldest_message_age", unitName: "seconds",
            helpText: "Age of the oldest message in the SQS queue (0 when empty)")
    }
    static var deadLetters: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "fnhost", subsystem: "queue", metricName: "dead_letters", unitName: "",
            helpText: "Messages in a queue that is some queue's dead-letter queue")
    }

    static let states = ["visible", "in_flight", "delayed"]

    func update(_ registry: PrometheusCollectorRegistry, store: Store) async {
        guard let queues = try? await store.queues() else { return }
        let names = Set(queues.map(\.name))
        let gone = shown.withLock { shown in
            defer { shown = names }
            return shown.subtracting(names)
        }
        for name in gone {
            for state in Self.states {
                registry.unregisterGauge(
                    registry.makeGauge(descriptor: Self.messages, labels: [("queue", name), ("state", state)]))
            }
            registry.unregisterGauge(registry.makeGauge(descriptor: Self.oldest, labels: [("queue", name)]))
            registry.unregisterGauge(registry.makeGauge(descriptor: Self.deadLetters, labels: [("queue", name)]))
        }
        let now = SQSService.nowMs()
        var deadLetterQueues: Set<String> = []
        for queue in queues {
            if let policy = try? SQSService.decode(queue).redrivePolicy,
                let target = QueueARN(policy.deadLetterTargetArn)
            {
                deadLetterQueues.insert(target.name)
            }
        }
        for queue in queues {
            guard let counts = try? await store.messageCounts(queue: queue.name, now: now) else { continue }
            for (state, count) in [
                ("visible", counts.visible), ("in_flight", counts.inFlight), ("delayed", counts.delayed),
            ] {
                registry.makeGauge(descriptor: Self.messages, labels: [("queue", queue.name), ("state", state)])
                    .set(Int64(count))
            }
            let age = counts.oldestSentAt.map { Double(max(0, now - $0)) / 1000 } ?? 0
            registry.makeGauge(descriptor: Self.oldest, labels: [("queue", queue.name)])
                .set(age)
            if deadLetterQueues.contains(queue.name) {
                registry.makeGauge(descriptor: Self.deadLetters, labels: [("queue", queue.name)])
                    .set(Int64(counts.visible + counts.inFlight + counts.delayed))
            }
        }
    }
}
