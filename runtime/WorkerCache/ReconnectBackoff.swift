/// How long the shared tier waits before trying Redis again after a failure: exponential, from `initial` doubling
/// to `maximum`, reset by a successful connection.
///
/// While it waits, lookups skip Redis entirely, so a dead or slow server costs each invocation nothing (instead of
/// one timeout each); the first attempt after the wait pays at most one timeout.
public struct ReconnectBackoff: Sendable, Equatable {
    public var initial: Duration
    public var maximum: Duration

    public init(initial: Duration = .milliseconds(100), maximum: Duration = .seconds(5)) {
        self.initial = initial
        self.maximum = max(initial, maximum)
    }

    /// The delay after `delay`: doubled, capped at `maximum`.
    public func next(after delay: Duration) -> Duration {
        min(delay * 2, maximum)
    }
}
