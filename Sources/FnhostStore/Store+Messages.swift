import SQLiteNIO

/// Queue messages: sending is one INSERT, receiving one UPDATE … RETURNING (the messages it takes become invisible
/// and get a new receipt handle in the same statement), deleting one DELETE. Times are Unix epoch milliseconds the
/// caller passes in, so the queue layer owns the clock (and the time scale).
extension Store {
    /// Message counts of one queue at `now`, as SQS's approximate attributes report them.
    public struct MessageCounts: Sendable, Equatable {
        /// Received and not yet visible again.
        public var inFlight: Int
        /// Sent with a delay that has not passed (never received).
        public var delayed: Int
        /// Ready to be received.
        public var visible: Int
        /// When the oldest message still in the queue was sent, if there is one.
        public var oldestSentAt: Int64?

        public init(inFlight: Int, delayed: Int, visible: Int, oldestSentAt: Int64?) {
            self.inFlight = inFlight
            self.delayed = delayed
            self.visible = visible
            self.oldestSentAt = oldestSentAt
        }
    }

    /// Stores a message (its `sequence` and `receipt` are ignored); returns its sequence number.
    @discardableResult
    public func sendMessage(_ m: StoredMessage) async throws(StoreError) -> Int64 {
        let rows = try await rows(
            """
            INSERT INTO messages
                (queue, message_id, body, attributes, group_id, deduplication_id, sent_at, visible_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq
            """,
            [
                .text(m.queue), .text(m.messageID), .bytes(m.body), m.attributes.map(SQLiteData.bytes) ?? .null,
                .optionalText(m.groupID), .optionalText(m.deduplicationID), .integer(Int(m.sentAt)),
                .integer(Int(m.visibleAt)),
            ], operation: "store a message for queue \(m.queue)")
        return rows.first?.int64("seq") ?? 0
    }

    /// Takes up to `limit` visible messages of `queue`, oldest first: each is hidden until `now + visibilityMs`,
    /// its receive count grows by one and it gets a new receipt handle.
    public func receiveMessages(
        queue: String, limit: Int, visibilityMs: Int64, now: Int64
    ) async throws(StoreError) -> [StoredMessage] {
        try await rows(
            """
            UPDATE messages
            SET visible_at = ?1 + ?2, receive_count = receive_count + 1,
                first_received_at = coalesce(first_received_at, ?1),
                receipt = seq || '-' || lower(hex(randomblob(16)))
            WHERE seq IN (
                SELECT seq FROM messages WHERE queue = ?3 AND visible_at <= ?1 ORDER BY visible_at, seq LIMIT ?4)
            RETURNING *
            """, [.integer(Int(now)), .integer(Int(visibilityMs)), .text(queue), .integer(limit)],
            operation: "receive messages from queue \(queue)"
        ).map(Self.message).sorted { $0.sequence < $1.sequence }
    }

    /// Deletes the message the receipt handle names; false if no message of `queue` has that handle (any more).
    @discardableResult
    public func deleteMessage(queue: String, receipt: String) async throws(StoreError) -> Bool {
        try await !rows(
            "DELETE FROM messages WHERE receipt = ? AND queue = ? RETURNING seq", [.text(receipt), .text(queue)],
            operation: "delete a message from queue \(queue)"
        ).isEmpty
    }

    /// Deletes the messages the receipt handles name, in one statement (one commit: DeleteMessageBatch, and a
    /// poller's delete of a processed batch); returns the handles that named a message of `queue`.
    public func deleteMessages(queue: String, receipts: [String]) async throws(StoreError) -> Set<String> {
        guard !receipts.isEmpty else { return [] }
        let marks = Array(repeating: "?", count: receipts.count).joined(separator: ", ")
        return Set(
            try await rows(
                "DELETE FROM messages WHERE queue = ? AND receipt IN (\(marks)) RETURNING receipt",
                [.text(queue)] + receipts.map { .text($0) }, operation: "delete messages from queue \(queue)"
            ).map { $0.text("receipt") })
    }

    /// Makes the message the receipt handle names visible at `visibleAt`; false if there is no such message.
    @discardableResult
    public func changeVisibility(queue: String, receipt: String, visibleAt: Int64) async throws(StoreError) -> Bool {
        try await !rows(
            "UPDATE messages SET visible_at = ? WHERE receipt = ? AND queue = ? RETURNING seq",
            [.integer(Int(visibleAt)), .text(receipt), .text(queue)],
            operation: "change a message's visibility in queue \(queue)"
        ).isEmpty
    }

    /// Deletes every message of `queue`; returns how many there were.
    @discardableResult
    public func purgeMessages(queue: String) async throws(StoreError) -> Int {
        try await rows(
            "DELETE FROM messages WHERE queue = ? RETURNING seq", [.text(queue)], operation: "purge queue \(queue)"
        ).count
    }

    /// The queue's message counts at `now`.
    public func messageCounts(queue: String, now: Int64) async throws(StoreError) -> MessageCounts {
        let row = try await rows(
            """
            SELECT
                sum(visible_at > ?1 AND receive_count > 0) AS in_flight,
                sum(visible_at > ?1 AND receive_count = 0) AS delayed,
                sum(visible_at <= ?1) AS visible,
                min(sent_at) AS oldest
            FROM messages WHERE queue = ?2
            """, [.integer(Int(now)), .text(queue)], operation: "count the messages of queue \(queue)"
        ).first
        return MessageCounts(
            inFlight: Int(row?.int64("in_flight") ?? 0), delayed: Int(row?.int64("delayed") ?? 0),
            visible: Int(row?.int64("visible") ?? 0), oldestSentAt: row?.optionalInt64("oldest"))
    }

    static func message(_ row: SQLiteRow) -> StoredMessage {
        StoredMessage(
            sequence: row.int64("seq"), queue: row.text("queue"), messageID: row.text("message_id"),
            body: row.bytes("body"),
            attributes: row.column("attributes").flatMap { $0.isNull ? nil : $0.bytes },
            groupID: row.optionalText("group_id"), deduplicationID: row.optionalText("deduplication_id"),
            sentAt: row.int64("sent_at"), visibleAt: row.int64("visible_at"),
            receiveCount: Int(row.int64("receive_count")), firstReceivedAt: row.optionalInt64("first_received_at"),
            receipt: row.optionalText("receipt"))
    }
}
