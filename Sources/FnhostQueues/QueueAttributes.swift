/// The settable attributes of a queue, with SQS's defaults and ranges; `CreateQueue` and `SetQueueAttributes` apply
/// the `[String: String]` map the API carries, refusing unknown names and out-of-range values as SQS does.
public struct QueueAttributes: Sendable, Equatable {
    /// Seconds a new message stays invisible, 0–900.
    public var delaySeconds = 0
    /// Bytes, 1,024–1,048,576 (1 MiB, AWS's current default).
    public var maximumMessageSize = 1_048_576
    /// Seconds a message is kept, 60–1,209,600 (4 days by default).
    public var messageRetentionPeriod = 345_600
    /// Seconds a receive waits for a message when the request gives none, 0–20.
    public var receiveMessageWaitTimeSeconds = 0
    /// Seconds a received message stays hidden, 0–43,200.
    public var visibilityTimeout = 30
    public var redrivePolicy: RedrivePolicy?
    /// Set once, by the name (`.fifo`) and `FifoQueue`; never by SetQueueAttributes.
    public private(set) var fifoQueue = false
    /// FIFO only: the deduplication id is the body's SHA-256 when the sender gives none.
    public var contentBasedDeduplication = false

    public init(fifo: Bool = false) {
        fifoQueue = fifo
    }

    /// The attributes `CreateQueue` makes for `name` from `attributes` (the defaults for what they leave out).
    public static func forNewQueue(name: String, attributes: [String: String]) throws(SQSError) -> QueueAttributes {
        let fifo = try QueueName.validate(name)
        if let value = attributes["FifoQueue"] {
            guard value == "true" || value == "false" else {
                throw .invalidAttributeValue("Invalid value for the parameter FifoQueue.")
            }
            if (value == "true") != fifo {
                throw .invalidParameterValue(
                    fifo
                        ? "The queue name ends in .fifo, so FifoQueue must be true."
                        : "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length."
                )
            }
        }
        var queue = QueueAttributes(fifo: fifo)
        try queue.apply(attributes.filter { $0.key != "FifoQueue" }, creating: true)
        return queue
    }

    /// Applies `SetQueueAttributes` (or `CreateQueue`'s) map: all of it, or nothing when any entry is refused.
    public mutating func apply(_ attributes: [String: String], creating: Bool = false) throws(SQSError) {
        var next = self
        for (name, value) in attributes.sorted(by: { $0.key < $1.key }) {
            switch name {
            case "DelaySeconds": next.delaySeconds = try Self.integer(name, value, 0...900)
            case "MaximumMessageSize": next.maximumMessageSize = try Self.integer(name, value, 1024...1_048_576)
            case "MessageRetentionPeriod": next.messageRetentionPeriod = try Self.integer(name, value, 60...1_209_600)
            case "ReceiveMessageWaitTimeSeconds":
                next.receiveMessageWaitTimeSeconds = try Self.integer(name, value, 0...20)
            case "VisibilityTimeout": next.visibilityTimeout = try Self.integer(name, value, 0...43_200)
            case "RedrivePolicy": next.redrivePolicy = value.isEmpty ? nil : try RedrivePolicy(attribute: value)
            case "ContentBasedDeduplication":
                guard fifoQueue else { throw .invalidAttributeName(name) }
                guard value == "true" || value == "false" else {
                    throw .invalidAttributeValue("Invalid value for the parameter ContentBasedDeduplication.")
                }
                next.contentBasedDeduplication = value == "true"
            case "FifoQueue" where !creating:
                throw .invalidAttributeName(name)
            case "Policy", "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds", "SqsManagedSseEnabled",
                "RedriveAllowPolicy", "DeduplicationScope", "FifoThroughputLimit":
                // Accepted and kept by AWS; fnhost has no IAM, encryption or throughput tiers, so they change nothing.
                continue
            default:
                throw .invalidAttributeName(name)
            }
        }
        self = next
    }

    /// The settable attributes as GetQueueAttributes names them.
    public var map: [String: String] {
        var out = [
            "DelaySeconds": String(delaySeconds),
            "MaximumMessageSize": String(maximumMessageSize),
            "MessageRetentionPeriod": String(messageRetentionPeriod),
            "ReceiveMessageWaitTimeSeconds": String(receiveMessageWaitTimeSeconds),
            "VisibilityTimeout": String(visibilityTimeout),
        ]
        if let redrivePolicy { out["RedrivePolicy"] = redrivePolicy.attribute }
        if fifoQueue {
            out["FifoQueue"] = "true"
            out["ContentBasedDeduplication"] = contentBasedDeduplication ? "true" : "false"
        }
        return out
    }

    private static func integer(_ name: String, _ value: String, _ range: ClosedRange<Int>) throws(SQSError) -> Int {
        guard let n = Int(value), range.contains(n) else {
            throw .invalidAttributeValue("Invalid value for the parameter \(name).")
        }
        return n
    }
}
