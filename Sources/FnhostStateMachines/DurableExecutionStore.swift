import FnhostStates
import FnhostStepFunctions
import FnhostStore
import FnhostWire
import Foundation
import Synchronization

/// STANDARD executions and API-created state machines in fnhost's one SQLite database (``Store``, in the state
/// folder): each event, checkpoint and end is committed before the call returns, so the interpreter (which awaits
/// them) never runs ahead of what a restart will find, and `StartExecution` answers only once the execution is on
/// disk. Records and events are kept as JSON (their Codable forms).
public final class DurableExecutionStore: ExecutionStore {
    public let store: Store
    /// Told about a write that failed during a run (the execution goes on; its history may then be incomplete).
    private let problem: @Sendable (String) -> Void
    /// The records of the executions running in this process, so a checkpoint rewrites the record without reading it.
    private let live = Mutex<[String: ExecutionRecord]>([:])

    public init(store: Store, problem: @escaping @Sendable (String) -> Void) {
        self.store = store
        self.problem = problem
    }

    public func begin(_ record: ExecutionRecord) async throws(ExecutionStoreError) {
        let stored = try Self.stored(record)
        let inserted = try await Self.mapped { () async throws(StoreError) in try await store.insertExecution(stored) }
        guard inserted else {
            throw ExecutionStoreError("execution \(record.identity.executionArn) exists already in \(store.path)")
        }
        live.withLock { $0[record.identity.executionArn] = record }
    }

    public func append(_ event: HistoryEvent, execution arn: String) async {
        do {
            let bytes = try Self.encode(event)
            try await Self.uncancelled { [store] () async throws(StoreError) in
                try await store.appendExecutionEvent(execution: arn, id: event.id, event: bytes)
            }
        } catch {
            problem("fnhost: could not keep event \(event.id) (\(event.type)) of \(arn): \(error)")
        }
    }

    public func checkpoint(_ checkpoint: ExecutionCheckpoint, execution arn: String) async {
        await update(arn, "checkpoint") { $0.checkpoint = checkpoint }
    }

    public func finish(execution arn: String, outcome: ExecutionOutcome, stop: StatesError?, at date: Timestamp) async {
        await update(arn, "end") { $0.finish(outcome, stop: stop, at: date) }
        live.withLock { $0[arn] = nil }
    }

    public func record(_ arn: String) async throws(ExecutionStoreError) -> ExecutionRecord? {
        guard let stored = try await Self.mapped({ () async throws(StoreError) in try await store.execution(arn) })
        else { return nil }
        return try Self.decode(ExecutionRecord.self, stored.record, what: "execution \(arn)")
    }

    public func records(stateMachineArn: String) async throws(ExecutionStoreError) -> [ExecutionRecord] {
        try await list(stateMachineArn: stateMachineArn, status: nil)
    }

    public func running() async throws(ExecutionStoreError) -> [ExecutionRecord] {
        try await list(stateMachineArn: nil, status: "RUNNING").reversed()
    }

    public func history(_ arn: String) async throws(ExecutionStoreError) -> [HistoryEvent] {
        let rows = try await Self.mapped { () async throws(StoreError) in
            try await store.executionEvents(execution: arn)
        }
        var events: [HistoryEvent] = []
        for row in rows { events.append(try Self.decode(HistoryEvent.self, row, what: "an event of \(arn)")) }
        return events
    }

    public func dropEvents(execution arn: String, from id: Int) async throws(ExecutionStoreError) {
        try await Self.mapped { () async throws(StoreError) in
            try await store.deleteExecutionEvents(execution: arn, from: id)
        }
    }

    public func saveMachine(_ machine: StoredMachine) async throws(ExecutionStoreError) {
        let bytes: [UInt8]
        do { bytes = try Self.encode(machine) } catch { throw ExecutionStoreError("\(error)") }
        try await Self.mapped { () async throws(StoreError) in
            try await store.saveStateMachine(
                arn: machine.arn, name: machine.name, createdAt: machine.creationDate.epochMilliseconds, machine: bytes)
        }
    }

    public func deleteMachine(arn: String) async throws(ExecutionStoreError) {
        try await Self.mapped { () async throws(StoreError) in try await store.deleteStateMachine(arn: arn) }
    }

    public func machines() async throws(ExecutionStoreError) -> [StoredMachine] {
        let rows = try await Self.mapped { () async throws(StoreError) in try await store.stateMachines() }
        var out: [StoredMachine] = []
        for row in rows { out.append(try Self.decode(StoredMachine.self, row, what: "a state machine")) }
        return out
    }

    // MARK: Helpers

    private func list(stateMachineArn: String?, status: String?) async throws(ExecutionStoreError) -> [ExecutionRecord]
    {
        let rows = try await Self.mapped { () async throws(StoreError) in
            try await store.executions(stateMachineArn: stateMachineArn, status: status)
        }
        var out: [ExecutionRecord] = []
        for row in rows { out.append(try Self.decode(ExecutionRecord.self, row.record, what: "execution \(row.arn)")) }
        return out
    }

    /// Changes an execution's record (the one in memory, else the one on disk) and writes it back.
    private func update(_ arn: String, _ what: String, _ change: (inout ExecutionRecord) -> Void) async {
        do {
            var record: ExecutionRecord
            if let known = live.withLock({ $0[arn] }) {
                record = known
            } else if let stored = try await Self.uncancelled({ [store] () async throws(StoreError) in
                try await store.execution(arn)
            }) {
                record = try Self.decode(ExecutionRecord.self, stored.record, what: "execution \(arn)")
            } else {
                problem("fnhost: no execution \(arn) in \(store.path) to write its \(what) to")
                return
            }
            change(&record)
            let changed = record
            live.withLock { $0[arn] = changed }
            let stored = try Self.stored(record)
            try await Self.uncancelled { [store] () async throws(StoreError) in try await store.updateExecution(stored)
            }
        } catch {
            problem("fnhost: could not keep the \(what) of \(arn): \(error)")
        }
    }

    static func stored(_ record: ExecutionRecord) throws(ExecutionStoreError) -> StoredExecution {
        let bytes: [UInt8]
        do { bytes = try encode(record) } catch { throw ExecutionStoreError("cannot encode an execution: \(error)") }
        return StoredExecution(
            arn: record.identity.executionArn, stateMachineArn: record.identity.stateMachineArn, status: record.status,
            startedAt: record.identity.startTime.epochMilliseconds, stoppedAt: record.stopDate?.epochMilliseconds,
            record: bytes)
    }

    static func encode(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return Array(try encoder.encode(value))
    }

    static func decode<T: Decodable>(_ type: T.Type, _ bytes: [UInt8], what: String) throws(ExecutionStoreError) -> T {
        do { return try JSONDecoder().decode(type, from: Data(bytes)) } catch {
            throw ExecutionStoreError("\(what) in the store cannot be read: \(error)")
        }
    }

    /// Runs a write to its end even when the execution's task is cancelled (StopExecution, shutdown): the store's
    /// queries give up on a cancelled task, and the event that records the stop must still be kept.
    static func uncancelled<T: Sendable>(_ body: @escaping @Sendable () async throws(StoreError) -> T)
        async throws(StoreError) -> T
    {
        let result = await Task { () async -> Result<T, StoreError> in
            do throws(StoreError) {
                return .success(try await body())
            } catch {
                return .failure(error)
            }
        }.value
        return try result.get()
    }

    @discardableResult
    static func mapped<T: Sendable>(_ body: () async throws(StoreError) -> T) async throws(ExecutionStoreError) -> T {
        do { return try await body() } catch { throw ExecutionStoreError("\(error)") }
    }
}
