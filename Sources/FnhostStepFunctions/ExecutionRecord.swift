import FnhostStates
import FnhostWire

/// What an ``ExecutionStore`` keeps of one execution: who it is, its status, its end, and the last checkpoint the
/// interpreter reported (from which a STANDARD execution is to be resumed after a restart).
public struct ExecutionRecord: Hashable, Sendable, Codable {
    public var identity: ExecutionIdentity
    public var type: StateMachineType
    /// `RUNNING`, `SUCCEEDED`, `FAILED`, `TIMED_OUT` or `ABORTED`.
    public var status: String
    public var stopDate: Timestamp?
    public var output: JSONValue?
    public var error: StatesError?
    public var checkpoint: ExecutionCheckpoint?

    public init(identity: ExecutionIdentity, type: StateMachineType) {
        self.identity = identity
        self.type = type
        self.status = "RUNNING"
    }

    /// Records how the execution ended.
    public mutating func finish(_ outcome: ExecutionOutcome, at date: Timestamp) {
        status = outcome.status
        stopDate = date
        switch outcome {
        case .succeeded(let o): output = o
        case .failed(let e), .timedOut(let e): error = e
        case .aborted: break
        }
    }
}
