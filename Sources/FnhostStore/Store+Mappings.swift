import SQLiteNIO

/// Event source mappings: created (one per function and source: a second is a conflict that names the first),
/// read, replaced and deleted, each one statement or one transaction.
extension Store {
    /// What `createMapping` did.
    public enum MappingCreation: Sendable, Equatable {
        case created(StoredMapping)
        /// A mapping of the same function and source exists already.
        case conflict(StoredMapping)
    }

    /// Stores a new mapping unless its function already has one for the source.
    public func createMapping(_ m: StoredMapping) async throws(StoreError) -> MappingCreation {
        try await transaction("create event source mapping \(m.uuid)") {
            () async throws(StoreError) -> MappingCreation in
            if let existing = try await self.rawRows(
                "SELECT * FROM event_source_mappings WHERE function = ? AND source_arn = ?",
                [.text(m.function), .text(m.sourceARN)], operation: "find a conflicting mapping"
            ).first.map(Self.mapping) {
                return .conflict(existing)
            }
            try await self.rawRun(
                """
                INSERT INTO event_source_mappings (uuid, function, source_arn, state, settings, origin, modified_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    .text(m.uuid), .text(m.function), .text(m.sourceARN), .text(m.state), .text(m.settings),
                    .text(m.origin), .integer(Int(m.modifiedAt)),
                ], operation: "create event source mapping \(m.uuid)")
            return .created(m)
        }
    }

    /// Stores the mapping, replacing the row of the same UUID (the declarations of a manifest, at every start).
    public func saveMapping(_ m: StoredMapping) async throws(StoreError) {
        try await run(
            """
            INSERT INTO event_source_mappings (uuid, function, source_arn, state, settings, origin, modified_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            ON CONFLICT (uuid) DO UPDATE SET function = ?2, source_arn = ?3, state = ?4, settings = ?5, origin = ?6,
                modified_at = ?7
            """,
            [
                .text(m.uuid), .text(m.function), .text(m.sourceARN), .text(m.state), .text(m.settings),
                .text(m.origin), .integer(Int(m.modifiedAt)),
            ], operation: "save event source mapping \(m.uuid)")
    }

    /// Replaces an existing mapping's function, state and settings; false if there is no such mapping.
    @discardableResult
    public func updateMapping(_ m: StoredMapping) async throws(StoreError) -> Bool {
        try await !rows(
            """
            UPDATE event_source_mappings SET function = ?, state = ?, settings = ?, modified_at = ?
            WHERE uuid = ? RETURNING uuid
            """,
            [.text(m.function), .text(m.state), .text(m.settings), .integer(Int(m.modifiedAt)), .text(m.uuid)],
            operation: "update event source mapping \(m.uuid)"
        ).isEmpty
    }

    /// The mapping with that UUID, if there is one.
    public func mapping(uuid: String) async throws(StoreError) -> StoredMapping? {
        try await rows(
            "SELECT * FROM event_source_mappings WHERE uuid = ?", [.text(uuid)],
            operation: "read event source mapping \(uuid)"
        ).first.map(Self.mapping)
    }

    /// Every mapping, in order of source then function then UUID.
    public func mappings() async throws(StoreError) -> [StoredMapping] {
        try await rows(
            "SELECT * FROM event_source_mappings ORDER BY source_arn, function, uuid",
            operation: "list the event source mappings"
        ).map(Self.mapping)
    }

    /// Deletes the mapping; returns it as it was, or nil if there was none.
    @discardableResult
    public func deleteMapping(uuid: String) async throws(StoreError) -> StoredMapping? {
        try await rows(
            "DELETE FROM event_source_mappings WHERE uuid = ? RETURNING *", [.text(uuid)],
            operation: "delete event source mapping \(uuid)"
        ).first.map(Self.mapping)
    }

    static func mapping(_ row: SQLiteRow) -> StoredMapping {
        StoredMapping(
            uuid: row.text("uuid"), function: row.text("function"), sourceARN: row.text("source_arn"),
            state: row.text("state"), settings: row.text("settings"), origin: row.text("origin"),
            modifiedAt: row.int64("modified_at"))
    }
}
