/// What an event source mapping reads from, as its ARN says: an SQS queue (`arn:aws:sqs:…`), a Kinesis stream
/// (`arn:aws:kinesis:…:stream/NAME`) or a DynamoDB stream. The kind picks the defaults, the fields that apply and the
/// runner that polls it.
public enum EventSourceKind: String, Sendable, Equatable, Hashable, CaseIterable {
    case sqs
    case kinesis
    case dynamodb

    /// The kind an ARN names; nil when it names no source fnhost maps.
    public init?(arn: String) {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 6, parts[0] == "arn", parts[1].hasPrefix("aws") else { return nil }
        switch parts[2] {
        case "sqs": self = .sqs
        case "kinesis" where parts[5].hasPrefix("stream/"): self = .kinesis
        case "dynamodb" where parts[5].contains("/stream/"): self = .dynamodb
        default: return nil
        }
    }

    /// Whether the source is an ordered stream of shards (checkpoints, starting positions, retries per batch).
    public var isStream: Bool { self != .sqs }

    /// The `eventSource` value of the records Lambda hands the function.
    public var eventSource: String { "aws:\(rawValue)" }

    /// The source's name from its ARN: the queue name, or the stream name after `stream/`.
    public static func sourceName(arn: String) -> String {
        let last = arn.split(separator: ":", omittingEmptySubsequences: false).dropFirst(5).joined(separator: ":")
        // `stream/NAME` (Kinesis) or `table/T/stream/LABEL` (DynamoDB): the segment after `stream`.
        let segments = last.split(separator: "/", omittingEmptySubsequences: false)
        if let i = segments.firstIndex(of: "stream"), i + 1 < segments.count {
            return String(segments[i + 1])
        }
        return last
    }
}
