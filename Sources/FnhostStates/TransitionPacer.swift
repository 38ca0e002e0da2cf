/// The service's own delay at each state transition: the seam through which a host adds Step Functions'
/// per-transition latency (seeded, time-scaled) before a state is entered. The pure interpreter adds none.
public protocol TransitionPacer: Sendable {
    /// Called before the execution enters `stateName`; throws `CancellationError` when the execution is stopped.
    func transition(into stateName: String, execution: ExecutionIdentity) async throws
}
