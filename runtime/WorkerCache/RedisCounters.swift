/// What the shared tier has been through: failed operations, timeouts, reconnections and skipped operations.
public struct RedisCounters: Sendable, Equatable, Codable {
    /// Failed operations of any kind, timeouts included (not counting those skipped while backing off).
    public var errors = 0
    /// Failed operations that were timeouts.
    public var timeouts = 0
    /// Connections made again after a failure.
    public var reconnects = 0
    /// Operations not attempted because the connection was broken and its backoff had not elapsed.
    public var skipped = 0

    public init() {}
}
