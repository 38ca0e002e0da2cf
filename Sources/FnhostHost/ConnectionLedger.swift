import Metrics
import NIOCore
import Synchronization

/// One listener's connections: how many are open against its ``ListenerLimits/maxConnections``, and every
/// connection it closes for a limit, counted in `/metrics`. ``guardConnection(_:)`` puts the limits on each
/// connection the listener accepts.
public final class ConnectionLedger: Sendable {
    /// The `listener` label in `/metrics`: `serve` or `runtime_api`.
    public let listener: String
    public let limits: ListenerLimits
    private let open = Atomic<Int>(0)
    private let openGauge: Meter
    private let closedCounters: [ConnectionCloseReason: Counter]

    public init(listener: String, limits: ListenerLimits, metrics: HostMetrics) {
        self.listener = listener
        self.limits = limits
        openGauge = metrics.openConnections(listener: listener)
        var counters: [ConnectionCloseReason: Counter] = [:]
        for reason in ConnectionCloseReason.allCases {
            counters[reason] = metrics.connectionsClosed(listener: listener, reason: reason)
        }
        closedCounters = counters
    }

    /// Connections open now (refused ones are never counted).
    public var openConnections: Int { open.load(ordering: .relaxed) }

    /// Puts this listener's limits on a connection it accepted: a ``ConnectionGuard`` at the front of the pipeline
    /// and its ``HTTPExchangeObserver`` right after the HTTP request decoder. Call it once the HTTP server pipeline is
    /// configured, from the connection's event loop (a child channel initializer).
    public func guardConnection(_ pipeline: ChannelPipeline.SynchronousOperations) throws {
        let connectionGuard = ConnectionGuard(ledger: self)
        try pipeline.addHandler(connectionGuard, position: .first)
        try connectionGuard.observeExchanges(pipeline)
    }

    /// Counts a new connection in, unless the listener is at its limit.
    func admit() -> Bool {
        let count = open.wrappingAdd(1, ordering: .relaxed).newValue
        guard count <= limits.maxConnections else {
            open.wrappingSubtract(1, ordering: .relaxed)
            return false
        }
        openGauge.increment()
        return true
    }

    /// An admitted connection closed.
    func release() {
        open.wrappingSubtract(1, ordering: .relaxed)
        openGauge.decrement()
    }

    func closed(_ reason: ConnectionCloseReason) {
        closedCounters[reason]?.increment()
    }
}
