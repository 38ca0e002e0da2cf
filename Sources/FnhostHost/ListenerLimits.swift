import FnhostWire

/// The limits one listening socket puts on its connections, so that clients that never finish a request, or never
/// leave, cannot hold file descriptors for ever (issue 17).
///
/// - `headerTimeout`: from the first byte of a request until its whole header block has arrived. A client that
///   trickles its headers (a byte a second, say) is closed at this deadline however lively it looks.
/// - `idleTimeout`: how long a connection may stay open with no request in progress (a new connection that sends
///   nothing, a kept-alive one between requests), and how long a request body may go without a byte.
/// - `maxConnections`: connections open at once; one more is refused politely (`503` with a JSON message and
///   `Connection: close`) and the listener accepts again as soon as connections go away.
///
/// No limit applies while the server is working on a request, so a Runtime API long poll
/// (`GET /2018-06-01/runtime/invocation/next`, parked for as long as the worker is warm) and a slow invocation are
/// never cut.
public struct ListenerLimits: Sendable, Equatable, CustomStringConvertible {
    public var headerTimeout: Duration
    public var idleTimeout: Duration
    public var maxConnections: Int

    public init(headerTimeout: Duration, idleTimeout: Duration, maxConnections: Int) {
        self.headerTimeout = headerTimeout
        self.idleTimeout = idleTimeout
        self.maxConnections = maxConnections
    }

    /// `fnhost serve`'s own port (Invoke API, gateway routes, `/metrics`): 30 s for the headers (nginx and Node allow
    /// 60 s on the open internet; this is loopback), 60 s idle, 512 connections (half of a common 1,024-descriptor
    /// limit, leaving the rest to workers).
    public static let serveDefaults = ListenerLimits(
        headerTimeout: .seconds(30), idleTimeout: .seconds(60), maxConnections: 512)

    /// Each worker's Runtime API endpoint, which only that worker may use: a runtime sends its requests whole at
    /// once (10 s for the headers is plenty), may keep a connection to call other functions idle between
    /// invocations (5 minutes), and needs a handful of connections (64 leaves room for a handler that calls other
    /// functions concurrently).
    public static let runtimeAPIDefaults = ListenerLimits(
        headerTimeout: .seconds(10), idleTimeout: .seconds(300), maxConnections: 64)

    public var description: String {
        "header timeout \(Self.seconds(headerTimeout)) s, idle timeout \(Self.seconds(idleTimeout)) s, "
            + "at most \(maxConnections) connections"
    }

    /// Seconds as a user writes them: `30`, `0.5`.
    static func seconds(_ duration: Duration) -> String {
        let seconds = duration.inMilliseconds / 1000
        return seconds.rounded() == seconds ? String(Int64(seconds)) : String(seconds)
    }
}
