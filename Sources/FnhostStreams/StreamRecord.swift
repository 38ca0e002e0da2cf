/// One record of a shard as the consumer sees it: where the store keeps it (its position, which orders a shard's
/// records and makes its sequence number), its partition key, its data and when it arrived (Unix epoch ms).
public struct StreamRecord: Sendable, Equatable {
    public var position: Int64
    public var partitionKey: String
    public var data: [UInt8]
    public var arrivedAt: Int64

    public init(position: Int64, partitionKey: String, data: [UInt8], arrivedAt: Int64) {
        self.position = position
        self.partitionKey = partitionKey
        self.data = data
        self.arrivedAt = arrivedAt
    }
}
