/// The dashboard's counts, pure: events go in with the second they happened in, snapshots come out for a given
/// second beside the gauges read then. Memory is fixed per function and per state machine (rolling windows, no
/// lists that grow with traffic), whatever the load or uptime.
public struct DashboardState: Sendable {
    public let windowSeconds: Int
    private let latencyTemplate: LatencyWindow
    private var functions: [String: FunctionActivity] = [:]
    /// Finished executions per state machine and status.
    private var executions: [String: [String: Int]] = [:]

    /// - Parameters:
    ///   - windowSeconds: the per-second history kept for each function.
    ///   - latency: an empty latency window, the shape of every function's.
    public init(windowSeconds: Int = 60, latency: LatencyWindow = LatencyWindow()) {
        self.windowSeconds = windowSeconds
        self.latencyTemplate = latency
    }

    public mutating func record(_ event: DashboardEvent, second: Int) {
        switch event {
        case .invocation(let function, _), .throttle(let function), .cacheLookup(let function, _):
            update(function) { a in
                a.totals.counts.count(event)
                a.seconds.update(second) { $0.counts.count(event) }
            }
        case .coldStart(let function):
            update(function) { $0.totals.coldStarts += 1 }
        case .latency(let function, let kind, let ms):
            update(function) { a in
                switch kind {
                case .measured: a.measured.record(ms, second: second)
                case .withSimulated:
                    a.isSimulated = true
                    a.withSimulated.record(ms, second: second)
                }
            }
        case .executionFinished(let machine, let status):
            executions[machine, default: [:]][status, default: 0] += 1
        }
    }

    /// The snapshot at `second`: the window of each function ends with the last whole second before it (the
    /// current second is still filling), the latency window with `second` itself.
    public func snapshot(at second: Int, gauges: DashboardGauges) -> DashboardSnapshot {
        let names = Set(gauges.workers.keys).union(functions.keys).sorted()
        let empty = FunctionActivity(windowSeconds: windowSeconds, latency: latencyTemplate)
        let views = names.map { name -> DashboardSnapshot.Function in
            let a = functions[name] ?? empty
            return DashboardSnapshot.Function(
                name: name, workers: gauges.workers[name] ?? .init(), totals: a.totals,
                invocationsPerSecond: a.seconds.bucket(second - 1).invocations,
                seconds: a.seconds.buckets(endingAt: second - 1),
                latency: .init(
                    measured: a.measured.distribution(at: second),
                    withSimulated: a.isSimulated ? a.withSimulated.distribution(at: second) : nil))
        }
        let machines = Set(gauges.runningExecutions.keys).union(executions.keys).sorted()
        let stateMachines = machines.map { name in
            var byStatus = executions[name] ?? [:]
            byStatus["RUNNING"] = gauges.runningExecutions[name] ?? 0
            return DashboardSnapshot.StateMachine(name: name, executions: byStatus)
        }
        return DashboardSnapshot(
            second: second, windowSeconds: windowSeconds, latencyWindowSeconds: latencyTemplate.seconds,
            functions: views, asyncEvents: gauges.asyncEvents, queues: gauges.queues.sorted { $0.name < $1.name },
            stateMachines: stateMachines)
    }

    private mutating func update(_ function: String, _ change: (inout FunctionActivity) -> Void) {
        var activity =
            functions.removeValue(forKey: function)
            ?? FunctionActivity(windowSeconds: windowSeconds, latency: latencyTemplate)
        change(&activity)
        functions[function] = activity
    }
}
