/// One queue message as the store keeps it and a receive hands it out.
public struct StoredMessage: Sendable, Equatable {
    /// The store's order of sending (also the tie-break of equal timestamps).
    public var sequence: Int64
    public var queue: String
    public var messageID: String
    public var body: [UInt8]
    /// The message attributes as the sender gave them, in whatever encoding the queue layer chose.
    public var attributes: [UInt8]?
    public var groupID: String?
    public var deduplicationID: String?
    /// Unix epoch milliseconds.
    public var sentAt: Int64
    public var visibleAt: Int64
    public var receiveCount: Int
    public var firstReceivedAt: Int64?
    /// The handle of the latest receive (nil before the first): a delete or visibility change must name it.
    public var receipt: String?

    public init(
        sequence: Int64 = 0, queue: String, messageID: String, body: [UInt8], attributes: [UInt8]? = nil,
        groupID: String? = nil, deduplicationID: String? = nil, sentAt: Int64, visibleAt: Int64,
        receiveCount: Int = 0, firstReceivedAt: Int64? = nil, receipt: String? = nil
    ) {
        self.sequence = sequence
        self.queue = queue
        self.messageID = messageID
        self.body = body
        self.attributes = attributes
        self.groupID = groupID
        self.deduplicationID = deduplicationID
        self.sentAt = sentAt
        self.visibleAt = visibleAt
        self.receiveCount = receiveCount
        self.firstReceivedAt = firstReceivedAt
        self.receipt = receipt
    }
}
