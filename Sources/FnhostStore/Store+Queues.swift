import SQLiteNIO

/// SQS queues (a row each, their attributes as the queue layer encodes them) and the queue operations that must be
/// one transaction: a FIFO send with its deduplication check, a receive that first drops expired messages and moves
/// those past `maxReceiveCount` to the dead-letter queue, and deleting a queue with its messages.
extension Store {
    /// Creates the queue unless one of that name exists; returns the queue as it now is (the existing one, if any).
    public func createQueue(_ name: String, attributes: String, now: Int64) async throws(StoreError) -> StoredQueue {
        try await transaction("create queue \(name)") { () async throws(StoreError) -> StoredQueue in
            try await self.rawRun(
                "INSERT OR IGNORE INTO queues (name, attributes, created_at, modified_at) VALUES (?, ?, ?, ?)",
                [.text(name), .text(attributes), .integer(Int(now)), .integer(Int(now))],
                operation: "create queue \(name)")
            let rows = try await self.rawRows(
                "SELECT * FROM queues WHERE name = ?", [.text(name)], operation: "read queue \(name)")
            guard let row = rows.first else { throw .failed(operation: "create queue \(name)", reason: "no row") }
            return Self.queue(row)
        }
    }

    /// The queue named `name`, if it exists.
    public func queue(named name: String) async throws(StoreError) -> StoredQueue? {
        try await rows("SELECT * FROM queues WHERE name = ?", [.text(name)], operation: "read queue \(name)")
            .first.map(Self.queue)
    }

    /// Every queue, by name.
    public func queues() async throws(StoreError) -> [StoredQueue] {
        try await rows("SELECT * FROM queues ORDER BY name", operation: "list the queues").map(Self.queue)
    }

    /// Replaces the queue's attributes; false if there is no such queue.
    @discardableResult
    public func setQueueAttributes(_ name: String, attributes: String, now: Int64) async throws(StoreError) -> Bool {
        try await !rows(
            "UPDATE queues SET attributes = ?, modified_at = ? WHERE name = ? RETURNING name",
            [.text(attributes), .integer(Int(now)), .text(name)], operation: "set the attributes of queue \(name)"
        ).isEmpty
    }

    /// Deletes the queue, its messages and its deduplication ids in one transaction; false if there was no queue.
    @discardableResult
    public func deleteQueue(_ name: String) async throws(StoreError) -> Bool {
        try await transaction("delete queue \(name)") { () async throws(StoreError) -> Bool in
            try await self.rawRun("DELETE FROM messages WHERE queue = ?", [.text(name)], operation: "delete queue")
            try await self.rawRun("DELETE FROM deduplication WHERE queue = ?", [.text(name)], operation: "delete queue")
            return try await !self.rawRows(
                "DELETE FROM queues WHERE name = ? RETURNING name", [.text(name)], operation: "delete queue \(name)"
            ).isEmpty
        }
    }

    /// What a FIFO send did: stored the message, or found its deduplication id inside the window.
    public struct FIFOSend: Sendable, Equatable {
        public var sequence: Int64
        public var messageID: String
        public var duplicate: Bool
    }

    /// Stores a FIFO message unless a message with the same deduplication id was sent to the queue within
    /// `windowMs` (then nothing is stored and the earlier message's id and sequence come back), in one transaction.
    public func sendFIFOMessage(_ m: StoredMessage, windowMs: Int64) async throws(StoreError) -> FIFOSend {
        let dedup = m.deduplicationID ?? m.messageID
        return try await transaction("store a message for queue \(m.queue)") {
            () async throws(StoreError) -> FIFOSend in
            try await self.rawRun(
                "DELETE FROM deduplication WHERE queue = ? AND sent_at <= ?",
                [.text(m.queue), .integer(Int(m.sentAt - windowMs))], operation: "expire deduplication ids")
            if let row = try await self.rawRows(
                "SELECT message_id, seq FROM deduplication WHERE queue = ? AND deduplication_id = ?",
                [.text(m.queue), .text(dedup)], operation: "check the deduplication id"
            ).first {
                return FIFOSend(sequence: row.int64("seq"), messageID: row.text("message_id"), duplicate: true)
            }
            let rows = try await self.rawRows(
                """
                INSERT INTO messages
                    (queue, message_id, body, attributes, group_id, deduplication_id, sent_at, visible_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq
                """,
                [
                    .text(m.queue), .text(m.messageID), .bytes(m.body), m.attributes.map(SQLiteData.bytes) ?? .null,
                    .optionalText(m.groupID), .text(dedup), .integer(Int(m.sentAt)), .integer(Int(m.visibleAt)),
                ], operation: "store a message for queue \(m.queue)")
            let seq = rows.first?.int64("seq") ?? 0
            try await self.rawRun(
                "INSERT INTO deduplication (queue, deduplication_id, message_id, seq, sent_at) VALUES (?, ?, ?, ?, ?)",
                [.text(m.queue), .text(dedup), .text(m.messageID), .integer(Int(seq)), .integer(Int(m.sentAt))],
                operation: "record the deduplication id")
            return FIFOSend(sequence: seq, messageID: m.messageID, duplicate: false)
        }
    }

    /// A receive as SQS does it, in one transaction: messages older than the retention period are dropped; visible
    /// messages already received `maxReceiveCount` times move to the dead-letter queue (keeping their id, body and
    /// sent time); then up to `limit` visible messages are taken — for a FIFO queue in order of sending, skipping
    /// every message group that has a message in flight (or an earlier message not yet visible).
    public func receive(
        queue: String, limit: Int, visibilityMs: Int64, now: Int64, fifo: Bool, retentionMs: Int64,
        deadLetter: (queue: String, maxReceiveCount: Int)?
    ) async throws(StoreError) -> [StoredMessage] {
        try await transaction("receive messages from queue \(queue)") {
            () async throws(StoreError) -> [StoredMessage] in
            try await self.rawRun(
                "DELETE FROM messages WHERE queue = ? AND sent_at <= ?",
                [.text(queue), .integer(Int(now - retentionMs))], operation: "drop expired messages of \(queue)")
            if let deadLetter {
                try await self.rawRun(
                    """
                    UPDATE messages SET queue = ?1, receipt = NULL, visible_at = ?2
                    WHERE queue = ?3 AND visible_at <= ?2 AND receive_count >= ?4
                    """,
                    [.text(deadLetter.queue), .integer(Int(now)), .text(queue), .integer(deadLetter.maxReceiveCount)],
                    operation: "move messages of \(queue) to its dead-letter queue")
            }
            let pick =
                fifo
                ? """
                SELECT seq FROM messages m WHERE queue = ?3 AND visible_at <= ?1 AND NOT EXISTS (
                    SELECT 1 FROM messages f WHERE f.queue = m.queue AND f.group_id = m.group_id
                        AND f.visible_at > ?1 AND (f.receive_count > 0 OR f.seq < m.seq))
                ORDER BY seq LIMIT ?4
                """
                : "SELECT seq FROM messages WHERE queue = ?3 AND visible_at <= ?1 ORDER BY visible_at, seq LIMIT ?4"
            return try await self.rawRows(
                """
                UPDATE messages
                SET visible_at = ?1 + ?2, receive_count = receive_count + 1,
                    first_received_at = coalesce(first_received_at, ?1),
                    receipt = seq || '-' || lower(hex(randomblob(16)))
                WHERE seq IN (\(pick))
                RETURNING *
                """, [.integer(Int(now)), .integer(Int(visibilityMs)), .text(queue), .integer(limit)],
                operation: "receive messages from queue \(queue)"
            ).map(Self.message).sorted { $0.sequence < $1.sequence }
        }
    }

    /// The first messages of `queue` in order of sending, unchanged (no receive counted, no visibility changed).
    public func peekMessages(queue: String, limit: Int) async throws(StoreError) -> [StoredMessage] {
        try await rows(
            "SELECT * FROM messages WHERE queue = ? ORDER BY seq LIMIT ?", [.text(queue), .integer(limit)],
            operation: "peek at queue \(queue)"
        ).map(Self.message)
    }

    /// When the next message of `queue` that is not visible now becomes visible, if there is one.
    public func nextVisibleAt(queue: String, now: Int64) async throws(StoreError) -> Int64? {
        try await rows(
            "SELECT min(visible_at) AS next FROM messages WHERE queue = ? AND visible_at > ?",
            [.text(queue), .integer(Int(now))], operation: "read the next visibility of queue \(queue)"
        ).first?.optionalInt64("next")
    }

    static func queue(_ row: SQLiteRow) -> StoredQueue {
        StoredQueue(
            name: row.text("name"), attributes: row.text("attributes"), createdAt: row.int64("created_at"),
            modifiedAt: row.int64("modified_at"))
    }
}
