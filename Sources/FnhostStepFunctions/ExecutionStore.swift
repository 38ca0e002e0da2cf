import FnhostStates
import Synchronization

/// Where executions and their histories are kept. The methods take exactly what the interpreter emits (each history
/// event, each checkpoint, the outcome), synchronously from its observer, so a durable store (SQLite in fnhost's
/// state folder) can replace ``InMemoryExecutionStore`` without touching the service.
public protocol ExecutionStore: Sendable {
    /// A new execution, status RUNNING.
    func begin(_ record: ExecutionRecord)
    /// The next history event of an execution.
    func append(_ event: HistoryEvent, execution arn: String)
    /// The latest resumable position of an execution.
    func checkpoint(_ checkpoint: ExecutionCheckpoint, execution arn: String)
    /// An execution's end.
    func finish(execution arn: String, outcome: ExecutionOutcome, at date: Timestamp)
    func record(_ arn: String) -> ExecutionRecord?
    /// A state machine's executions, newest first.
    func records(stateMachineArn: String) -> [ExecutionRecord]
    /// An execution's history, oldest first.
    func history(_ arn: String) -> [HistoryEvent]
}

/// Executions in memory: lost when `fnhost serve` stops (the durable store is a separate piece of work).
public final class InMemoryExecutionStore: ExecutionStore {
    private struct Entry {
        var record: ExecutionRecord
        var events: [HistoryEvent] = []
        var order: Int
    }

    private let entries = Mutex<(byArn: [String: Entry], count: Int)>(([:], 0))

    public init() {}

    public func begin(_ record: ExecutionRecord) {
        entries.withLock {
            $0.count += 1
            $0.byArn[record.identity.executionArn] = Entry(record: record, order: $0.count)
        }
    }

    public func append(_ event: HistoryEvent, execution arn: String) {
        entries.withLock { $0.byArn[arn]?.events.append(event) }
    }

    public func checkpoint(_ checkpoint: ExecutionCheckpoint, execution arn: String) {
        entries.withLock { $0.byArn[arn]?.record.checkpoint = checkpoint }
    }

    public func finish(execution arn: String, outcome: ExecutionOutcome, at date: Timestamp) {
        entries.withLock { $0.byArn[arn]?.record.finish(outcome, at: date) }
    }

    public func record(_ arn: String) -> ExecutionRecord? { entries.withLock { $0.byArn[arn]?.record } }

    public func records(stateMachineArn: String) -> [ExecutionRecord] {
        entries.withLock { state in
            state.byArn.values.filter { $0.record.identity.stateMachineArn == stateMachineArn }
                .sorted { $0.order > $1.order }.map(\.record)
        }
    }

    public func history(_ arn: String) -> [HistoryEvent] { entries.withLock { $0.byArn[arn]?.events ?? [] } }
}
