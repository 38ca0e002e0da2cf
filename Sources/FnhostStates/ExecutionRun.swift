import FnhostSimulation
import FnhostWire

/// One execution in progress: the interpreter's settings, who the execution is, and its history. The state-type
/// steps are in `ExecutionRun+States.swift`, retries and catches in `ExecutionRun+Retry.swift`.
final class ExecutionRun: Sendable {
    let definition: StateMachineDefinition
    let invoker: any TaskInvoker
    let clock: any StatesClock
    let seed: UInt64
    let region: String
    let pacer: (any TransitionPacer)?
    let identity: ExecutionIdentity
    let recorder: HistoryRecorder
    let stop: ExecutionStop?

    /// The largest state input or output Step Functions passes (256 KiB).
    static let maxPayloadBytes = 262_144

    init(
        interpreter: Interpreter, identity: ExecutionIdentity, firstEventId: Int, stop: ExecutionStop?,
        observer: @escaping @Sendable (ExecutionProgress) async -> Void
    ) {
        self.stop = stop
        definition = interpreter.definition
        invoker = interpreter.invoker
        clock = interpreter.clock
        seed = interpreter.seed
        region = interpreter.region
        pacer = interpreter.pacer
        self.identity = identity
        recorder = HistoryRecorder(firstId: firstEventId, clock: interpreter.clock, observer: observer)
    }

    /// Runs the top level from `position`, under the machine's `TimeoutSeconds`, and writes the closing event.
    func finish(from position: ExecutionCheckpoint) async -> ExecutionResult {
        let lane = Lane(last: position.lastEventId)
        let outcome: ExecutionOutcome
        do {
            let output = try await withMachineTimeout { try await self.runTopLevel(from: position, lane: lane) }
            // Only ExecutionSucceeded may be the 25,000th event: a state's event refused past it fails the execution.
            if output != nil, await recorder.overflowed { throw StatesError.historyFull }
            if let output {
                _ = await recorder.record(
                    "ExecutionSucceeded", after: lane.last, "executionSucceededEventDetails",
                    ["output": .string(output.text), "outputDetails": .truncatedFalse])
                outcome = .succeeded(output: output)
            } else {
                let error = StatesError(
                    StatesError.timeout,
                    "The execution ran longer than the state machine's TimeoutSeconds "
                        + "(\(definition.timeoutSeconds ?? 0) seconds)")
                _ = await recorder.record(
                    "ExecutionTimedOut", after: lane.last, "executionTimedOutEventDetails",
                    ["error": .string(error.name), "cause": .string(error.cause)])
                outcome = .timedOut(error)
            }
        } catch let error as StatesError {
            _ = await recorder.record(
                "ExecutionFailed", after: lane.last, "executionFailedEventDetails",
                ["error": .string(error.name), "cause": .string(error.cause)])
            outcome = .failed(error)
        } catch {
            var details: [String: JSONValue] = [:]
            if let stop {
                // StopExecution's own error and cause, each only when given (as AWS writes the event).
                let reason = stop.reason
                if let e = reason?.error { details["error"] = .string(e) }
                if let c = reason?.cause { details["cause"] = .string(c) }
            } else {
                details = ["error": .string("States.Aborted"), "cause": .string("The execution was stopped")]
            }
            _ = await recorder.record("ExecutionAborted", after: lane.last, "executionAbortedEventDetails", details)
            outcome = .aborted
        }
        return ExecutionResult(outcome: outcome, events: await recorder.events)
    }

    /// The body's value, or nil when the machine's `TimeoutSeconds` passed first (the body is then cancelled).
    func withMachineTimeout(
        _ body: @escaping @Sendable () async throws -> JSONValue
    ) async throws -> JSONValue? {
        guard let limit = definition.timeoutSeconds else { return try await body() }
        return try await withThrowingTaskGroup(of: JSONValue?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await self.clock.sleep(seconds: Double(limit))
                return nil
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    func runTopLevel(from position: ExecutionCheckpoint, lane: Lane) async throws -> JSONValue {
        var name = position.stateName
        var input = position.input
        var phase = position.phase
        var counts = position.retryCounts
        while true {
            try Task.checkCancellation()
            let state = definition.graph.states[name]!
            let step = StateStep(
                state: state, rawInput: input, lane: lane, topLevel: true, resumePhase: phase, retryCounts: counts)
            if phase == .entering {
                await recorder.checkpoint(
                    ExecutionCheckpoint(
                        stateName: name, input: input, lastEventId: lane.last, nextEventId: 0, retryCounts: [],
                        phase: .entering))
            }
            let (output, next) = try await run(step)
            guard let next else { return output }
            name = next
            input = output
            phase = .entering
            counts = []
        }
    }

    /// Runs a branch, an iteration's processor or (without checkpoints) any graph to its end.
    func runGraph(_ graph: StateGraph, input: JSONValue, lane: Lane) async throws -> JSONValue {
        var name = graph.startAt
        var current = input
        while true {
            try Task.checkCancellation()
            let step = StateStep(
                state: graph.states[name]!, rawInput: current, lane: lane, topLevel: false, resumePhase: .entering,
                retryCounts: [])
            let (output, next) = try await run(step)
            guard let next else { return output }
            name = next
            current = output
        }
    }

    /// The context object for a state (`$$`), with `Map.Item` inside a Map's `ItemSelector`.
    func context(stateName: String, enteredTime: Timestamp, retryCount: Int, mapItem: MapItem? = nil) -> JSONValue {
        var o: [String: JSONValue] = [
            "Execution": .object([
                "Id": .string(identity.executionArn), "Input": identity.input, "Name": .string(identity.name),
                "RoleArn": .string(identity.roleArn), "StartTime": .string(identity.startTime.rfc3339),
                "RedriveCount": .number(0),
            ]),
            "State": .object([
                "EnteredTime": .string(enteredTime.rfc3339), "Name": .string(stateName),
                "RetryCount": .number(Double(retryCount)),
            ]),
            "StateMachine": .object([
                "Id": .string(identity.stateMachineArn), "Name": .string(identity.stateMachineName),
            ]),
        ]
        if let mapItem {
            o["Map"] = .object(["Item": .object(["Index": .number(Double(mapItem.index)), "Value": mapItem.value])])
        }
        return .object(o)
    }

    /// A generator for one use in one state entry, the same for the same execution seed and history.
    func random(_ use: String, state: String, entered: Int) -> SeededGenerator {
        SeededGenerator(seed: seed, stream: "\(identity.executionArn)/\(state)/\(entered)/\(use)")
    }
}

/// The chain of events one branch of the execution writes: each event follows the lane's last one.
final class Lane: @unchecked Sendable {
    // Used by one task at a time: a lane belongs to the top level, one Parallel branch or one Map iteration.
    var last: Int
    init(last: Int) { self.last = last }
}

/// A Map iteration's item, for `$$.Map.Item` in `ItemSelector`.
struct MapItem: Sendable {
    var index: Int
    var value: JSONValue
}

/// One state to run, with where the history stands and (when resuming) what it was doing.
struct StateStep: Sendable {
    var state: State
    var rawInput: JSONValue
    var lane: Lane
    var topLevel: Bool
    var resumePhase: ExecutionCheckpoint.Phase
    var retryCounts: [Int]

    var resuming: Bool { resumePhase != .entering }
}
