import FnhostWire

/// A message as `ReceiveMessage` answers it: id, receipt handle, body and its MD5, the system attributes the caller
/// asked for (`ApproximateReceiveCount`, `SentTimestamp`, …) and the message attributes whose names it asked for
/// (`All`, `.*`, a name, or a `prefix.*`).
public struct SQSReceivedMessage: Sendable, Equatable {
    /// The system attributes SQS knows (anything else in a request is refused).
    public static let systemAttributeNames: Set<String> = [
        "All", "ApproximateReceiveCount", "ApproximateFirstReceiveTimestamp", "SentTimestamp", "SenderId",
        "MessageGroupId", "MessageDeduplicationId", "SequenceNumber", "AWSTraceHeader",
        "DeadLetterQueueSourceArn",
    ]

    public var messageID: String
    public var receipt: String
    public var body: String
    public var attributes: [String: SQSMessageAttribute]
    /// Unix epoch milliseconds.
    public var sentAt: Int64
    public var firstReceivedAt: Int64
    public var receiveCount: Int
    public var groupID: String?
    public var deduplicationID: String?
    public var sequence: Int64?

    public init(
        messageID: String, receipt: String, body: String, attributes: [String: SQSMessageAttribute], sentAt: Int64,
        firstReceivedAt: Int64, receiveCount: Int, groupID: String? = nil, deduplicationID: String? = nil,
        sequence: Int64? = nil
    ) {
        self.messageID = messageID
        self.receipt = receipt
        self.body = body
        self.attributes = attributes
        self.sentAt = sentAt
        self.firstReceivedAt = firstReceivedAt
        self.receiveCount = receiveCount
        self.groupID = groupID
        self.deduplicationID = deduplicationID
        self.sequence = sequence
    }

    /// A FIFO message's `SequenceNumber`: the store's order of sending, as the 20-digit decimal SQS gives.
    public static func sequenceNumber(_ sequence: Int64) -> String {
        let digits = String(sequence)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits
    }

    /// The message's entry in the `Messages` list of the answer.
    public func json(systemAttributes: Set<String>, messageAttributeNames: [String]) -> JSONValue {
        var out: [String: JSONValue] = [
            "MessageId": .string(messageID), "ReceiptHandle": .string(receipt), "Body": .string(body),
            "MD5OfBody": .string(Digest.hex(.md5, Array(body.utf8))),
        ]
        let all = systemAttributes.contains("All")
        var system: [String: String] = [:]
        func add(_ name: String, _ value: String?) {
            if let value, all || systemAttributes.contains(name) { system[name] = value }
        }
        add("ApproximateReceiveCount", String(receiveCount))
        add("SentTimestamp", String(sentAt))
        add("ApproximateFirstReceiveTimestamp", String(firstReceivedAt))
        add("SenderId", "000000000000")
        add("MessageGroupId", groupID)
        add("MessageDeduplicationId", deduplicationID)
        add("SequenceNumber", sequence.map(Self.sequenceNumber))
        if !system.isEmpty { out["Attributes"] = .object(system.mapValues(JSONValue.string)) }
        let chosen = attributes.filter { Self.matches($0.key, messageAttributeNames) }
        if !chosen.isEmpty {
            out["MessageAttributes"] = .object(chosen.mapValues(\.json))
            out["MD5OfMessageAttributes"] = .string(SQSMessageAttribute.md5(chosen))
        }
        return .object(out)
    }

    static func matches(_ name: String, _ patterns: [String]) -> Bool {
        patterns.contains { pattern in
            if pattern == "All" || pattern == ".*" { return true }
            if pattern.hasSuffix(".*") { return name.hasPrefix(String(pattern.dropLast(1))) }
            return pattern == name
        }
    }
}
