import SQLiteNIO

/// Step Functions' state machines (created through the API) and STANDARD executions with their histories: each
/// change is one statement, hence one transaction, committed before the call returns.
extension Store {
    /// Inserts a new execution; false when one with that ARN exists already.
    public func insertExecution(_ execution: StoredExecution) async throws(StoreError) -> Bool {
        try await !rows(
            """
            INSERT OR IGNORE INTO executions (arn, state_machine_arn, status, started_at, stopped_at, record)
            VALUES (?, ?, ?, ?, ?, ?) RETURNING seq
            """,
            [
                .text(execution.arn), .text(execution.stateMachineArn), .text(execution.status),
                .integer(Int(execution.startedAt)), .optionalInteger(execution.stoppedAt), .bytes(execution.record),
            ], operation: "insert execution \(execution.arn)"
        ).isEmpty
    }

    /// Rewrites an execution's status, end and record.
    public func updateExecution(_ execution: StoredExecution) async throws(StoreError) {
        try await run(
            "UPDATE executions SET status = ?, stopped_at = ?, record = ? WHERE arn = ?",
            [
                .text(execution.status), .optionalInteger(execution.stoppedAt), .bytes(execution.record),
                .text(execution.arn),
            ], operation: "update execution \(execution.arn)")
    }

    public func execution(_ arn: String) async throws(StoreError) -> StoredExecution? {
        try await rows("SELECT * FROM executions WHERE arn = ?", [.text(arn)], operation: "read execution \(arn)")
            .first.map(Self.execution(row:))
    }

    /// A state machine's executions, newest first (all machines' when `stateMachineArn` is nil), optionally only
    /// those of one status.
    public func executions(stateMachineArn: String?, status: String? = nil) async throws(StoreError)
        -> [StoredExecution]
    {
        var conditions: [String] = []
        var binds: [SQLiteData] = []
        if let stateMachineArn {
            conditions.append("state_machine_arn = ?")
            binds.append(.text(stateMachineArn))
        }
        if let status {
            conditions.append("status = ?")
            binds.append(.text(status))
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        return try await rows(
            "SELECT * FROM executions \(filter) ORDER BY seq DESC", binds, operation: "list executions"
        ).map(Self.execution(row:))
    }

    /// Writes one history event (replacing one of the same id, which a resumed execution may write again).
    public func appendExecutionEvent(execution arn: String, id: Int, event: [UInt8]) async throws(StoreError) {
        try await run(
            "INSERT OR REPLACE INTO execution_events (execution_arn, id, event) VALUES (?, ?, ?)",
            [.text(arn), .integer(id), .bytes(event)], operation: "write event \(id) of \(arn)")
    }

    /// An execution's events, by id.
    public func executionEvents(execution arn: String) async throws(StoreError) -> [[UInt8]] {
        try await rows(
            "SELECT event FROM execution_events WHERE execution_arn = ? ORDER BY id", [.text(arn)],
            operation: "read the history of \(arn)"
        ).map { $0.bytes("event") }
    }

    /// Removes an execution's events from id `id` on.
    public func deleteExecutionEvents(execution arn: String, from id: Int) async throws(StoreError) {
        try await run(
            "DELETE FROM execution_events WHERE execution_arn = ? AND id >= ?", [.text(arn), .integer(id)],
            operation: "drop events of \(arn)")
    }

    /// Writes a state machine (its JSON, written and read by `FnhostStepFunctions`), replacing one of that ARN.
    public func saveStateMachine(arn: String, name: String, createdAt: Int64, machine: [UInt8]) async throws(StoreError)
    {
        try await run(
            "INSERT OR REPLACE INTO state_machines (arn, name, machine, created_at) VALUES (?, ?, ?, ?)",
            [.text(arn), .text(name), .bytes(machine), .integer(Int(createdAt))],
            operation: "save state machine \(name)")
    }

    public func deleteStateMachine(arn: String) async throws(StoreError) {
        try await run(
            "DELETE FROM state_machines WHERE arn = ?", [.text(arn)], operation: "delete state machine \(arn)")
    }

    /// The state machines' JSON, oldest first.
    public func stateMachines() async throws(StoreError) -> [[UInt8]] {
        try await rows("SELECT machine FROM state_machines ORDER BY created_at, name", operation: "list state machines")
            .map { $0.bytes("machine") }
    }

    static func execution(row: SQLiteRow) -> StoredExecution {
        StoredExecution(
            arn: row.text("arn"), stateMachineArn: row.text("state_machine_arn"), status: row.text("status"),
            startedAt: row.int64("started_at"), stoppedAt: row.optionalInt64("stopped_at"), record: row.bytes("record"))
    }
}
