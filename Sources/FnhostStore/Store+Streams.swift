import SQLiteNIO

/// Streams, their records and their consumers' checkpoints. Putting records is one transaction per call (one
/// `PutRecord`, or every accepted record of a `PutRecords`), committed before the call returns. Reads take the
/// records after a position and no older than a cutoff the caller computes from the retention period and its clock.
extension Store {
    /// Creates the stream; false if a stream of that name exists.
    public func createStream(_ stream: StoredStream) async throws(StoreError) -> Bool {
        try await !rows(
            """
            INSERT OR IGNORE INTO streams (name, shard_count, retention_hours, created_at) VALUES (?, ?, ?, ?)
            RETURNING name
            """,
            [
                .text(stream.name), .integer(stream.shardCount), .integer(stream.retentionHours),
                .integer(Int(stream.createdAt)),
            ], operation: "create stream \(stream.name)"
        ).isEmpty
    }

    /// The stream named `name`, if it exists.
    public func stream(named name: String) async throws(StoreError) -> StoredStream? {
        try await rows("SELECT * FROM streams WHERE name = ?", [.text(name)], operation: "read stream \(name)")
            .first.map(Self.stream)
    }

    /// Every stream, by name.
    public func streams() async throws(StoreError) -> [StoredStream] {
        try await rows("SELECT * FROM streams ORDER BY name", operation: "list the streams").map(Self.stream)
    }

    /// Deletes the stream, its records and its consumers' checkpoints in one transaction; false if there was none.
    @discardableResult
    public func deleteStream(_ name: String) async throws(StoreError) -> Bool {
        try await transaction("delete stream \(name)") { () async throws(StoreError) -> Bool in
            try await self.rawRun(
                "DELETE FROM stream_records WHERE stream = ?", [.text(name)], operation: "delete stream \(name)")
            try await self.rawRun(
                "DELETE FROM stream_checkpoints WHERE stream = ?", [.text(name)], operation: "delete stream \(name)")
            return try await !self.rawRows(
                "DELETE FROM streams WHERE name = ? RETURNING name", [.text(name)], operation: "delete stream \(name)"
            ).isEmpty
        }
    }

    /// Stores records of `stream` in one transaction, in the order given; returns them with their positions. Nil
    /// if the stream does not exist (or is not the one created at `createdAt`) when the transaction runs.
    /// Records older than `expireBefore` are dropped in the same transaction (retention).
    public func putStreamRecords(
        stream: String, createdAt: Int64, _ records: [StoredStreamRecord], expireBefore: Int64
    ) async throws(StoreError) -> [StoredStreamRecord]? {
        try await transaction("put records to stream \(stream)") {
            () async throws(StoreError) -> [StoredStreamRecord]? in
            guard
                let row = try await self.rawRows(
                    "SELECT created_at FROM streams WHERE name = ?", [.text(stream)], operation: "read stream \(stream)"
                ).first, row.int64("created_at") == createdAt
            else { return nil }
            try await self.rawRun(
                "DELETE FROM stream_records WHERE stream = ? AND arrived_at < ?",
                [.text(stream), .integer(Int(expireBefore))], operation: "drop expired records of \(stream)")
            var out: [StoredStreamRecord] = []
            for var record in records {
                let rows = try await self.rawRows(
                    """
                    INSERT INTO stream_records (stream, shard, partition_key, data, arrived_at)
                    VALUES (?, ?, ?, ?, ?) RETURNING position
                    """,
                    [
                        .text(stream), .integer(record.shard), .text(record.partitionKey), .bytes(record.data),
                        .integer(Int(record.arrivedAt)),
                    ], operation: "put a record to stream \(stream)")
                record.position = rows.first?.int64("position") ?? 0
                out.append(record)
            }
            return out
        }
    }

    /// Up to `limit` records of one shard after `position`, in order, that arrived at or after `notBefore`.
    public func streamRecords(
        stream: String, shard: Int, after position: Int64, notBefore: Int64, limit: Int
    ) async throws(StoreError) -> [StoredStreamRecord] {
        try await rows(
            """
            SELECT * FROM stream_records
            WHERE stream = ? AND shard = ? AND position > ? AND arrived_at >= ?
            ORDER BY position LIMIT ?
            """,
            [.text(stream), .integer(shard), .integer(Int(position)), .integer(Int(notBefore)), .integer(limit)],
            operation: "read records of stream \(stream)"
        ).map(Self.streamRecord)
    }

    /// What a shard holds from `notBefore` on: the first and last positions and the last record's arrival.
    public struct ShardExtent: Sendable, Equatable {
        public var count: Int
        public var first: Int64?
        public var last: Int64?
        public var lastArrivedAt: Int64?
    }

    public func shardExtent(stream: String, shard: Int, notBefore: Int64) async throws(StoreError) -> ShardExtent {
        let row = try await rows(
            """
            SELECT count(*) AS n, min(position) AS first, max(position) AS last, max(arrived_at) AS newest
            FROM stream_records WHERE stream = ? AND shard = ? AND arrived_at >= ?
            """, [.text(stream), .integer(shard), .integer(Int(notBefore))], operation: "measure stream \(stream)"
        ).first
        return ShardExtent(
            count: Int(row?.int64("n") ?? 0), first: row?.optionalInt64("first"), last: row?.optionalInt64("last"),
            lastArrivedAt: row?.optionalInt64("newest"))
    }

    /// The position before the first record of the shard that arrived at or after `time` (where an
    /// `AT_TIMESTAMP` read starts after).
    public func streamPosition(stream: String, shard: Int, before time: Int64) async throws(StoreError) -> Int64 {
        let row = try await rows(
            """
            SELECT min(position) AS first FROM stream_records WHERE stream = ? AND shard = ? AND arrived_at >= ?
            """, [.text(stream), .integer(shard), .integer(Int(time))], operation: "find a time in stream \(stream)"
        ).first
        if let first = row?.optionalInt64("first") { return first - 1 }
        return try await latestPosition()
    }

    /// The highest position given to any record so far (0 before the first): a read after it sees only records
    /// put later.
    public func latestPosition() async throws(StoreError) -> Int64 {
        let rows = try await rows(
            "SELECT seq FROM sqlite_sequence WHERE name = 'stream_records'", operation: "read the latest position")
        return rows.first?.int64("seq") ?? 0
    }

    // MARK: Consumer checkpoints

    /// The consumer's checkpoint of one shard (every record at or below it is done), if it has one.
    public func streamCheckpoint(consumer: String, stream: String, shard: Int) async throws(StoreError) -> Int64? {
        try await rows(
            "SELECT position FROM stream_checkpoints WHERE consumer = ? AND stream = ? AND shard = ?",
            [.text(consumer), .text(stream), .integer(shard)], operation: "read a checkpoint of stream \(stream)"
        ).first?.optionalInt64("position")
    }

    /// Records the consumer's checkpoint of one shard.
    public func setStreamCheckpoint(
        consumer: String, stream: String, shard: Int, position: Int64, now: Int64
    ) async throws(StoreError) {
        try await run(
            """
            INSERT INTO stream_checkpoints (consumer, stream, shard, position, updated_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (consumer, stream, shard) DO UPDATE SET position = excluded.position,
                updated_at = excluded.updated_at
            """,
            [.text(consumer), .text(stream), .integer(shard), .integer(Int(position)), .integer(Int(now))],
            operation: "record a checkpoint of stream \(stream)")
    }

    static func stream(_ row: SQLiteRow) -> StoredStream {
        StoredStream(
            name: row.text("name"), shardCount: Int(row.int64("shard_count")),
            retentionHours: Int(row.int64("retention_hours")), createdAt: row.int64("created_at"))
    }

    static func streamRecord(_ row: SQLiteRow) -> StoredStreamRecord {
        StoredStreamRecord(
            position: row.int64("position"), shard: Int(row.int64("shard")), partitionKey: row.text("partition_key"),
            data: row.bytes("data"), arrivedAt: row.int64("arrived_at"))
    }
}
