/// The parts of a Lambda architecture whose cost fnhost simulates, as named in profile files.
public enum OverheadComponent: String, Sendable, Codable, CaseIterable, Comparable {
    /// Added to a worker's init on a cold start (sandbox creation and runtime boot on real Lambda).
    case coldStart
    /// Dispatch overhead of one synchronous invocation (a Lambda-to-Lambda hop): 25–100 ms in the field.
    case invoke
    /// API Gateway's overhead in front of a function (`fnhost serve`): 50–100 ms in the field.
    case gateway
    /// Latency of the reference store (the database behind the caches), paid on a cache miss.
    case referenceStore
    /// Step Functions' own delay between one state and the next, paid at every state a state machine enters.
    case stateTransition

    /// The component's name in random stream names: `cold-start`, `invoke`, `gateway`, `reference-store`,
    /// `state-transition`.
    public var streamName: String {
        switch self {
        case .coldStart: "cold-start"
        case .invoke: "invoke"
        case .gateway: "gateway"
        case .referenceStore: "reference-store"
        case .stateTransition: "state-transition"
        }
    }

    public static func < (lhs: OverheadComponent, rhs: OverheadComponent) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
