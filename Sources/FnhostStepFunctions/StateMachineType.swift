/// A state machine's type: STANDARD executions are kept with their history (durable once fnhost's store persists
/// them); EXPRESS executions may also run synchronously (`StartSyncExecution`).
public enum StateMachineType: String, Hashable, Sendable, Codable {
    case standard = "STANDARD"
    case express = "EXPRESS"
}
