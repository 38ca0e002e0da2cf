import FnhostWire
import Foundation

/// A shard iterator: where the next `GetRecords` of one shard starts. Opaque to clients (base64 of fnhost's own
/// fields and a checksum), it names the stream (and which incarnation of that name, by its creation time), the
/// shard, the store position after which reading resumes, and when it was issued: Kinesis lets an iterator live
/// five minutes, then answers `ExpiredIteratorException`; a token fnhost did not issue is `InvalidArgumentException`.
public struct ShardIterator: Sendable, Equatable {
    /// How long an iterator may be used after it was issued (Kinesis: 5 minutes).
    public static let lifetimeMs: Int64 = 300_000

    /// The `ShardIteratorType`s of `GetShardIterator`.
    public enum Kind: String, Sendable, CaseIterable {
        case atSequenceNumber = "AT_SEQUENCE_NUMBER"
        case afterSequenceNumber = "AFTER_SEQUENCE_NUMBER"
        case trimHorizon = "TRIM_HORIZON"
        case latest = "LATEST"
        case atTimestamp = "AT_TIMESTAMP"
    }

    public var stream: String
    /// The stream's creation time (ms): an iterator of a deleted stream does not read a new stream of that name.
    public var streamCreatedAt: Int64
    public var shard: Int
    /// Reading resumes with the first record whose position is greater than this.
    public var afterPosition: Int64
    /// When the iterator was issued (Unix epoch ms).
    public var issuedAt: Int64

    public init(stream: String, streamCreatedAt: Int64, shard: Int, afterPosition: Int64, issuedAt: Int64) {
        self.stream = stream
        self.streamCreatedAt = streamCreatedAt
        self.shard = shard
        self.afterPosition = afterPosition
        self.issuedAt = issuedAt
    }

    static let version = "fnhost1"

    /// The token handed to the client.
    public var token: String {
        let fields = "\(Self.version)|\(stream)|\(streamCreatedAt)|\(shard)|\(afterPosition)|\(issuedAt)"
        return Data((fields + "|" + Self.checksum(fields)).utf8).base64EncodedString()
    }

    /// Reads a token; refuses one fnhost did not issue (or that was altered) with Kinesis' error.
    public init(token: String) throws(KinesisError) {
        guard (1...512).contains(token.utf8.count) else {
            throw .validation(
                "1 validation error detected: Value at 'shardIterator' failed to satisfy constraint: "
                    + "Member must have length less than or equal to 512")
        }
        let invalid = KinesisError.invalidArgument("Invalid ShardIterator: \(token.prefix(100))")
        guard let data = Data(base64Encoded: token), let text = String(data: data, encoding: .utf8) else {
            throw invalid
        }
        let parts = text.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 7, parts[0] == Self.version,
            parts[6] == Self.checksum(parts[0..<6].joined(separator: "|")),
            let created = Int64(parts[2]), let shard = Int(parts[3]), shard >= 0,
            let after = Int64(parts[4]), let issued = Int64(parts[5]),
            (try? KinesisNames.checkStreamName(parts[1])) != nil
        else { throw invalid }
        self.init(stream: parts[1], streamCreatedAt: created, shard: shard, afterPosition: after, issuedAt: issued)
    }

    /// Refuses the iterator once its five minutes are over.
    public func checkNotExpired(now: Int64) throws(KinesisError) {
        if now - issuedAt > Self.lifetimeMs { throw .expiredIterator(createdAt: issuedAt, now: now) }
    }

    static func checksum(_ fields: String) -> String {
        String(Digest.hex(.md5, Array(("fnhost-shard-iterator|" + fields).utf8)).prefix(16))
    }
}
