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
    /// The definition the execution runs (a STANDARD execution resumed after a restart goes on with the definition
    /// it started with, as on AWS, even if its state machine was changed or deleted since).
    public var definitionText: String?

    public init(identity: ExecutionIdentity, type: StateMachineType, definitionText: String? = nil) {
        self.identity = identity
        self.type = type
        self.status = "RUNNING"
        self.definitionText = definitionText
    }

    /// Records how the execution ended; an aborted one keeps StopExecution's error and cause (`stop`), if given.
    public mutating func finish(_ outcome: ExecutionOutcome, stop: StatesError? = nil, at date: Timestamp) {
        status = outcome.status
        stopDate = date
        checkpoint = nil
        switch outcome {
        case .succeeded(let o): output = o
        case .failed(let e), .timedOut(let e): error = e
        case .aborted: error = stop
        }
    }
}
