/// Why a listener closed or refused a connection on its own initiative, as `/metrics` labels it
/// (`fnhost_connections_closed_total{listener, reason}`).
public enum ConnectionCloseReason: String, Sendable, CaseIterable {
    /// The request's header block was not complete within the header timeout of its first byte.
    case headerTimeout = "header_timeout"
    /// No request in progress for the idle timeout (a new connection that sent nothing, or a kept-alive one).
    case idleTimeout = "idle_timeout"
    /// A request body went without a byte for the idle timeout.
    case bodyTimeout = "body_timeout"
    /// Refused at accept: the listener already had its maximum of connections open.
    case connectionLimit = "connection_limit"
}
