/// Why a Redis operation of the shared tier failed. None of these fail a lookup: the cache falls back to the
/// reference store and counts them.
public enum RedisError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The connection could not be made (refused, unreachable, name not resolved).
    case connectFailed(endpoint: String, reason: String)
    /// An operation or a connection attempt took longer than the configured timeout.
    case timeout(operation: String, timeoutMs: Int)
    /// The connection failed mid-operation (server closed it, reset, protocol error): it is dropped and re-made
    /// after a backoff.
    case connectionLost(operation: String, reason: String)
    /// The server answered with an error (wrong type, unknown command, …): the connection stays usable.
    case errorReply(operation: String, message: String)
    /// The server answered with a reply of an unexpected shape.
    case unexpectedReply(operation: String, reply: String)
    /// Not attempted: the connection is broken and the next reconnect attempt is due in `retryInMs`.
    case backingOff(retryInMs: Int)

    public var description: String {
        switch self {
        case .connectFailed(let endpoint, let reason):
            "cannot connect to Redis at \(endpoint): \(reason); is redis-server running there? "
                + "(start one with: redis-server --port PORT --save '' --appendonly no)"
        case .timeout(let operation, let timeoutMs):
            "Redis \(operation) took longer than \(timeoutMs) ms; the server is slow or unreachable "
                + "(raise FNHOST_REDIS_TIMEOUT_MS if it is merely far away)"
        case .connectionLost(let operation, let reason):
            "Redis connection lost during \(operation): \(reason); reconnecting with backoff"
        case .errorReply(let operation, let message):
            "Redis refused \(operation): \(message)"
        case .unexpectedReply(let operation, let reply):
            "Redis answered \(operation) with an unexpected \(reply)"
        case .backingOff(let retryInMs):
            "Redis is unavailable after an error; next reconnect attempt in \(retryInMs) ms"
        }
    }

    /// Whether this error was a timeout.
    public var isTimeout: Bool {
        if case .timeout = self { return true }
        return false
    }

    /// Whether the connection can no longer be trusted (an unread reply may be pending or the socket is dead).
    var breaksConnection: Bool {
        switch self {
        case .connectFailed, .timeout, .connectionLost, .unexpectedReply: true
        case .errorReply, .backingOff: false
        }
    }
}
