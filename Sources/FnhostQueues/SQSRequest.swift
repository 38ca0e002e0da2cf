import FnhostWire

/// One SQS call in AWS JSON 1.0 (`X-Amz-Target: AmazonSQS.<Operation>`, a JSON object body), decoded and checked
/// before anything touches a queue: the operation is one fnhost serves, the body is a JSON object, and each
/// parameter is read through a typed accessor that refuses a wrong type or range with SQS's own error.
public struct SQSRequest: AWSJSONRequest, Sendable, Equatable {
    /// The operations fnhost serves.
    public enum Operation: String, CaseIterable, Sendable {
        case createQueue = "CreateQueue"
        case getQueueUrl = "GetQueueUrl"
        case listQueues = "ListQueues"
        case deleteQueue = "DeleteQueue"
        case purgeQueue = "PurgeQueue"
        case getQueueAttributes = "GetQueueAttributes"
        case setQueueAttributes = "SetQueueAttributes"
        case sendMessage = "SendMessage"
        case sendMessageBatch = "SendMessageBatch"
        case receiveMessage = "ReceiveMessage"
        case deleteMessage = "DeleteMessage"
        case deleteMessageBatch = "DeleteMessageBatch"
        case changeMessageVisibility = "ChangeMessageVisibility"
        case changeMessageVisibilityBatch = "ChangeMessageVisibilityBatch"
    }

    /// The `X-Amz-Target` prefix of SQS's JSON protocol.
    public static let targetPrefix = "AmazonSQS."
    /// The largest request body read: ten 1 MiB messages would be refused by the batch limit anyway, and JSON
    /// escaping can double a body.
    public static let maxBodyBytes = 3 * 1024 * 1024

    public var operation: Operation
    public var parameters: [String: JSONValue]

    public init(operation: Operation, parameters: [String: JSONValue]) {
        self.operation = operation
        self.parameters = parameters
    }

    /// Decodes the target header and the body; refuses an unknown operation or a body that is not a JSON object.
    public init(target: String, body: [UInt8]) throws(SQSError) {
        guard target.hasPrefix(Self.targetPrefix),
            let operation = Operation(rawValue: String(target.dropFirst(Self.targetPrefix.count)))
        else {
            throw SQSError(
                name: "UnknownOperationException", queryCode: "InvalidAction",
                message: "The action \(target.prefix(100)) is not valid for this endpoint.")
        }
        self.init(operation: operation, parameters: try Parameters(body: body).values)
    }

    // MARK: Typed parameters

    /// The parameters read as SQS words their errors.
    public typealias Parameters = AWSJSONParameters<ParameterErrors>

    /// SQS's words for a body or a parameter it cannot use: `SerializationException` for a wrong JSON type,
    /// `MissingParameter`, and `InvalidParameterValue` for an integer out of its range.
    public enum ParameterErrors: AWSParameterErrors {
        public static func serialization(_ message: String) -> SQSError { .serialization(message) }
        public static func missing(_ name: String) -> SQSError { .missingParameter(name) }
        public static func outOfRange(_ name: String, _ value: Int, _ range: ClosedRange<Int>) -> SQSError {
            .invalidParameterValue(
                "Value \(value) for parameter \(name) is invalid. Reason: Must be between \(range.lowerBound) and \(range.upperBound), if provided."
            )
        }
    }

    /// The typed reader over `parameters`.
    public var typed: Parameters { Parameters(parameters) }

    /// The entries of a batch (`Entries`), each a parameter set of its own, after SQS's checks on their ids.
    public func entries() throws(SQSError) -> [(id: String, entry: SQSRequest)] {
        var out: [(id: String, entry: SQSRequest)] = []
        for entry in try typed.requiredObjects("Entries") {
            out.append((try entry.requiredString("Id"), SQSRequest(operation: operation, parameters: entry.values)))
        }
        try SQSLimits.checkBatch(ids: out.map(\.id))
        return out
    }

    /// The message attributes of a send (`MessageAttributes`), checked.
    public func messageAttributes() throws(SQSError) -> [String: SQSMessageAttribute] {
        guard let object = try typed.object("MessageAttributes") else { return [:] }
        return try SQSMessageAttribute.decode(object)
    }

    /// The queue's name from the required `QueueUrl`.
    public func queueName() throws(SQSError) -> String {
        let url = try requiredString("QueueUrl")
        guard let name = QueueARN.name(fromURL: url) else { throw .queueDoesNotExist() }
        return name
    }

}

extension SQSError {
    /// A body that does not decode (not JSON, or a parameter of the wrong type), as AWS's JSON services answer it.
    public static func serialization(_ message: String) -> SQSError {
        SQSError(name: "SerializationException", queryCode: "MalformedInput", message: message)
    }
}
