import FnhostTemplate
import FnhostWire
import Foundation
import Prometheus
import ServiceLifecycle

/// Fires the schedules of `fnhost serve`: each rule's firings, on the simulated ``ScheduleClock``, invoke its
/// function asynchronously (an event accepted into the async queue, as EventBridge invokes with `Event`), and
/// count in `/metrics` as `fnhost_scheduled_events_total{function, rule, outcome}`. Stops at graceful shutdown.
struct ScheduleRunner: Service {
    let rules: [ScheduledRule]
    let queue: EventQueue
    let clock: ScheduleClock
    let region: String
    let registry: PrometheusCollectorRegistry

    /// `fnhost_scheduled_events_total`.
    static var metric: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "fnhost", subsystem: "scheduled", metricName: "events", unitName: "total",
            helpText: "Events the schedules sent to their functions (accepted into the async queue, or failed)")
    }

    func run() async throws {
        for rule in rules {
            for outcome in ["accepted", "failed"] { _ = counter(rule, outcome) }
        }
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                for rule in rules { group.addTask { await fire(rule) } }
            }
            // Nothing to fire: stay until shutdown like the other services.
            if rules.isEmpty { try? await gracefulShutdown() }
        }
    }

    private func counter(_ rule: ScheduledRule, _ outcome: String) -> Counter {
        registry.makeCounter(
            descriptor: Self.metric, labels: [("function", rule.function), ("rule", rule.name), ("outcome", outcome)])
    }

    /// Sleeps until each firing's real moment and sends its event, until cancelled. A firing whose moment has
    /// passed (the queue was slow) is sent at once, so none is skipped.
    private func fire(_ rule: ScheduledRule) async {
        let start = ContinuousClock.now
        let origin = Int64(clock.origin.rounded(.down))
        var after = origin
        while !Task.isCancelled, let next = rule.expression.next(after: after, origin: origin) {
            do {
                try await Task.sleep(
                    until: start + .seconds(clock.realSeconds(until: Double(next))), clock: .continuous)
            } catch {
                return
            }
            after = next
            let event = rule.event(at: next, id: UUID().uuidString.lowercased(), region: region)
            do {
                _ = try await queue.accept(function: rule.function, payload: Array(event.utf8))
                counter(rule, "accepted").increment()
            } catch {
                counter(rule, "failed").increment()
            }
        }
    }
}
