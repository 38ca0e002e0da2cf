/// The answer to one read-through lookup: the value, which tier gave it, and the measured time spent in each tier.
///
/// Times are measured wall-clock milliseconds (not simulated). A tier that was not consulted reports 0.
/// `sharedMs` includes writing the value back to Redis after a miss; `storeMs` is the `load` closure's own time.
public struct CacheLookup<Value: Sendable>: Sendable {
    public var value: Value
    public var outcome: CacheOutcome
    public var workerMs: Double
    public var sharedMs: Double
    public var storeMs: Double

    public init(value: Value, outcome: CacheOutcome, workerMs: Double, sharedMs: Double, storeMs: Double) {
        self.value = value
        self.outcome = outcome
        self.workerMs = workerMs
        self.sharedMs = sharedMs
        self.storeMs = storeMs
    }

    /// The total time of the lookup across the tiers.
    public var totalMs: Double { workerMs + sharedMs + storeMs }
}
