import FnhostQueues
import FnhostStore
import Prometheus

/// The queues' gauges on `/metrics`, read from the store when it is scraped: messages visible, in flight and
/// delayed, the age of the oldest message, and whether the queue is some queue's dead-letter queue.
enum SQSMetrics {
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

    static func update(_ registry: PrometheusCollectorRegistry, store: Store) async {
        guard let queues = try? await store.queues() else { return }
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
                registry.makeGauge(descriptor: messages, labels: [("queue", queue.name), ("state", state)])
                    .set(Int64(count))
            }
            let age = counts.oldestSentAt.map { Double(max(0, now - $0)) / 1000 } ?? 0
            registry.makeGauge(descriptor: oldest, labels: [("queue", queue.name)])
                .set(age)
            if deadLetterQueues.contains(queue.name) {
                registry.makeGauge(descriptor: deadLetters, labels: [("queue", queue.name)])
                    .set(Int64(counts.visible + counts.inFlight + counts.delayed))
            }
        }
    }
}
