import SQLiteNIO

/// Asynchronous events and dead letters: each change is one statement, hence one transaction.
extension Store {
    /// Which events a query is about.
    public enum EventState: Sendable {
        /// Accepted and not finished: waiting, running or waiting for a retry.
        case pending
        /// Failed after their retries.
        case deadLetter

        var condition: String {
            switch self {
            case .pending: "failed_at IS NULL"
            case .deadLetter: "failed_at IS NOT NULL"
            }
        }
    }

    /// Writes the event (a new one, or its new attempts, error, or dead-letter mark) in one transaction.
    public func saveEvent(_ event: AsyncEventRecord) async throws(StoreError) {
        try await run(
            """
            INSERT OR REPLACE INTO async_events
                (id, function, payload, accepted_at, attempts, error_type, error_message, failed_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, Self.binds(event), operation: "save event \(event.id)")
    }

    /// Writes the events that are not there yet (by id), all in one transaction; returns how many were new.
    public func importEvents(_ events: [AsyncEventRecord]) async throws(StoreError) -> Int {
        try await transaction("import events") { () async throws(StoreError) -> Int in
            var added = 0
            for event in events {
                let rows = try await self.rawRows(
                    """
                    INSERT OR IGNORE INTO async_events
                        (id, function, payload, accepted_at, attempts, error_type, error_message, failed_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                    """, Self.binds(event), operation: "import event \(event.id)")
                added += rows.count
            }
            return added
        }
    }

    /// Removes the event in that state; true if there was one.
    @discardableResult
    public func removeEvent(_ id: String, state: EventState) async throws(StoreError) -> Bool {
        try await !rows(
            "DELETE FROM async_events WHERE id = ? AND \(state.condition) RETURNING id", [.text(id)],
            operation: "remove event \(id)"
        ).isEmpty
    }

    /// The event with that id in that state.
    public func event(_ id: String, state: EventState) async throws(StoreError) -> AsyncEventRecord? {
        try await rows(
            "SELECT * FROM async_events WHERE id = ? AND \(state.condition)", [.text(id)],
            operation: "read event \(id)"
        ).first.map(Self.event)
    }

    /// Every event in that state, oldest first.
    public func events(_ state: EventState) async throws(StoreError) -> [AsyncEventRecord] {
        try await rows(
            "SELECT * FROM async_events WHERE \(state.condition) ORDER BY accepted_at, id",
            operation: "list events"
        ).map(Self.event)
    }

    /// How many events are in that state.
    public func eventCount(_ state: EventState) async throws(StoreError) -> Int {
        Int(
            try await rows("SELECT count(*) AS n FROM async_events WHERE \(state.condition)", operation: "count events")
                .first?.int64("n") ?? 0)
    }

    private static func binds(_ e: AsyncEventRecord) -> [SQLiteData] {
        [
            .text(e.id), .text(e.function), .bytes(e.payload), .integer(Int(e.acceptedAt)), .integer(e.attempts),
            .optionalText(e.errorType), .optionalText(e.errorMessage), .optionalInteger(e.failedAt),
        ]
    }

    private static func event(_ row: SQLiteRow) -> AsyncEventRecord {
        AsyncEventRecord(
            id: row.text("id"), function: row.text("function"), payload: row.bytes("payload"),
            acceptedAt: row.int64("accepted_at"), attempts: Int(row.int64("attempts")),
            errorType: row.optionalText("error_type"), errorMessage: row.optionalText("error_message"),
            failedAt: row.optionalInt64("failed_at"))
    }
}
