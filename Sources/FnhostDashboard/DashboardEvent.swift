/// One thing the host reports as it happens, as the dashboard counts it: an invocation's end, a throttle, a cold
/// start, a cache lookup, a latency, a state machine execution's end.
public enum DashboardEvent: Sendable, Equatable {
    /// An invocation finished; `failed` when it ended in an error or a timeout.
    case invocation(function: String, failed: Bool)
    /// An invocation was refused with 429 (the function's concurrency reached).
    case throttle(function: String)
    case coldStart(function: String)
    case cacheLookup(function: String, outcome: CacheOutcome)
    case latency(function: String, kind: LatencyKind, milliseconds: Double)
    /// A state machine's execution ended with `status` (`SUCCEEDED`, `FAILED`, `TIMED_OUT`, `ABORTED`).
    case executionFinished(stateMachine: String, status: String)

    /// Where a cached value was found: the worker's own memory, the shared cache, or neither.
    public enum CacheOutcome: String, Sendable {
        case workerHit = "worker-hit"
        case sharedHit = "shared-hit"
        case miss
    }

    /// Which latency: as measured by the host, or with the seeded simulated overheads added.
    public enum LatencyKind: Sendable {
        case measured
        case withSimulated
    }
}
