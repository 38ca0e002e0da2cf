import FnhostWire

/// The 128-bit hash keys a shard owns, as Kinesis assigns them to a new stream: `0…2^128-1` split evenly, shard `i`
/// starting at `floor(i × 2^128 / N)`. A record goes to the shard whose range holds the MD5 of its partition key
/// read as a big-endian 128-bit integer (or its `ExplicitHashKey`).
public struct HashKeyRange: Sendable, Equatable {
    public var starting: UInt128
    public var ending: UInt128

    public init(starting: UInt128, ending: UInt128) {
        self.starting = starting
        self.ending = ending
    }

    /// The ranges of a new stream of `shardCount` shards, in shard order.
    public static func split(shardCount: Int) -> [HashKeyRange] {
        precondition(shardCount >= 1)
        if shardCount == 1 { return [HashKeyRange(starting: 0, ending: .max)] }
        let n = UInt128(shardCount)
        // 2^128 = q × n + r, without overflowing: UInt128.max = 2^128 - 1 (q + 1 fits, as n ≥ 2).
        var q = UInt128.max / n
        var r = UInt128.max % n + 1
        if r == n {
            q += 1
            r = 0
        }
        func start(_ i: UInt128) -> UInt128 { i * q + (i * r) / n }
        return (0..<shardCount).map { i in
            let from = start(UInt128(i))
            let to = i == shardCount - 1 ? UInt128.max : start(UInt128(i + 1)) - 1
            return HashKeyRange(starting: from, ending: to)
        }
    }

    /// The MD5 of the partition key's UTF-8 bytes as a big-endian 128-bit integer.
    public static func hashKey(partitionKey: String) -> UInt128 {
        Digest.md5(Array(partitionKey.utf8)).reduce(UInt128(0)) { $0 << 8 | UInt128($1) }
    }

    /// The index of the range (of `ranges`, which cover the key space) that holds `key`.
    public static func shard(for key: UInt128, in ranges: [HashKeyRange]) -> Int {
        ranges.firstIndex { $0.starting <= key && key <= $0.ending } ?? ranges.count - 1
    }

    public func contains(_ key: UInt128) -> Bool { starting <= key && key <= ending }
}
