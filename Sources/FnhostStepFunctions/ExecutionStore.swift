import FnhostStates
import FnhostWire
import Synchronization

/// Where executions, their histories and the state machines created through the API are kept. Asynchronous, so
/// that a durable store (SQLite in fnhost's state folder, `DurableExecutionStore`) has each write on disk before it
/// returns: `StartExecution` answers only after `begin`, and the interpreter goes on only after each event and
/// checkpoint is kept (it awaits its observer).
///
/// Writes during a run (`append`, `checkpoint`, `finish`) do not throw: the execution cannot undo what it did, so a
/// store reports its own write failures (fnhost notes them on its log). The reads and `begin` throw, and the API
/// answers a failed one with an error instead of a wrong answer.
public protocol ExecutionStore: Sendable {
    /// A new execution, status RUNNING, kept before this returns; an error when one of that ARN exists already.
    func begin(_ record: ExecutionRecord) async throws(ExecutionStoreError)
    /// The next history event of an execution.
    func append(_ event: HistoryEvent, execution arn: String) async
    /// The latest resumable position of an execution.
    func checkpoint(_ checkpoint: ExecutionCheckpoint, execution arn: String) async
    /// An execution's end (`stop`: StopExecution's error and cause, for an aborted one).
    func finish(execution arn: String, outcome: ExecutionOutcome, stop: StatesError?, at date: Timestamp) async
    func record(_ arn: String) async throws(ExecutionStoreError) -> ExecutionRecord?
    /// A state machine's executions, newest first.
    func records(stateMachineArn: String) async throws(ExecutionStoreError) -> [ExecutionRecord]
    /// The executions still RUNNING (after a restart: those to resume), oldest first.
    func running() async throws(ExecutionStoreError) -> [ExecutionRecord]
    /// An execution's history, oldest first.
    func history(_ arn: String) async throws(ExecutionStoreError) -> [HistoryEvent]
    /// Drops an execution's events from id `id` on (those a resumed execution writes again).
    func dropEvents(execution arn: String, from id: Int) async throws(ExecutionStoreError)

    /// A state machine created through the API.
    func saveMachine(_ machine: StoredMachine) async throws(ExecutionStoreError)
    func deleteMachine(arn: String) async throws(ExecutionStoreError)
    /// The state machines created through the API, in order of creation.
    func machines() async throws(ExecutionStoreError) -> [StoredMachine]
}

/// A state machine created through `CreateStateMachine`, as a store keeps it.
public struct StoredMachine: Hashable, Sendable, Codable {
    public var name: String
    public var arn: String
    public var definitionText: String
    public var type: StateMachineType
    public var roleArn: String
    public var creationDate: Timestamp

    public init(
        name: String, arn: String, definitionText: String, type: StateMachineType, roleArn: String,
        creationDate: Timestamp
    ) {
        self.name = name
        self.arn = arn
        self.definitionText = definitionText
        self.type = type
        self.roleArn = roleArn
        self.creationDate = creationDate
    }
}

/// A store that could not read or write: what it was doing and why.
public struct ExecutionStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Executions in memory: lost when the process stops. EXPRESS executions always live here (AWS keeps no history
/// for them either), and so do STANDARD ones when no durable store is given (tests, `fnhost states run`).
public final class InMemoryExecutionStore: ExecutionStore {
    private struct Entry {
        var record: ExecutionRecord
        var events: [HistoryEvent] = []
        var order: Int
    }

    private let entries = Mutex<(byArn: [String: Entry], count: Int)>(([:], 0))
    private let stored = Mutex<[StoredMachine]>([])

    public init() {}

    public func begin(_ record: ExecutionRecord) throws(ExecutionStoreError) {
        let arn = record.identity.executionArn
        let added = entries.withLock { state -> Bool in
            guard state.byArn[arn] == nil else { return false }
            state.count += 1
            state.byArn[arn] = Entry(record: record, order: state.count)
            return true
        }
        guard added else { throw ExecutionStoreError("execution \(arn) exists already") }
    }

    public func append(_ event: HistoryEvent, execution arn: String) {
        entries.withLock { $0.byArn[arn]?.events.append(event) }
    }

    public func checkpoint(_ checkpoint: ExecutionCheckpoint, execution arn: String) {
        entries.withLock { $0.byArn[arn]?.record.checkpoint = checkpoint }
    }

    public func finish(execution arn: String, outcome: ExecutionOutcome, stop: StatesError?, at date: Timestamp) {
        entries.withLock { $0.byArn[arn]?.record.finish(outcome, stop: stop, at: date) }
    }

    public func record(_ arn: String) -> ExecutionRecord? { entries.withLock { $0.byArn[arn]?.record } }

    public func records(stateMachineArn: String) -> [ExecutionRecord] {
        entries.withLock { state in
            state.byArn.values.filter { $0.record.identity.stateMachineArn == stateMachineArn }
                .sorted { $0.order > $1.order }.map(\.record)
        }
    }

    public func running() -> [ExecutionRecord] {
        entries.withLock { state in
            state.byArn.values.filter { $0.record.status == "RUNNING" }.sorted { $0.order < $1.order }.map(\.record)
        }
    }

    public func history(_ arn: String) -> [HistoryEvent] { entries.withLock { $0.byArn[arn]?.events ?? [] } }

    public func dropEvents(execution arn: String, from id: Int) {
        entries.withLock { $0.byArn[arn]?.events.removeAll { $0.id >= id } }
    }

    public func saveMachine(_ machine: StoredMachine) {
        stored.withLock { list in
            list.removeAll { $0.arn == machine.arn }
            list.append(machine)
        }
    }

    public func deleteMachine(arn: String) { stored.withLock { $0.removeAll { $0.arn == arn } } }

    public func machines() -> [StoredMachine] { stored.withLock { $0 } }
}
