/// Stream names, ARNs and shard ids as Kinesis spells them: a name is 1–128 of `a-zA-Z0-9_.-`; an ARN is
/// `arn:aws:kinesis:REGION:ACCOUNT:stream/NAME`; a shard id is `shardId-` and twelve digits.
public enum KinesisNames {
    public static let account = "000000000000"
    public static let region = "us-east-1"

    /// Refuses a name Kinesis would refuse (ValidationException).
    public static func checkStreamName(_ name: String) throws(KinesisError) {
        guard (1...128).contains(name.utf8.count),
            name.utf8.allSatisfy({ byte in
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                    || byte == 0x5F || byte == 0x2E || byte == 0x2D
            })
        else {
            throw .validation(
                "1 validation error detected: Value '\(name.prefix(200))' at 'streamName' failed to satisfy constraint: "
                    + "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+ and have length 1 to 128")
        }
    }

    public static func arn(stream: String) -> String { "arn:aws:kinesis:\(region):\(account):stream/\(stream)" }

    /// The stream's name in a Kinesis stream ARN (any region and account), or nil.
    public static func stream(fromARN arn: String) -> String? {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[2] == "kinesis", parts[5].hasPrefix("stream/") else {
            return nil
        }
        let name = String(parts[5].dropFirst("stream/".count))
        return (try? checkStreamName(name)) != nil ? name : nil
    }

    /// `shardId-000000000003` for shard 3.
    public static func shardID(_ index: Int) -> String {
        let digits = String(index)
        return "shardId-" + String(repeating: "0", count: max(0, 12 - digits.count)) + digits
    }

    /// The index of `shardId-000000000003` (also `3`, as Kinesis accepts), or nil.
    public static func shardIndex(_ id: String) -> Int? {
        let digits = id.hasPrefix("shardId-") ? Substring(id.dropFirst(8)) : Substring(id)
        guard !digits.isEmpty, digits.count <= 12, digits.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
            return nil
        }
        return Int(digits)
    }
}
