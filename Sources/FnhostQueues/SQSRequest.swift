import FnhostWire

/// One SQS call in AWS JSON 1.0 (`X-Amz-Target: AmazonSQS.<Operation>`, a JSON object body), decoded and checked
/// before anything touches a queue: the operation is one fnhost serves, the body is a JSON object, and each
/// parameter is read through a typed accessor that refuses a wrong type or range with SQS's own error.
public struct SQSRequest: Sendable, Equatable {
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
        let parameters: [String: JSONValue]
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            parameters = [:]
        } else {
            let value: JSONValue
            do { value = try JSONValue.parse(body) } catch {
                throw SQSError.serialization("the request body is not valid JSON: \(error)")
            }
            guard case .object(let object) = value else {
                throw SQSError.serialization("the request body must be a JSON object, not \(value.kind)")
            }
            parameters = object
        }
        self.init(operation: operation, parameters: parameters)
    }

    // MARK: Typed parameters

    /// A string parameter, or nil when absent (or null).
    public func string(_ name: String) throws(SQSError) -> String? {
        switch parameters[name] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        case let other?: throw Self.wrongType(name, other, "a string")
        }
    }

    /// A string parameter the operation cannot do without.
    public func requiredString(_ name: String) throws(SQSError) -> String {
        guard let value = try string(name) else { throw .missingParameter(name) }
        return value
    }

    /// An integer parameter in `range`, or nil when absent.
    public func integer(_ name: String, in range: ClosedRange<Int>) throws(SQSError) -> Int? {
        switch parameters[name] {
        case nil, .null?: return nil
        case .number(let n)?:
            guard n == n.rounded(), let value = Int(exactly: n) else {
                throw Self.wrongType(name, .number(n), "an integer")
            }
            try SQSLimits.check(name, value, range)
            return value
        case let other?: throw Self.wrongType(name, other, "an integer")
        }
    }

    /// A list of strings, empty when absent.
    public func strings(_ name: String) throws(SQSError) -> [String] {
        switch parameters[name] {
        case nil, .null?: return []
        case .array(let items)?:
            var out: [String] = []
            for item in items {
                guard case .string(let s) = item else { throw Self.wrongType(name, item, "a list of strings") }
                out.append(s)
            }
            return out
        case let other?: throw Self.wrongType(name, other, "a list of strings")
        }
    }

    /// A map of strings to strings (`Attributes`, `tags`), empty when absent.
    public func stringMap(_ name: String) throws(SQSError) -> [String: String] {
        switch parameters[name] {
        case nil, .null?: return [:]
        case .object(let object)?:
            var out: [String: String] = [:]
            for (key, value) in object {
                guard case .string(let s) = value else { throw Self.wrongType("\(name).\(key)", value, "a string") }
                out[key] = s
            }
            return out
        case let other?: throw Self.wrongType(name, other, "a map of strings")
        }
    }

    /// The entries of a batch (`Entries`), each a parameter set of its own, after SQS's checks on their ids.
    public func entries() throws(SQSError) -> [(id: String, entry: SQSRequest)] {
        let list: [JSONValue]
        switch parameters["Entries"] {
        case nil, .null?: throw .missingParameter("Entries")
        case .array(let items)?: list = items
        case let other?: throw Self.wrongType("Entries", other, "a list")
        }
        var out: [(id: String, entry: SQSRequest)] = []
        for item in list {
            guard case .object(let object) = item else { throw Self.wrongType("Entries", item, "a list of objects") }
            let entry = SQSRequest(operation: operation, parameters: object)
            out.append((try entry.requiredString("Id"), entry))
        }
        try SQSLimits.checkBatch(ids: out.map(\.id))
        return out
    }

    /// The message attributes of a send (`MessageAttributes`), checked.
    public func messageAttributes() throws(SQSError) -> [String: SQSMessageAttribute] {
        switch parameters["MessageAttributes"] {
        case nil, .null?: return [:]
        case .object(let object)?: return try SQSMessageAttribute.decode(object)
        case let other?: throw Self.wrongType("MessageAttributes", other, "a map")
        }
    }

    /// The queue's name from the required `QueueUrl`.
    public func queueName() throws(SQSError) -> String {
        let url = try requiredString("QueueUrl")
        guard let name = QueueARN.name(fromURL: url) else { throw .queueDoesNotExist() }
        return name
    }

    static func wrongType(_ name: String, _ value: JSONValue, _ expected: String) -> SQSError {
        .serialization("\(name) must be \(expected), not \(value.kind)")
    }
}

extension SQSError {
    /// A body that does not decode (not JSON, or a parameter of the wrong type), as AWS's JSON services answer it.
    public static func serialization(_ message: String) -> SQSError {
        SQSError(name: "SerializationException", queryCode: "MalformedInput", message: message)
    }
}
