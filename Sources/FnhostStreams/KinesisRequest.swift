import FnhostWire
import Foundation

/// One Kinesis call in AWS JSON 1.1 (`X-Amz-Target: Kinesis_20131202.<Operation>`, a JSON object body), decoded
/// and checked before anything touches a stream: the operation is one fnhost serves, the body is a JSON object, and
/// each parameter is read through a typed accessor that refuses a wrong type or range with Kinesis' own error.
public struct KinesisRequest: AWSJSONRequest, Sendable, Equatable {
    /// The operations fnhost serves.
    public enum Operation: String, CaseIterable, Sendable {
        case createStream = "CreateStream"
        case deleteStream = "DeleteStream"
        case describeStream = "DescribeStream"
        case describeStreamSummary = "DescribeStreamSummary"
        case listStreams = "ListStreams"
        case listShards = "ListShards"
        case putRecord = "PutRecord"
        case putRecords = "PutRecords"
        case getShardIterator = "GetShardIterator"
        case getRecords = "GetRecords"
    }

    /// The `X-Amz-Target` prefix of Kinesis' JSON protocol.
    public static let targetPrefix = "Kinesis_20131202."
    /// The largest request body read: a full `PutRecords` (5 MiB of data) in base64 with its JSON around it.
    public static let maxBodyBytes = 8 * 1_048_576

    public var operation: Operation
    public var parameters: [String: JSONValue]

    public init(operation: Operation, parameters: [String: JSONValue]) {
        self.operation = operation
        self.parameters = parameters
    }

    /// Decodes the target header and the body; refuses an unknown operation or a body that is not a JSON object.
    public init(target: String, body: [UInt8]) throws(KinesisError) {
        guard target.hasPrefix(Self.targetPrefix),
            let operation = Operation(rawValue: String(target.dropFirst(Self.targetPrefix.count)))
        else { throw .unknownOperation(target) }
        self.init(operation: operation, parameters: try Parameters(body: body).values)
    }

    // MARK: Typed parameters

    /// The parameters read as Kinesis words its errors.
    public typealias Parameters = AWSJSONParameters<ParameterErrors>

    /// Kinesis' words for a body or a parameter it cannot use: `SerializationException` for a wrong JSON type, a
    /// `ValidationException` for a missing member or an integer out of its range.
    public enum ParameterErrors: AWSParameterErrors {
        public static func serialization(_ message: String) -> KinesisError { .serialization(message) }
        public static func missing(_ name: String) -> KinesisError {
            .validation(
                "1 validation error detected: Value null at '\(member(name))' failed to satisfy constraint: Member must not be null"
            )
        }
        public static func outOfRange(_ name: String, _ value: Int, _ range: ClosedRange<Int>) -> KinesisError {
            .validation(
                "1 validation error detected: Value '\(value)' at '\(member(name))' failed to satisfy constraint: "
                    + valueConstraint(value, range))
        }
        /// A parameter's name as Kinesis' validation messages spell it (`ShardCount` → `shardCount`).
        static func member(_ name: String) -> String { name.prefix(1).lowercased() + name.dropFirst() }
    }

    /// The typed reader over `parameters`.
    public var typed: Parameters { Parameters(parameters) }

    /// A timestamp (`Timestamp`): epoch seconds as a number, as botocore sends them in JSON 1.1; in milliseconds.
    public func timestampMs(_ name: String) throws(KinesisError) -> Int64? {
        switch typed[name] {
        case nil: return nil
        case .number(let n)?:
            guard n.isFinite, abs(n) < 1e12 else {
                throw ParameterErrors.wrongType(name, .number(n), expected: "a timestamp")
            }
            return Int64((n * 1000).rounded(.down))
        case .string(let s)?:
            if let n = Double(s), n.isFinite, abs(n) < 1e12 { return Int64((n * 1000).rounded(.down)) }
            if let date = ISO8601DateFormatter().date(from: s) {
                return Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
            }
            throw ParameterErrors.wrongType(name, .string(s), expected: "a timestamp")
        case let other?: throw ParameterErrors.wrongType(name, other, expected: "a timestamp")
        }
    }

    /// A blob (`Data`): base64 in the JSON body, as botocore encodes it.
    public func blob(_ name: String) throws(KinesisError) -> [UInt8] {
        let text = try requiredString(name)
        guard let data = Data(base64Encoded: text) else {
            throw .serialization("\(name) must be base64-encoded data")
        }
        return Array(data)
    }

    /// The stream a call names, by `StreamName` or `StreamARN` (one of them is required).
    public func streamName() throws(KinesisError) -> String {
        if let arn = try string("StreamARN") {
            guard let name = KinesisNames.stream(fromARN: arn) else {
                throw .validation(
                    "1 validation error detected: Value '\(arn.prefix(200))' at 'streamARN' failed to satisfy "
                        + "constraint: Member must satisfy regular expression pattern: arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+"
                )
            }
            return name
        }
        guard let name = try string("StreamName") else {
            throw .invalidArgument("Either StreamName or StreamARN should be provided.")
        }
        try KinesisNames.checkStreamName(name)
        return name
    }

    /// The records of a `PutRecords`, each a parameter set of its own, after the count limit.
    public func records() throws(KinesisError) -> [KinesisRequest] {
        try typed.requiredObjects("Records") { count throws(KinesisError) in
            guard (1...KinesisLimits.maxPutRecordsEntries).contains(count) else {
                throw .validation(
                    "1 validation error detected: Value at 'records' failed to satisfy constraint: Member must have "
                        + (count == 0
                            ? "length greater than or equal to 1"
                            : "length less than or equal to \(KinesisLimits.maxPutRecordsEntries)"))
            }
        }
        .map { KinesisRequest(operation: operation, parameters: $0.values) }
    }

    /// A record to put (`PutRecord`, or one entry of `PutRecords`): its data, partition key and explicit hash key,
    /// checked against Kinesis' limits.
    public func record() throws(KinesisError) -> (data: [UInt8], partitionKey: String, explicitHashKey: UInt128?) {
        let data = try blob("Data")
        let key = try requiredString("PartitionKey")
        try KinesisLimits.checkPartitionKey(key)
        try KinesisLimits.checkRecordSize(data: data.count, partitionKey: key)
        var explicit: UInt128?
        if let text = try string("ExplicitHashKey") {
            guard !text.isEmpty, text.utf8.count <= 39, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
                let value = UInt128(text)
            else {
                throw .invalidArgument(
                    "Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was \(text.prefix(100))"
                )
            }
            explicit = value
        }
        return (data, key, explicit)
    }
}
