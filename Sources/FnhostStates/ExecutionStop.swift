import Synchronization

/// Why an execution is being stopped (`StopExecution`'s `error` and `cause`, each optional): set before the
/// execution's task is cancelled, read by the interpreter when it writes `ExecutionAborted`.
public final class ExecutionStop: Sendable {
    private let state = Mutex<(error: String?, cause: String?)?>(nil)

    public init() {}

    /// Records the reason; the caller then cancels the execution's task.
    public func request(error: String?, cause: String?) { state.withLock { $0 = (error, cause) } }

    /// The reason given, or nil when the execution was not stopped through ``request(error:cause:)``.
    public var reason: (error: String?, cause: String?)? { state.withLock { $0 } }
}
