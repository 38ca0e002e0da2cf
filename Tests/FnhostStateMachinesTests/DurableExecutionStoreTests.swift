import FnhostStateMachines
import FnhostStates
import FnhostStepFunctions
import FnhostStore
import FnhostWire
import Synchronization
import TestSupport
import Testing

/// STANDARD executions in fnhost's SQLite store: what a restart finds is what was written, through a second store
/// opened on the same file as the next `fnhost serve` (or `fnhost states executions`) would.
@Suite struct DurableExecutionStoreTests {
    static let start = Timestamp(epochMilliseconds: 1_767_225_600_000)

    static func record(_ name: String, machine: String = "m") -> ExecutionRecord {
        ExecutionRecord(
            identity: ExecutionIdentity(
                executionArn: "arn:aws:states:us-east-1:000000000000:execution:\(machine):\(name)", name: name,
                stateMachineArn: "arn:aws:states:us-east-1:000000000000:stateMachine:\(machine)",
                stateMachineName: machine, roleArn: "arn:aws:iam::000000000000:role/fnhost", startTime: start,
                input: .object(["k": .number(1)])),
            type: .standard, definitionText: #"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#)
    }

    static func event(_ id: Int, _ type: String) -> HistoryEvent {
        HistoryEvent(
            id: id, previousEventId: id - 1, timestamp: start.adding(seconds: Double(id)), type: type,
            detailsField: nil, details: nil)
    }

    @Test("events, the last checkpoint and the end survive a reopen; a finished execution is no longer running")
    func keepsWhatWasWritten() async throws {
        try await withTemporaryDirectory("durable") { folder in
            let problems = Mutex<[String]>([])
            let first = DurableExecutionStore(
                store: try await Store.open(stateDirectory: folder),
                problem: { p in problems.withLock { $0.append(p) } })
            let a = Self.record("a")
            let b = Self.record("b")
            try await first.begin(a)
            try await first.begin(b)
            await #expect(throws: ExecutionStoreError.self) { try await first.begin(a) }
            for (id, type) in [(1, "ExecutionStarted"), (2, "WaitStateEntered"), (3, "WaitStateExited")] {
                await first.append(Self.event(id, type), execution: a.identity.executionArn)
            }
            let checkpoint = ExecutionCheckpoint(
                stateName: "W", input: .object([:]), lastEventId: 2, nextEventId: 3, retryCounts: [],
                phase: .waiting(deadline: Self.start.adding(seconds: 30)))
            await first.checkpoint(checkpoint, execution: a.identity.executionArn)
            await first.finish(
                execution: b.identity.executionArn, outcome: .aborted, stop: StatesError("Enough", "a test"),
                at: Self.start.adding(seconds: 5))
            await first.store.close()

            let second = DurableExecutionStore(store: try await Store.open(stateDirectory: folder), problem: { _ in })
            let running = try await second.running()
            #expect(running.map(\.identity.name) == ["a"])
            #expect(running.first?.checkpoint == checkpoint)
            #expect(running.first?.definitionText == a.definitionText)
            #expect(try await second.history(a.identity.executionArn).map(\.id) == [1, 2, 3])
            try await second.dropEvents(execution: a.identity.executionArn, from: 3)
            #expect(
                try await second.history(a.identity.executionArn).map(\.type) == [
                    "ExecutionStarted", "WaitStateEntered",
                ])
            let stopped = try #require(try await second.record(b.identity.executionArn))
            #expect(stopped.status == "ABORTED")
            #expect(stopped.error == StatesError("Enough", "a test"))
            #expect(stopped.checkpoint == nil)
            #expect(
                try await second.records(stateMachineArn: a.identity.stateMachineArn).map(\.identity.name) == [
                    "b", "a",
                ],
                "newest first")
            await second.store.close()
            #expect(problems.withLock { $0 }.isEmpty)
        }
    }

    @Test("state machines created through the API are kept, replaced by name and deleted")
    func keepsMachines() async throws {
        try await withTemporaryDirectory("durable") { folder in
            let store = DurableExecutionStore(store: try await Store.open(stateDirectory: folder), problem: { _ in })
            let machine = StoredMachine(
                name: "m", arn: "arn:aws:states:us-east-1:000000000000:stateMachine:m",
                definitionText: #"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#, type: .express,
                roleArn: "arn:aws:iam::000000000000:role/r", creationDate: Self.start)
            try await store.saveMachine(machine)
            #expect(try await store.machines() == [machine])
            try await store.deleteMachine(arn: machine.arn)
            #expect(try await store.machines().isEmpty)
            await store.store.close()
        }
    }
}
