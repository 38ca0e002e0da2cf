import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The shared cache tier: a Redis connection confined to one key prefix, bounded by a timeout, that heals itself.
///
/// - **Prefix**: every key is `prefix + key` with `prefix` = `fnhost:FUNCTION:`; no operation can name a key
///   outside it, and `clearPrefix()` deletes only keys that match it.
/// - **Bounded**: every socket wait is bounded by `timeout` (50 ms by default), connecting included.
/// - **Self-healing**: a failed connection is dropped; the next attempt waits for an exponential backoff
///   (100 ms doubling to 5 s), and until then operations fail at once with `.backingOff` without touching the
///   network. A successful reconnection resets the backoff and is counted.
///
/// hiredis is blocking, and this type calls it directly from the caller's task while holding its lock. That is a
/// deliberate choice for workers: a worker serves one invocation at a time (as a Lambda environment does), so there
/// is nothing else for the thread to do meanwhile, and each call is bounded by the timeout. Do not share one
/// instance between many concurrent tasks on the cooperative pool; give each its own, or move the calls to a
/// dedicated thread.
///
/// Creating one ignores SIGPIPE for the whole process: hiredis writes without `MSG_NOSIGNAL`, and a write to a
/// server that just died would otherwise kill the worker.
public final class RedisTier: Sendable {
    public let url: RedisURL
    /// The prefix of every key this tier touches, `fnhost:FUNCTION:`.
    public let keyPrefix: String
    public let timeout: Duration
    public let backoff: ReconnectBackoff

    private struct State: ~Copyable {
        var connection: RedisConnection?
        var everConnected = false
        var nextAttempt: ContinuousClock.Instant = .now
        var delay: Duration
        var counters = RedisCounters()
    }

    private let state: Mutex<State>

    /// - Parameters:
    ///   - keyPrefix: placed under `fnhost:` if it is not already, and ended with `:`.
    ///   - timeoutMs: the bound on each operation, connecting included.
    public init(
        url: RedisURL, keyPrefix: String, timeoutMs: Int = CacheSettings.defaultRedisTimeoutMs,
        backoff: ReconnectBackoff = ReconnectBackoff()
    ) {
        signal(SIGPIPE, SIG_IGN)
        self.url = url
        self.keyPrefix = CacheSettings(keyPrefix: keyPrefix).effectiveKeyPrefix
        self.timeout = .milliseconds(max(1, timeoutMs))
        self.backoff = backoff
        self.state = Mutex(State(delay: backoff.initial))
    }

    /// The counters so far.
    public var counters: RedisCounters {
        state.withLock { $0.counters }
    }

    /// Whether the last operation left a usable connection (false before the first one and while backing off).
    public var isConnected: Bool {
        state.withLock { $0.connection != nil }
    }

    /// The value stored under `prefix + key`, or nil if there is none.
    public func get(_ key: String) throws(RedisError) -> [UInt8]? {
        let name = fullKey(key)
        return try perform("GET") { connection, budget throws(RedisError) in
            switch try connection.command([Array("GET".utf8), name], operation: "GET", timeout: budget) {
            case .string(let bytes): return bytes
            case .null: return nil
            case let other: throw .unexpectedReply(operation: "GET", reply: "\(other)")
            }
        }
    }

    /// Stores `value` under `prefix + key` for `ttlMs` milliseconds (`SET key value PX ttl`).
    public func set(_ key: String, value: [UInt8], ttlMs: Int) throws(RedisError) {
        let name = fullKey(key)
        let ttl = Array(String(max(1, ttlMs)).utf8)
        try perform("SET") { connection, budget throws(RedisError) in
            _ = try connection.command(
                [Array("SET".utf8), name, value, Array("PX".utf8), ttl], operation: "SET", timeout: budget)
        }
    }

    /// Deletes `prefix + key`; returns whether it existed.
    @discardableResult
    public func delete(_ key: String) throws(RedisError) -> Bool {
        let name = fullKey(key)
        return try perform("DEL") { connection, budget throws(RedisError) in
            guard
                case .integer(let count) = try connection.command(
                    [Array("DEL".utf8), name], operation: "DEL", timeout: budget)
            else {
                throw .unexpectedReply(operation: "DEL", reply: "non-integer")
            }
            return count > 0
        }
    }

    /// The remaining time to live of `prefix + key` in milliseconds; nil if the key does not exist, -1 if it has none.
    public func timeToLiveMs(_ key: String) throws(RedisError) -> Int? {
        let name = fullKey(key)
        return try perform("PTTL") { connection, budget throws(RedisError) in
            guard
                case .integer(let ttl) = try connection.command(
                    [Array("PTTL".utf8), name], operation: "PTTL", timeout: budget)
            else {
                throw .unexpectedReply(operation: "PTTL", reply: "non-integer")
            }
            return ttl == -2 ? nil : Int(ttl)
        }
    }

    /// Deletes every key under this tier's prefix (SCAN with a MATCH on the escaped prefix, then DEL), and nothing
    /// else. Returns the number of keys deleted.
    @discardableResult
    public func clearPrefix() throws(RedisError) -> Int {
        let pattern = Array((Self.globEscaped(keyPrefix) + "*").utf8)
        let prefixBytes = Array(keyPrefix.utf8)
        return try perform("SCAN") { connection, budget throws(RedisError) in
            var cursor: [UInt8] = Array("0".utf8)
            var deleted = 0
            repeat {
                let reply = try connection.command(
                    [Array("SCAN".utf8), cursor, Array("MATCH".utf8), pattern, Array("COUNT".utf8), Array("500".utf8)],
                    operation: "SCAN", timeout: budget
                )
                guard case .array(let parts) = reply, parts.count == 2, case .string(let next) = parts[0],
                    case .array(let found) = parts[1]
                else { throw .unexpectedReply(operation: "SCAN", reply: "\(reply)") }
                // The MATCH already limits the keys; check again so that nothing outside the prefix is ever named.
                let keys: [[UInt8]] = found.compactMap {
                    guard case .string(let key) = $0, key.starts(with: prefixBytes) else { return nil }
                    return key
                }
                if !keys.isEmpty {
                    let reply = try connection.command([Array("DEL".utf8)] + keys, operation: "DEL", timeout: budget)
                    if case .integer(let count) = reply { deleted += Int(count) }
                }
                cursor = next
            } while cursor != Array("0".utf8)
            return deleted
        }
    }

    /// Round trip to the server (`PING`).
    public func ping() throws(RedisError) {
        try perform("PING") { connection, budget throws(RedisError) in
            _ = try connection.command([Array("PING".utf8)], operation: "PING", timeout: budget)
        }
    }

    /// `*`, `?`, `[`, `]` and `\` escaped so that a key prefix matches only itself in a SCAN pattern.
    static func globEscaped(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if "*?[]\\".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    private func fullKey(_ key: String) -> [UInt8] {
        Array((keyPrefix + key).utf8)
    }

    /// Runs `body` on a live connection (connecting first if the backoff allows), dropping the connection and
    /// scheduling the next attempt if `body` fails in a way that leaves it unusable.
    func perform<Result>(
        _ operation: String,
        _ body: (RedisConnection, Duration) throws(RedisError) -> Result
    ) throws(RedisError) -> Result {
        let outcome: Swift.Result<Result, RedisError> = state.withLock { state in
            let start = ContinuousClock.now
            do throws(RedisError) {
                var budget = timeout
                if state.connection == nil {
                    if start < state.nextAttempt {
                        state.counters.skipped += 1
                        return .failure(
                            .backingOff(retryInMs: RedisConnection.milliseconds(start.duration(to: state.nextAttempt))))
                    }
                    let connection = try RedisConnection.connect(host: url.host, port: url.port, timeout: timeout)
                    // Connecting used part of this operation's time: the rest bounds SELECT and the command.
                    budget = max(.milliseconds(1), timeout - start.duration(to: .now))
                    do throws(RedisError) {
                        if budget < timeout { try connection.setTimeout(budget) }
                        try select(connection, budget: budget)
                    } catch  where !error.breaksConnection {
                        // A refused SELECT (database out of range) makes the connection useless too.
                        throw .connectFailed(endpoint: connection.endpoint, reason: error.description)
                    }
                    if state.everConnected { state.counters.reconnects += 1 }
                    state.everConnected = true
                    state.delay = backoff.initial
                    state.connection = connection
                }
                let connection = state.connection!
                let result = try body(connection, budget)
                if budget < timeout { try connection.setTimeout(timeout) }
                return .success(result)
            } catch {
                state.counters.errors += 1
                if error.isTimeout { state.counters.timeouts += 1 }
                if error.breaksConnection {
                    state.connection = nil
                    state.nextAttempt = .now + state.delay
                    state.delay = backoff.next(after: state.delay)
                }
                return .failure(error)
            }
        }
        return try outcome.get()
    }

    private func select(_ connection: RedisConnection, budget: Duration) throws(RedisError) {
        guard url.database != 0 else { return }
        let reply = try connection.command(
            [Array("SELECT".utf8), Array(String(url.database).utf8)], operation: "SELECT", timeout: budget
        )
        guard reply == .status("OK") else { throw .unexpectedReply(operation: "SELECT", reply: "\(reply)") }
    }
}
