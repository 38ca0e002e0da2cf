import FnhostWire

/// A queue's `RedrivePolicy`: after `maxReceiveCount` receives without a delete, the next receive moves the message
/// to the dead-letter queue instead of handing it out.
public struct RedrivePolicy: Sendable, Equatable {
    /// The dead-letter queue's ARN.
    public var deadLetterTargetArn: String
    /// 1–1,000.
    public var maxReceiveCount: Int

    public init(deadLetterTargetArn: String, maxReceiveCount: Int) {
        self.deadLetterTargetArn = deadLetterTargetArn
        self.maxReceiveCount = maxReceiveCount
    }

    /// Parses the attribute's value, a JSON string: `{"deadLetterTargetArn":"arn:…","maxReceiveCount":5}`
    /// (`maxReceiveCount` may be a number or a string of digits, as the console and the CLI write it).
    public init(attribute text: String) throws(SQSError) {
        guard case .object(let object) = try? JSONValue.parse(text) else {
            throw .invalidAttributeValue(
                "Value \(text.prefix(200)) for parameter RedrivePolicy is invalid. Reason: Redrive policy is not a valid JSON map."
            )
        }
        guard case .string(let arn) = object["deadLetterTargetArn"], QueueARN(arn) != nil else {
            throw .invalidAttributeValue(
                "Value \(text.prefix(200)) for parameter RedrivePolicy is invalid. Reason: Invalid value for deadLetterTargetArn."
            )
        }
        let count: Int?
        switch object["maxReceiveCount"] {
        case .number(let n) where n == n.rounded(): count = Int(exactly: n)
        case .string(let s): count = Int(s)
        default: count = nil
        }
        guard let count, (1...1000).contains(count) else {
            throw .invalidAttributeValue(
                "Value \(text.prefix(200)) for parameter RedrivePolicy is invalid. Reason: Invalid value for maxReceiveCount: must be an integer from 1 to 1000."
            )
        }
        for key in object.keys where key != "deadLetterTargetArn" && key != "maxReceiveCount" {
            throw .invalidAttributeValue(
                "Value \(text.prefix(200)) for parameter RedrivePolicy is invalid. Reason: Only deadLetterTargetArn and maxReceiveCount are allowed, not \(key)."
            )
        }
        self.init(deadLetterTargetArn: arn, maxReceiveCount: count)
    }

    /// The attribute's value as GetQueueAttributes gives it back.
    public var attribute: String {
        #"{"deadLetterTargetArn":\#(JSONText.quote(deadLetterTargetArn)),"maxReceiveCount":\#(maxReceiveCount)}"#
    }

    /// Whether a message received `receiveCount` times already goes to the dead-letter queue on its next receive.
    public func movesToDeadLetterQueue(receiveCount: Int) -> Bool {
        receiveCount >= maxReceiveCount
    }
}
