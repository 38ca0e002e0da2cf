import FnhostDashboard
import FnhostHost
import FnhostQueues
import FnhostStepFunctions
import FnhostStore
import FnhostWire
import ServiceLifecycle

/// The I/O half of the live page: reads what is read rather than counted (the pools, the async queue, the SQS
/// queues, the running executions), asks the ``DashboardRecorder`` for a snapshot beside it, and publishes one a
/// second to the ``DashboardFeed`` while anyone watches (nothing is read while no one does). On graceful shutdown it
/// closes the feed, so that open event streams end and the HTTP server can drain.
struct DashboardSampler: Service {
    let host: FunctionHost
    let queue: EventQueue
    let stepFunctions: StepFunctionsService
    let recorder: DashboardRecorder
    let feed: DashboardFeed
    var interval: Duration = .seconds(1)

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                if feed.subscriberCount > 0 { feed.publish(Self.event(await snapshot())) }
                try? await Task.sleep(for: interval)
            }
        }
        feed.close()
    }

    /// The event that carries `snapshot` on the stream: its id is the snapshot's second.
    static func event(_ snapshot: DashboardSnapshot, retryMilliseconds: Int? = nil) -> String {
        ServerSentEvent(
            id: String(snapshot.second), event: "snapshot", data: snapshot.json, retryMilliseconds: retryMilliseconds
        ).encoded
    }

    func snapshot() async -> DashboardSnapshot {
        recorder.snapshot(gauges: await gauges())
    }

    func gauges() async -> DashboardGauges {
        var workers: [String: DashboardSnapshot.Workers] = [:]
        for name in host.functions.keys {
            let pool = await host.poolSnapshot(name)
            workers[name] = DashboardSnapshot.Workers(
                starting: pool?.starting ?? 0, busy: pool?.busy ?? 0, idle: pool?.idle ?? 0,
                waiting: pool?.waiting ?? 0, reaped: await host.reapedWorkers(name))
        }
        let asyncEvents = DashboardSnapshot.AsyncEvents(
            queued: await queue.depth, deadLetters: await queue.deadLetterCount() ?? 0)
        return DashboardGauges(
            workers: workers, asyncEvents: asyncEvents, queues: await queues(),
            runningExecutions: await runningExecutions())
    }

    /// Every SQS queue's messages by state, and whether it is some queue's dead-letter queue.
    private func queues() async -> [DashboardSnapshot.Queue] {
        let store = queue.events.store
        guard let stored = try? await store.queues() else { return [] }
        let deadLetterTargets = Set(
            stored.compactMap { q -> String? in
                guard let policy = try? SQSService.decode(q).redrivePolicy else { return nil }
                return QueueARN(policy.deadLetterTargetArn)?.name
            })
        let now = SQSService.nowMs()
        var result: [DashboardSnapshot.Queue] = []
        for q in stored {
            guard let counts = try? await store.messageCounts(queue: q.name, now: now) else { continue }
            result.append(
                .init(
                    name: q.name, visible: counts.visible, inFlight: counts.inFlight, delayed: counts.delayed,
                    isDeadLetterQueue: deadLetterTargets.contains(q.name)))
        }
        return result
    }

    /// How many executions of each state machine run now, through the service's own `ListExecutions`.
    private func runningExecutions() async -> [String: Int] {
        var running: [String: Int] = [:]
        for machine in await stepFunctions.machineList {
            var count = 0
            var token: String?
            repeat {
                var request: [String: JSONValue] = [
                    "stateMachineArn": .string(machine.arn), "statusFilter": .string("RUNNING"),
                    "maxResults": .number(1000),
                ]
                if let token { request["nextToken"] = .string(token) }
                let answer = await stepFunctions.handle(
                    target: "AWSStepFunctions.ListExecutions", body: JSONValue.object(request).serialized)
                guard answer.status == 200, case .object(let page)? = try? JSONValue.parse(answer.body) else { break }
                if case .array(let executions)? = page["executions"] { count += executions.count }
                if case .string(let next)? = page["nextToken"] { token = next } else { token = nil }
            } while token != nil
            running[machine.name] = count
        }
        return running
    }
}
