/// What the dashboard reads from the host at the moment of a snapshot, rather than counting as it happens: the
/// pools' workers, the async queue, the SQS queues, the running executions. The I/O layer gathers it; the pure
/// ``DashboardState`` puts it beside its counts.
public struct DashboardGauges: Sendable, Equatable {
    /// Every function the host serves, with its workers now (a function appears even before its first invocation).
    public var workers: [String: DashboardSnapshot.Workers]
    public var asyncEvents: DashboardSnapshot.AsyncEvents
    public var queues: [DashboardSnapshot.Queue]
    /// Every state machine, with how many of its executions run now.
    public var runningExecutions: [String: Int]

    public init(
        workers: [String: DashboardSnapshot.Workers],
        asyncEvents: DashboardSnapshot.AsyncEvents = .init(
            queued: 0, deadLetters: 0),
        queues: [DashboardSnapshot.Queue] = [], runningExecutions: [String: Int] = [:]
    ) {
        self.workers = workers
        self.asyncEvents = asyncEvents
        self.queues = queues
        self.runningExecutions = runningExecutions
    }
}
