import FnhostSimulation
import FnhostWire

/// Runs executions of one state machine: steps through its states in AWS's order of input and output processing,
/// invokes functions through a ``TaskInvoker``, waits on a ``StatesClock``, runs Parallel branches and Map
/// iterations as child tasks (a failure cancels the siblings; `MaxConcurrency` bounds a Map), applies `Retry` and
/// `Catch`, and writes AWS's history events as it goes.
public struct Interpreter: Sendable {
    public let definition: StateMachineDefinition
    public let invoker: any TaskInvoker
    public let clock: any StatesClock
    /// Seeds `States.UUID`, unseeded `States.MathRandom`, FULL jitter and the request ids in `lambda:invoke` results.
    public let seed: UInt64
    /// The region written in `lambda:invoke` history events.
    public let region: String
    /// Adds the service's delay before each state is entered (none when nil).
    public var pacer: (any TransitionPacer)?

    public init(
        definition: StateMachineDefinition, invoker: any TaskInvoker, clock: any StatesClock, seed: UInt64 = 1,
        region: String = "us-east-1", pacer: (any TransitionPacer)? = nil
    ) {
        self.pacer = pacer
        self.definition = definition
        self.invoker = invoker
        self.clock = clock
        self.seed = seed
        self.region = region
    }

    /// Runs an execution from its start to its end. Cancelling the calling task stops it (`ABORTED`, with the error
    /// and cause `stop` holds, if any). The observer is awaited for each event and checkpoint, one at a time and in
    /// order, so a durable store has it on disk before the execution goes on.
    public func run(
        _ identity: ExecutionIdentity, stop: ExecutionStop? = nil,
        observer: @escaping @Sendable (ExecutionProgress) async -> Void = { _ in }
    ) async -> ExecutionResult {
        let run = ExecutionRun(interpreter: self, identity: identity, firstEventId: 1, stop: stop, observer: observer)
        let started = await run.recorder.record(
            "ExecutionStarted", after: 0, "executionStartedEventDetails",
            [
                "input": .string(identity.input.text), "inputDetails": .truncatedFalse,
                "roleArn": .string(identity.roleArn),
            ])
        let start = ExecutionCheckpoint(
            stateName: definition.graph.startAt, input: identity.input, lastEventId: started, nextEventId: 0,
            retryCounts: [], phase: .entering)
        return await run.finish(from: start)
    }

    /// Continues a persisted execution from its last checkpoint: event ids go on from the checkpoint's, a Wait keeps
    /// its deadline, and a Task that was in flight fails with `Fnhost.TaskInterrupted` (through the state's own
    /// `Retry` and `Catch`) instead of running again unannounced.
    public func resume(
        _ identity: ExecutionIdentity, from checkpoint: ExecutionCheckpoint, stop: ExecutionStop? = nil,
        observer: @escaping @Sendable (ExecutionProgress) async -> Void = { _ in }
    ) async -> ExecutionResult {
        let run = ExecutionRun(
            interpreter: self, identity: identity, firstEventId: checkpoint.nextEventId, stop: stop, observer: observer)
        return await run.finish(from: checkpoint)
    }
}

/// An execution's end and the events written on the way.
public struct ExecutionResult: Sendable {
    public var outcome: ExecutionOutcome
    public var events: [HistoryEvent]
}

extension JSONValue {
    /// Compact JSON text, as the history's `input` and `output` fields hold it.
    var text: String { String(decoding: serialized, as: UTF8.self) }

    /// `{"truncated": false}`, the `inputDetails`/`outputDetails` of every event (fnhost never truncates).
    static let truncatedFalse = JSONValue.object(["truncated": .bool(false)])
}
