import FnhostWire

/// An `AWS::SQS::Queue` of a template: the queue `fnhost serve` creates in its SQS at start, with the template's
/// attributes in SQS's own names and text form (as CreateQueue takes them).
public struct SAMQueue: Sendable, Equatable {
    public var logicalID: String
    /// `QueueName` when the template sets it, else the logical id (`.fifo` added for a FIFO queue without a name).
    public var name: String
    /// `VisibilityTimeout` → `"30"`, `FifoQueue` → `"true"`, `RedrivePolicy` → its JSON text, ….
    public var attributes: [String: String]

    public init(logicalID: String, name: String, attributes: [String: String]) {
        self.logicalID = logicalID
        self.name = name
        self.attributes = attributes
    }
}

/// Reads one `AWS::SQS::Queue`: its name (first, so that `Ref` and `Fn::GetAtt` to it resolve everywhere) and
/// then its properties. CloudFormation's queue properties have SQS's attribute names; the ones fnhost's SQS does not
/// keep (encryption, tags) are noted, never refused.
enum QueueReader {
    static let type = "AWS::SQS::Queue"
    /// Properties that are SQS attributes, passed on as text.
    static let attributeProperties: Set<String> = [
        "DelaySeconds", "MaximumMessageSize", "MessageRetentionPeriod", "ReceiveMessageWaitTimeSeconds",
        "VisibilityTimeout", "FifoQueue", "ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit",
        "RedrivePolicy", "RedriveAllowPolicy",
    ]
    /// Properties that matter on AWS and that fnhost's SQS does not reproduce.
    static let ignoredProperties: Set<String> = [
        "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds", "SqsManagedSseEnabled", "Tags",
    ]

    /// The queue's name, and what `Ref` (its URL) and `Fn::GetAtt` (`Arn`, `QueueName`, `QueueUrl`) give.
    static func name(
        id: String, body: [String: JSONValue], resolver: inout IntrinsicResolver, file: String
    ) throws(TemplateError) -> String {
        guard case .object(let properties)? = body["Properties"] ?? .object([:]) else {
            throw .invalid(file: file, resource: id, field: "Properties", reason: "expected a mapping")
        }
        var fifo = false
        if let value = properties["FifoQueue"],
            case .bool(true)? = try resolver.resolve(value, resource: id, field: "Properties.FifoQueue")
        {
            fifo = true
        }
        guard let given = properties["QueueName"] else { return fifo ? id + ".fifo" : id }
        guard case .string(let name)? = try resolver.resolve(given, resource: id, field: "Properties.QueueName") else {
            throw .invalid(file: file, resource: id, field: "Properties.QueueName", reason: "must be a string")
        }
        return name
    }

    static func register(id: String, name: String, region: String, resolver: inout IntrinsicResolver) {
        let url = "https://sqs.\(region).amazonaws.com/\(ARN.accountID)/\(name)"
        resolver.references[id] = .string(url)
        resolver.attributes[id] = [
            "Arn": .string("arn:aws:sqs:\(region):\(ARN.accountID):\(name)"), "QueueName": .string(name),
            "QueueUrl": .string(url),
        ]
    }

    /// The queue, its properties resolved; unknown properties are noted once each in `ignored`.
    static func read(
        id: String, name: String, body: [String: JSONValue], resolver: inout IntrinsicResolver,
        ignored: inout Set<String>, file: String
    ) throws(TemplateError) -> SAMQueue {
        guard case .object(let properties)? = body["Properties"] ?? .object([:]) else {
            throw .invalid(file: file, resource: id, field: "Properties", reason: "expected a mapping")
        }
        var attributes: [String: String] = [:]
        for key in properties.keys.sorted() where key != "QueueName" {
            guard attributeProperties.contains(key) else {
                ignored.insert("\(type).\(key)")
                continue
            }
            let field = "Properties.\(key)"
            // `!Ref AWS::NoValue` leaves the property out.
            guard let value = try resolver.resolve(properties[key]!, resource: id, field: field) else { continue }
            switch value {
            case .string(let s): attributes[key] = s
            case .bool(let b): attributes[key] = b ? "true" : "false"
            case .number(let n) where n == n.rounded() && abs(n) < 1e15: attributes[key] = String(Int64(n))
            case .object(let policy) where key == "RedrivePolicy" || key == "RedriveAllowPolicy":
                attributes[key] = String(decoding: JSONValue.object(policy).serialized, as: UTF8.self)
            default:
                throw .invalid(
                    file: file, resource: id, field: field,
                    reason: "expected a string, a whole number or a boolean, found \(value.kind)")
            }
        }
        return SAMQueue(logicalID: id, name: name, attributes: attributes)
    }
}
