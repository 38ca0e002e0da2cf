/// The service's own delay at each state transition: the seam through which a host adds Step Functions'
/// per-transition latency (seeded, time-scaled) before a state is entered. The pure interpreter adds none.
public protocol TransitionPacer: Sendable {
    /// Called before the execution enters `stateName`; throws `CancellationError` when the execution is stopped.
    func transition(into stateName: String, execution: ExecutionIdentity) async throws
    /// The same, told the id of the event the state's `…StateEntered` event will follow (`previousEventId`): state
    /// names are unique in a definition, so the name and that id name the entry about to be written (a trace places
    /// the delay on it). By default it calls ``transition(into:execution:)``.
    func transition(into stateName: String, after previousEventId: Int, execution: ExecutionIdentity) async throws
}

extension TransitionPacer {
    public func transition(into stateName: String, after previousEventId: Int, execution: ExecutionIdentity)
        async throws
    {
        try await transition(into: stateName, execution: execution)
    }
}
