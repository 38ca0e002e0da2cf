/// Where the shared tier lives, parsed from `redis://HOST:PORT[/DB]` (`--redis`, `FNHOST_REDIS_URL`).
///
/// The port defaults to 6379 and the database to 0. IPv6 hosts are written in brackets: `redis://[::1]:6379`.
/// Passwords and TLS (`rediss://`) are not supported and are refused rather than ignored.
public struct RedisURL: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var database: Int

    public init(host: String, port: Int = 6379, database: Int = 0) {
        self.host = host
        self.port = port
        self.database = database
    }

    public init(_ text: String) throws(RedisURLError) {
        let example = "redis://127.0.0.1:6379/0"
        guard text.hasPrefix("redis://") else {
            throw RedisURLError(url: text, reason: "it must start with 'redis://' (e.g. \(example))")
        }
        var rest = Substring(text.dropFirst("redis://".count))
        if rest.contains("@") {
            throw RedisURLError(
                url: text, reason: "credentials (user:password@) are not supported; use an unprotected local server")
        }
        var database = 0
        if let slash = rest.firstIndex(of: "/") {
            let dbText = rest[rest.index(after: slash)...]
            if !dbText.isEmpty {
                guard let value = Int(dbText), value >= 0 else {
                    throw RedisURLError(
                        url: text, reason: "the database '\(dbText)' after '/' must be a number ≥ 0 (e.g. \(example))")
                }
                database = value
            }
            rest = rest[..<slash]
        }
        var host: Substring
        var portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else {
                throw RedisURLError(url: text, reason: "an IPv6 host needs its closing ']' (e.g. redis://[::1]:6379)")
            }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.first == ":" else {
                    throw RedisURLError(
                        url: text, reason: "expected ':PORT' after the IPv6 host (e.g. redis://[::1]:6379)")
                }
                portText = after.dropFirst()
            }
        } else if let colon = rest.lastIndex(of: ":") {
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
        } else {
            host = rest
        }
        guard !host.isEmpty else {
            throw RedisURLError(url: text, reason: "the host is missing (e.g. \(example))")
        }
        var port = 6379
        if let portText {
            guard let value = Int(portText), (1...65535).contains(value) else {
                throw RedisURLError(
                    url: text, reason: "the port '\(portText)' must be a number from 1 to 65535 (e.g. \(example))")
            }
            port = value
        }
        self.init(host: String(host), port: port, database: database)
    }

    public var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "redis://\(shownHost):\(port)/\(database)"
    }
}
