/// One SQS queue as the store keeps it.
public struct StoredQueue: Sendable, Equatable {
    public var name: String
    /// The queue's attributes, encoded by the queue layer (a JSON map of SQS's attribute names).
    public var attributes: String
    /// Unix epoch milliseconds.
    public var createdAt: Int64
    public var modifiedAt: Int64

    public init(name: String, attributes: String, createdAt: Int64, modifiedAt: Int64) {
        self.name = name
        self.attributes = attributes
        self.createdAt = createdAt
        self.modifiedAt = modifiedAt
    }
}
