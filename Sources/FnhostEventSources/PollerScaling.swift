/// How many pollers (concurrent batches) an SQS mapping runs, as Lambda scales them: five at first, then up to
/// 300 more a minute while messages wait, never above the mapping's `MaximumConcurrency` nor the function's own
/// concurrency; back down when the queue is idle, to five or, without `MaximumConcurrency`, two. Pure: the server's
/// supervisor asks it once a tick.
public struct PollerScaling: Sendable, Equatable {
    public static let initialPollers = 5
    public static let addedPerMinute = 300
    /// Lambda's cap on one mapping's concurrent batches.
    public static let maximumPollers = 1_000

    /// The most pollers: the function's concurrency, the mapping's `MaximumConcurrency`, Lambda's 1,000.
    public let cap: Int
    /// The pollers kept when the queue is idle.
    public let idleFloor: Int

    public init(functionConcurrency: Int, maximumConcurrency: Int?) {
        cap = max(1, min(functionConcurrency, maximumConcurrency ?? Self.maximumPollers, Self.maximumPollers))
        idleFloor = min(cap, maximumConcurrency == nil ? 2 : Self.initialPollers)
    }

    /// The pollers to start with.
    public var initial: Int { min(cap, Self.initialPollers) }

    /// The pollers for the next tick: `current` now, `backlog` visible messages waiting, batches of `batchSize`,
    /// `elapsedSeconds` since the last tick (growth is limited to 300 a minute, at least one a tick).
    public func next(current: Int, backlog: Int, batchSize: Int, elapsedSeconds: Double) -> Int {
        let batches = (backlog + max(1, batchSize) - 1) / max(1, batchSize)
        let wanted = min(cap, max(idleFloor, batches))
        if wanted > current {
            let step = max(1, Int(Double(Self.addedPerMinute) * max(0, elapsedSeconds) / 60))
            return min(wanted, current + step)
        }
        // Busy (messages still waiting): keep what runs; idle: drop to the floor.
        return backlog > 0 ? max(current, idleFloor) : idleFloor
    }
}
