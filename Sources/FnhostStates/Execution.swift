import FnhostWire

/// Who an execution is, for the context object (`$$.Execution…`, `$$.StateMachine…`) and the history's first event.
public struct ExecutionIdentity: Hashable, Sendable, Codable {
    public var executionArn: String
    public var name: String
    public var stateMachineArn: String
    public var stateMachineName: String
    public var roleArn: String
    public var startTime: Timestamp
    public var input: JSONValue

    public init(
        executionArn: String, name: String, stateMachineArn: String, stateMachineName: String, roleArn: String,
        startTime: Timestamp, input: JSONValue
    ) {
        self.executionArn = executionArn
        self.name = name
        self.stateMachineArn = stateMachineArn
        self.stateMachineName = stateMachineName
        self.roleArn = roleArn
        self.startTime = startTime
        self.input = input
    }
}

/// How an execution ended, with `DescribeExecution`'s status names.
public enum ExecutionOutcome: Hashable, Sendable {
    case succeeded(output: JSONValue)
    case failed(StatesError)
    case timedOut(StatesError)
    case aborted

    /// `SUCCEEDED`, `FAILED`, `TIMED_OUT` or `ABORTED`.
    public var status: String {
        switch self {
        case .succeeded: "SUCCEEDED"
        case .failed: "FAILED"
        case .timedOut: "TIMED_OUT"
        case .aborted: "ABORTED"
        }
    }
}

/// What the interpreter reports while it runs: each history event as it is written, and at each top-level step a
/// checkpoint from which a STANDARD execution can be resumed after its host restarts.
public enum ExecutionProgress: Sendable {
    case event(HistoryEvent)
    case checkpoint(ExecutionCheckpoint)
}

/// Where a STANDARD execution stands, written at every top-level step so it can be persisted and resumed
/// (``Interpreter/resume(_:from:)``): the state, its raw input, the last event written, and what it was doing.
///
/// Inside a Parallel or Map state the checkpoint stays at that state (``Phase/running``): resuming fails it with
/// `Fnhost.TaskInterrupted` through its own `Retry`/`Catch`, so that no branch's task runs twice unannounced.
public struct ExecutionCheckpoint: Hashable, Sendable, Codable {
    public var stateName: String
    /// The state's raw input.
    public var input: JSONValue
    /// The event the next one follows (`previousEventId`).
    public var lastEventId: Int
    /// The id the next event gets.
    public var nextEventId: Int
    /// The state's retry counts, one per retrier.
    public var retryCounts: [Int]
    public var phase: Phase

    public init(
        stateName: String, input: JSONValue, lastEventId: Int, nextEventId: Int, retryCounts: [Int], phase: Phase
    ) {
        self.stateName = stateName
        self.input = input
        self.lastEventId = lastEventId
        self.nextEventId = nextEventId
        self.retryCounts = retryCounts
        self.phase = phase
    }

    public enum Phase: Hashable, Sendable, Codable {
        /// About to enter the state (nothing of it has run).
        case entering
        /// In a Wait state until `deadline` (simulated time); resuming waits only what is left.
        case waiting(deadline: Timestamp)
        /// A Task's invocation (attempt `attempt`) was sent and has not answered.
        case taskInFlight(attempt: Int)
        /// Waiting `deadline` before retry attempt `attempt` of a Task, Parallel or Map.
        case retrying(attempt: Int, deadline: Timestamp)
        /// A Parallel or Map state is running its branches or iterations.
        case running
    }
}
