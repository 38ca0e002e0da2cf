import SQLiteNIO

/// The schema, as the list of steps that built it: step N takes a database from `user_version` N-1 to N. A step is
/// never edited once released; a change to the schema is a new step at the end.
extension Store {
    static let migrations: [[String]] = [
        // 1: asynchronous (Event) invocations and their dead letters, one row each: a dead letter is a row with
        // failed_at set, so dead-lettering is one UPDATE; queue messages, one row each, in order of sending.
        [
            """
            CREATE TABLE async_events (
                id TEXT PRIMARY KEY NOT NULL,
                function TEXT NOT NULL,
                payload BLOB NOT NULL,
                accepted_at INTEGER NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                error_type TEXT,
                error_message TEXT,
                failed_at INTEGER
            )
            """,
            "CREATE INDEX async_events_by_age ON async_events (failed_at IS NULL, accepted_at, id)",
            """
            CREATE TABLE messages (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                queue TEXT NOT NULL,
                message_id TEXT NOT NULL,
                body BLOB NOT NULL,
                attributes BLOB,
                group_id TEXT,
                deduplication_id TEXT,
                sent_at INTEGER NOT NULL,
                visible_at INTEGER NOT NULL,
                receive_count INTEGER NOT NULL DEFAULT 0,
                first_received_at INTEGER,
                receipt TEXT
            )
            """,
            "CREATE INDEX messages_ready ON messages (queue, visible_at, seq)",
            "CREATE INDEX messages_by_receipt ON messages (receipt) WHERE receipt IS NOT NULL",
        ],
        // 2: SQS queues (their attributes as a JSON map of SQS's names) and FIFO deduplication ids, kept for the
        // five-minute window.
        [
            """
            CREATE TABLE queues (
                name TEXT PRIMARY KEY NOT NULL,
                attributes TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                modified_at INTEGER NOT NULL
            )
            """,
            """
            CREATE TABLE deduplication (
                queue TEXT NOT NULL,
                deduplication_id TEXT NOT NULL,
                message_id TEXT NOT NULL,
                seq INTEGER NOT NULL,
                sent_at INTEGER NOT NULL,
                PRIMARY KEY (queue, deduplication_id)
            )
            """,
            "CREATE INDEX messages_by_group ON messages (queue, group_id, seq) WHERE group_id IS NOT NULL",
        ],
        // 3: event source mappings (issue 14): one row each, one per function and source, their settings as the
        // mapping layer encodes them (the API's JSON fields); `origin` says whether a manifest declared it.
        [
            """
            CREATE TABLE event_source_mappings (
                uuid TEXT PRIMARY KEY NOT NULL,
                function TEXT NOT NULL,
                source_arn TEXT NOT NULL,
                state TEXT NOT NULL,
                settings TEXT NOT NULL,
                origin TEXT NOT NULL,
                modified_at INTEGER NOT NULL,
                UNIQUE (function, source_arn)
            )
            """
        ],
        // 4: Kinesis-compatible streams (a row each), their records (a row each; `position` orders a shard's records
        // and never repeats, even after a stream is deleted) and the checkpoints of stream consumers, per shard.
        [
            """
            CREATE TABLE streams (
                name TEXT PRIMARY KEY NOT NULL,
                shard_count INTEGER NOT NULL,
                retention_hours INTEGER NOT NULL,
                created_at INTEGER NOT NULL
            )
            """,
            """
            CREATE TABLE stream_records (
                position INTEGER PRIMARY KEY AUTOINCREMENT,
                stream TEXT NOT NULL,
                shard INTEGER NOT NULL,
                partition_key TEXT NOT NULL,
                data BLOB NOT NULL,
                arrived_at INTEGER NOT NULL
            )
            """,
            "CREATE INDEX stream_records_by_shard ON stream_records (stream, shard, position)",
            """
            CREATE TABLE stream_checkpoints (
                consumer TEXT NOT NULL,
                stream TEXT NOT NULL,
                shard INTEGER NOT NULL,
                position INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                PRIMARY KEY (consumer, stream, shard)
            )
            """,
        ],
    ]

    /// Applies the steps the database has not had yet, each in its own transaction.
    func migrate() async throws(StoreError) {
        let known = Self.migrations.count
        // Up to date (every open but the first): no write lock taken.
        if try await schemaVersion() == known { return }
        while true {
            let applied = try await transaction("migrate the schema") { () async throws(StoreError) -> Bool in
                let rows = try await self.rawRows("PRAGMA user_version", operation: "read the schema version")
                let version = Int(rows.first?.int64("user_version") ?? 0)
                if version > known { throw StoreError.newerSchema(path: self.path, found: version, known: known) }
                if version == known { return false }
                for statement in Self.migrations[version] {
                    try await self.rawRun(statement, operation: "migrate the schema to version \(version + 1)")
                }
                try await self.rawRun("PRAGMA user_version=\(version + 1)", operation: "record the schema version")
                return true
            }
            if !applied { return }
        }
    }

    /// The schema version of the open database.
    public func schemaVersion() async throws(StoreError) -> Int {
        Int(
            try await rows("PRAGMA user_version", operation: "read the schema version").first?.int64("user_version")
                ?? 0)
    }
}
