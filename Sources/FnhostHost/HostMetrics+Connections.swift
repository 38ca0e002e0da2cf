import Metrics

extension HostMetrics {
    /// The gauge of a listener's open connections, `fnhost_connections_open{listener}`.
    func openConnections(listener: String) -> Meter {
        Meter(label: "fnhost_connections_open", dimensions: [("listener", listener)], factory: factory)
    }

    /// The counter of a listener's connections closed for `reason`, `fnhost_connections_closed_total{listener, reason}`.
    func connectionsClosed(listener: String, reason: ConnectionCloseReason) -> Counter {
        Counter(
            label: "fnhost_connections_closed_total",
            dimensions: [("listener", listener), ("reason", reason.rawValue)],
            factory: factory)
    }
}
