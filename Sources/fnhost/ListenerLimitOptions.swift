import ArgumentParser
import FnhostHost
import Foundation

/// `fnhost serve`'s connection limits, for its own port and for each worker's Runtime API endpoint, each with its
/// `FNHOST_*` environment variable (a flag wins).
struct ListenerLimitOptions: ParsableArguments {
    @Option(
        name: .customLong("header-timeout"),
        help: ArgumentHelp(
            "Seconds a client has to send a request's whole header block, from its first byte; then 408 and the "
                + "connection is closed. [env: FNHOST_HEADER_TIMEOUT] (default: 30)", valueName: "seconds"))
    var headerTimeout: Double?

    @Option(
        name: .customLong("idle-timeout"),
        help: ArgumentHelp(
            "Seconds a connection may stay open with no request in progress (or a request body without a byte) "
                + "before it is closed. [env: FNHOST_IDLE_TIMEOUT] (default: 60)", valueName: "seconds"))
    var idleTimeout: Double?

    @Option(
        name: .customLong("max-connections"),
        help: ArgumentHelp(
            "Connections open at once; one more is answered 503 and closed. [env: FNHOST_MAX_CONNECTIONS] "
                + "(default: 512)", valueName: "n"))
    var maxConnections: Int?

    @Option(
        name: .customLong("runtime-api-header-timeout"),
        help: ArgumentHelp(
            "The header timeout of each worker's Runtime API endpoint. [env: FNHOST_RUNTIME_API_HEADER_TIMEOUT] "
                + "(default: 10)", valueName: "seconds"))
    var runtimeAPIHeaderTimeout: Double?

    @Option(
        name: .customLong("runtime-api-idle-timeout"),
        help: ArgumentHelp(
            "The idle timeout of each worker's Runtime API endpoint; a parked GET next, and a worker handling the "
                + "event it fetched, are never idle. [env: FNHOST_RUNTIME_API_IDLE_TIMEOUT] (default: 300)",
            valueName: "seconds"))
    var runtimeAPIIdleTimeout: Double?

    @Option(
        name: .customLong("runtime-api-max-connections"),
        help: ArgumentHelp(
            "Connections open at once on each worker's Runtime API endpoint. "
                + "[env: FNHOST_RUNTIME_API_MAX_CONNECTIONS] (default: 64)", valueName: "n"))
    var runtimeAPIMaxConnections: Int?

    /// Flags over environment variables over defaults; a bad value names the flag or variable and the range.
    func resolve(
        environment env: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> (serve: ListenerLimits, runtimeAPI: ListenerLimits) {
        (
            try Self.limits(
                headerTimeout, idleTimeout, maxConnections, prefix: "", defaults: .serveDefaults, env),
            try Self.limits(
                runtimeAPIHeaderTimeout, runtimeAPIIdleTimeout, runtimeAPIMaxConnections, prefix: "runtime-api-",
                defaults: .runtimeAPIDefaults, env)
        )
    }

    /// One listener's limits from its flags (`--{prefix}header-timeout`, …) over their variables
    /// (`FNHOST_{PREFIX}HEADER_TIMEOUT`, …) over `defaults`.
    static func limits(
        _ headerTimeout: Double?, _ idleTimeout: Double?, _ maxConnections: Int?, prefix: String,
        defaults: ListenerLimits, _ env: [String: String]
    ) throws -> ListenerLimits {
        func names(_ stem: String) -> (flag: String, variable: String) {
            let name = prefix + stem
            return ("--" + name, "FNHOST_" + name.uppercased().replacingOccurrences(of: "-", with: "_"))
        }
        let header = names("header-timeout")
        let idle = names("idle-timeout")
        let connections = names("max-connections")
        return ListenerLimits(
            headerTimeout: try seconds(
                headerTimeout, flag: header.flag, variable: header.variable, default: defaults.headerTimeout, env),
            idleTimeout: try seconds(
                idleTimeout, flag: idle.flag, variable: idle.variable, default: defaults.idleTimeout, env),
            maxConnections: try count(
                maxConnections, flag: connections.flag, variable: connections.variable,
                default: defaults.maxConnections, env))
    }

    /// The longest timeout accepted: a day.
    static let maxSeconds = 86_400.0
    /// The most connections accepted on one listener.
    static let maxCount = 1_000_000

    static func seconds(
        _ flagValue: Double?, flag: String, variable: String, default fallback: Duration, _ env: [String: String]
    ) throws -> Duration {
        let value = try Setting.value(
            flagValue, flag: flag, variable: variable, env, parse: Double.init, unit: "a number of seconds",
            range: "from 0.001 to \(Int(maxSeconds)) seconds",
            isValid: { $0.isFinite && $0 >= 0.001 && $0 <= maxSeconds }
        )
        return value.map { .milliseconds(Int64(($0 * 1000).rounded())) } ?? fallback
    }

    static func count(
        _ flagValue: Int?, flag: String, variable: String, default fallback: Int, _ env: [String: String]
    ) throws -> Int {
        try Setting.value(
            flagValue, flag: flag, variable: variable, env, parse: { Int($0) }, unit: "a whole number",
            range: "from 1 to \(maxCount)", isValid: { (1...maxCount).contains($0) }) ?? fallback
    }
}
