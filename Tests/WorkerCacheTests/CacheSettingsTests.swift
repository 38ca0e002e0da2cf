import Testing
import WorkerCache

@Suite("CacheSettings and RedisURL")
struct CacheSettingsTests {
    @Test("the defaults: 10,000 entries, 300 s, no Redis, 50 ms, JSON")
    func defaults() {
        let settings = CacheSettings.fromEnvironment([:], function: "org-status")
        #expect(settings.capacity == 10_000)
        #expect(settings.ttlSeconds == 300)
        #expect(settings.redisURL == nil)
        #expect(settings.redisTimeoutMs == 50)
        #expect(settings.keyPrefix == "fnhost:org-status:")
        #expect(settings.valueEncoding == .json)
        #expect(settings.problems.isEmpty)
        #expect(throws: Never.self) { try settings.validate() }
    }

    @Test("the environment sets every field")
    func fromEnvironment() {
        let settings = CacheSettings.fromEnvironment(
            [
                "FNHOST_CACHE_CAPACITY": "0", "FNHOST_CACHE_TTL_SECONDS": "2.5",
                "FNHOST_REDIS_URL": "redis://10.0.0.5:7000/2",
                "FNHOST_REDIS_TIMEOUT_MS": "20", "FNHOST_CACHE_ENCODING": "plist",
            ], function: "coverage")
        #expect(settings.capacity == 0)
        #expect(settings.ttlSeconds == 2.5)
        #expect(settings.ttl == .milliseconds(2500))
        #expect(settings.redisURL == "redis://10.0.0.5:7000/2")
        #expect(settings.redisTimeoutMs == 20)
        #expect(settings.valueEncoding == .plist)
        #expect(settings.keyPrefix == "fnhost:coverage:")
        #expect(settings.problems.isEmpty)
    }

    @Test("unusable environment values keep the defaults and are reported")
    func badEnvironment() {
        let settings = CacheSettings.fromEnvironment(
            [
                "FNHOST_CACHE_CAPACITY": "lots", "FNHOST_CACHE_TTL_SECONDS": "-1", "FNHOST_REDIS_URL": "localhost:6379",
                "FNHOST_REDIS_TIMEOUT_MS": "0", "FNHOST_CACHE_ENCODING": "xml",
            ], function: "org-status")
        #expect(settings.capacity == 10_000 && settings.ttlSeconds == 300 && settings.redisURL == nil)
        #expect(settings.redisTimeoutMs == 50 && settings.valueEncoding == .json)
        #expect(settings.problems.count == 5)
        #expect(
            settings.problems[0]
                == .invalidValue(
                    variable: "FNHOST_CACHE_CAPACITY", value: "lots", expected: "a whole number ≥ 0, e.g. 10000"))
        #expect(throws: settings.problems[0]) { try settings.validate() }
        #expect(settings.problems.map(\.description).allSatisfy { $0.contains("e.g.") || $0.contains("'") })
    }

    @Test("the removed binary codec's name is refused with the names that work")
    func binaryEncodingRefused() {
        let settings = CacheSettings.fromEnvironment(["FNHOST_CACHE_ENCODING": "binary"], function: "org-status")
        #expect(settings.valueEncoding == .json)
        #expect(
            settings.problems == [
                .invalidValue(
                    variable: "FNHOST_CACHE_ENCODING", value: "binary", expected: "'json' or 'plist', e.g. json")
            ])
        #expect(
            settings.problems.first?.description
                == "FNHOST_CACHE_ENCODING='binary' is not usable: expected 'json' or 'plist', e.g. json")
    }

    @Test("an empty FNHOST_REDIS_URL means no shared tier")
    func emptyRedisURL() {
        #expect(CacheSettings.fromEnvironment(["FNHOST_REDIS_URL": ""], function: "f").redisURL == nil)
    }

    @Test("the key prefix is always under fnhost: and ends with a colon")
    func effectivePrefix() {
        #expect(CacheSettings(keyPrefix: "fnhost:org-status:").effectiveKeyPrefix == "fnhost:org-status:")
        #expect(CacheSettings(keyPrefix: "org-status").effectiveKeyPrefix == "fnhost:org-status:")
        #expect(CacheSettings(keyPrefix: "fnhost:x").effectiveKeyPrefix == "fnhost:x:")
    }

    @Test(
        "Redis URLs: host, port, database, IPv6, defaults",
        arguments: [
            ("redis://127.0.0.1:6379", RedisURL(host: "127.0.0.1", port: 6379, database: 0)),
            ("redis://cache.local", RedisURL(host: "cache.local", port: 6379, database: 0)),
            ("redis://localhost:7000/3", RedisURL(host: "localhost", port: 7000, database: 3)),
            ("redis://[::1]:6380/1", RedisURL(host: "::1", port: 6380, database: 1)),
            ("redis://h:1/", RedisURL(host: "h", port: 1, database: 0)),
        ])
    func parsesRedisURL(text: String, expected: RedisURL) throws {
        #expect(try RedisURL(text) == expected)
    }

    @Test(
        "bad Redis URLs are refused with the reason and an example",
        arguments: [
            "localhost:6379", "rediss://h:6379", "redis://:6379", "redis://h:0", "redis://h:99999", "redis://h:port",
            "redis://h:6379/x", "redis://user:pw@h:6379", "redis://[::1:6379",
        ])
    func refusesBadRedisURL(text: String) {
        #expect(throws: RedisURLError.self) { try RedisURL(text) }
        do { _ = try RedisURL(text) } catch { #expect(error.description.contains(text)) }
    }

    @Test("a Redis URL prints in full form")
    func describesRedisURL() throws {
        #expect(try RedisURL("redis://h").description == "redis://h:6379/0")
        #expect(RedisURL(host: "::1", port: 1).description == "redis://[::1]:1/0")
    }
}
