/// How a worker's `ReadThroughCache` is set up: the size and TTL of the in-memory tier, and the optional Redis tier.
///
/// Workers get these from their environment (`fromEnvironment`), which the host fills from its flags
/// (`--redis`, …). `problems` lists environment values that were refused (the default was kept instead), so a
/// function can report them; `validate()` turns the first problem into an error for a function that prefers to fail.
public struct CacheSettings: Sendable, Equatable {
    /// Entries kept in worker memory; 0 turns the worker tier off.
    public var capacity: Int
    /// How long a cached value stays valid, in both tiers.
    public var ttlSeconds: Double
    /// `redis://HOST:PORT[/DB]` of the shared tier, or nil for none.
    public var redisURL: String?
    /// The longest any single Redis operation may block a lookup, in milliseconds.
    public var redisTimeoutMs: Int
    /// The prefix of every Redis key, `fnhost:FUNCTION:`. A prefix that does not start with `fnhost:` is placed
    /// under it, and one that does not end in `:` gets one, so fnhost never touches keys outside its own space.
    public var keyPrefix: String
    /// How values are encoded in Redis (JSON by default; see `CacheValueEncoding`).
    public var valueEncoding: CacheValueEncoding
    /// Environment values that were refused by `fromEnvironment`; the defaults were used instead.
    public var problems: [CacheSettingsError]

    public static let defaultCapacity = 10_000
    public static let defaultTTLSeconds = 300.0
    public static let defaultRedisTimeoutMs = 50

    public init(
        capacity: Int = CacheSettings.defaultCapacity,
        ttlSeconds: Double = CacheSettings.defaultTTLSeconds,
        redisURL: String? = nil,
        redisTimeoutMs: Int = CacheSettings.defaultRedisTimeoutMs,
        keyPrefix: String = CacheSettings.keyPrefix(function: "default"),
        valueEncoding: CacheValueEncoding = .json
    ) {
        self.capacity = capacity
        self.ttlSeconds = ttlSeconds
        self.redisURL = redisURL
        self.redisTimeoutMs = redisTimeoutMs
        self.keyPrefix = keyPrefix
        self.valueEncoding = valueEncoding
        self.problems = []
    }

    /// `ttlSeconds` as a duration (the default when it is not a positive finite number, which `validate()` reports).
    public var ttl: Duration {
        let seconds = ttlSeconds.isFinite && ttlSeconds > 0 ? min(ttlSeconds, 1e9) : Self.defaultTTLSeconds
        return .milliseconds(Int64((seconds * 1000).rounded(.up)))
    }

    /// The key prefix of a function: `fnhost:FUNCTION:`.
    public static func keyPrefix(function: String) -> String {
        "fnhost:\(function):"
    }

    /// The prefix actually used in Redis: `keyPrefix`, placed under `fnhost:` and ending in `:`.
    public var effectiveKeyPrefix: String {
        var prefix = keyPrefix.hasPrefix("fnhost:") ? keyPrefix : "fnhost:" + keyPrefix
        if !prefix.hasSuffix(":") { prefix += ":" }
        return prefix
    }

    /// Settings for `function` from a worker's environment:
    ///
    /// | variable | meaning | default |
    /// |---|---|---|
    /// | `FNHOST_CACHE_CAPACITY` | entries in worker memory (0 = off) | 10000 |
    /// | `FNHOST_CACHE_TTL_SECONDS` | TTL of both tiers | 300 |
    /// | `FNHOST_REDIS_URL` | `redis://HOST:PORT[/DB]`; unset or empty = no shared tier | none |
    /// | `FNHOST_REDIS_TIMEOUT_MS` | bound on each Redis operation | 50 |
    /// | `FNHOST_CACHE_ENCODING` | `json` or `plist` (binary property list) | json |
    ///
    /// A value that cannot be used is listed in `problems` and the default is kept.
    public static func fromEnvironment(_ env: [String: String], function: String) -> CacheSettings {
        var settings = CacheSettings(keyPrefix: keyPrefix(function: function))
        if let text = env["FNHOST_CACHE_CAPACITY"] {
            if let value = Int(text), value >= 0 {
                settings.capacity = value
            } else {
                settings.problems.append(
                    .invalidValue(
                        variable: "FNHOST_CACHE_CAPACITY", value: text, expected: "a whole number ≥ 0, e.g. 10000"))
            }
        }
        if let text = env["FNHOST_CACHE_TTL_SECONDS"] {
            if let value = Double(text), value.isFinite, value > 0 {
                settings.ttlSeconds = value
            } else {
                settings.problems.append(
                    .invalidValue(variable: "FNHOST_CACHE_TTL_SECONDS", value: text, expected: "seconds > 0, e.g. 300"))
            }
        }
        if let text = env["FNHOST_REDIS_URL"], !text.isEmpty {
            do {
                _ = try RedisURL(text)
                settings.redisURL = text
            } catch {
                settings.problems.append(.invalidRedisURL(error))
            }
        }
        if let text = env["FNHOST_REDIS_TIMEOUT_MS"] {
            if let value = Int(text), value > 0 {
                settings.redisTimeoutMs = value
            } else {
                settings.problems.append(
                    .invalidValue(
                        variable: "FNHOST_REDIS_TIMEOUT_MS", value: text, expected: "milliseconds > 0, e.g. 50"))
            }
        }
        if let text = env["FNHOST_CACHE_ENCODING"] {
            if let value = CacheValueEncoding(rawValue: text) {
                settings.valueEncoding = value
            } else {
                settings.problems.append(
                    .invalidValue(
                        variable: "FNHOST_CACHE_ENCODING", value: text,
                        expected: CacheValueEncoding.accepted + ", e.g. json"))
            }
        }
        return settings
    }

    /// Throws the first problem with these settings: a refused environment value, a bad Redis URL, a capacity
    /// below 0, a TTL or timeout that is not positive.
    public func validate() throws(CacheSettingsError) {
        if let problem = problems.first { throw problem }
        if capacity < 0 {
            throw .invalidValue(variable: "capacity", value: String(capacity), expected: "a whole number ≥ 0")
        }
        if !(ttlSeconds > 0 && ttlSeconds.isFinite) {
            throw .invalidValue(variable: "ttlSeconds", value: String(ttlSeconds), expected: "seconds > 0")
        }
        if redisTimeoutMs <= 0 {
            throw .invalidValue(variable: "redisTimeoutMs", value: String(redisTimeoutMs), expected: "milliseconds > 0")
        }
        if let redisURL {
            do { _ = try RedisURL(redisURL) } catch { throw .invalidRedisURL(error) }
        }
    }
}
