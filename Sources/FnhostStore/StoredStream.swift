/// A Kinesis-compatible stream as the store keeps it: its shard count, retention period and creation time (Unix
/// epoch ms; it also tells a stream from an earlier stream of the same name).
public struct StoredStream: Sendable, Equatable {
    public var name: String
    public var shardCount: Int
    public var retentionHours: Int
    public var createdAt: Int64

    public init(name: String, shardCount: Int, retentionHours: Int, createdAt: Int64) {
        self.name = name
        self.shardCount = shardCount
        self.retentionHours = retentionHours
        self.createdAt = createdAt
    }
}

/// One stream record as the store keeps it: `position` orders the records of a shard and is never given twice.
public struct StoredStreamRecord: Sendable, Equatable {
    public var position: Int64
    public var shard: Int
    public var partitionKey: String
    public var data: [UInt8]
    /// Unix epoch ms.
    public var arrivedAt: Int64

    public init(position: Int64 = 0, shard: Int, partitionKey: String, data: [UInt8], arrivedAt: Int64) {
        self.position = position
        self.shard = shard
        self.partitionKey = partitionKey
        self.data = data
        self.arrivedAt = arrivedAt
    }
}
