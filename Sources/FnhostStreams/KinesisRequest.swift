import FnhostWire
import Foundation

/// One Kinesis call in AWS JSON 1.1 (`X-Amz-Target: Kinesis_20131202.<Operation>`, a JSON object body), decoded
/// and checked before anything touches a stream: the operation is one fnhost serves, the body is a JSON object, and
/// each parameter is read through a typed accessor that refuses a wrong type or range with Kinesis' own error.
public struct KinesisRequest: Sendable, Equatable {
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
        let parameters: [String: JSONValue]
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            parameters = [:]
        } else {
            let value: JSONValue
            do { value = try JSONValue.parse(body) } catch {
                throw .serialization("the request body is not valid JSON: \(error)")
            }
            guard case .object(let object) = value else {
                throw .serialization("the request body must be a JSON object, not \(value.kind)")
            }
            parameters = object
        }
        self.init(operation: operation, parameters: parameters)
    }

    // MARK: Typed parameters

    /// A string parameter, or nil when absent (or null).
    public func string(_ name: String) throws(KinesisError) -> String? {
        switch parameters[name] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        case let other?: throw Self.wrongType(name, other, "a string")
        }
    }

    /// A string parameter the operation cannot do without.
    public func requiredString(_ name: String) throws(KinesisError) -> String {
        guard let value = try string(name) else { throw Self.missing(name) }
        return value
    }

    /// An integer parameter in `range`, or nil when absent.
    public func integer(_ name: String, in range: ClosedRange<Int>) throws(KinesisError) -> Int? {
        switch parameters[name] {
        case nil, .null?: return nil
        case .number(let n)?:
            guard n == n.rounded(), let value = Int(exactly: n) else {
                throw Self.wrongType(name, .number(n), "an integer")
            }
            guard range.contains(value) else {
                let bound =
                    value < range.lowerBound
                    ? "greater than or equal to \(range.lowerBound)" : "less than or equal to \(range.upperBound)"
                throw .validation(
                    "1 validation error detected: Value '\(value)' at '\(Self.member(name))' failed to satisfy "
                        + "constraint: Member must have value \(bound)")
            }
            return value
        case let other?: throw Self.wrongType(name, other, "an integer")
        }
    }

    /// A timestamp (`Timestamp`): epoch seconds as a number, as botocore sends them in JSON 1.1; in milliseconds.
    public func timestampMs(_ name: String) throws(KinesisError) -> Int64? {
        switch parameters[name] {
        case nil, .null?: return nil
        case .number(let n)?:
            guard n.isFinite, abs(n) < 1e12 else { throw Self.wrongType(name, .number(n), "a timestamp") }
            return Int64((n * 1000).rounded(.down))
        case .string(let s)?:
            if let n = Double(s), n.isFinite, abs(n) < 1e12 { return Int64((n * 1000).rounded(.down)) }
            if let date = ISO8601DateFormatter().date(from: s) {
                return Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
            }
            throw Self.wrongType(name, .string(s), "a timestamp")
        case let other?: throw Self.wrongType(name, other, "a timestamp")
        }
    }

    /// A blob (`Data`): base64 in the JSON body, as botocore encodes it.
    public func blob(_ name: String) throws(KinesisError) -> [UInt8] {
        guard let text = try string(name) else { throw Self.missing(name) }
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
        let list: [JSONValue]
        switch parameters["Records"] {
        case nil, .null?: throw Self.missing("Records")
        case .array(let items)?: list = items
        case let other?: throw Self.wrongType("Records", other, "a list")
        }
        guard (1...KinesisLimits.maxPutRecordsEntries).contains(list.count) else {
            throw .validation(
                "1 validation error detected: Value at 'records' failed to satisfy constraint: Member must have "
                    + (list.isEmpty
                        ? "length greater than or equal to 1"
                        : "length less than or equal to \(KinesisLimits.maxPutRecordsEntries)"))
        }
        var out: [KinesisRequest] = []
        for item in list {
            guard case .object(let object) = item else { throw Self.wrongType("Records", item, "a list of objects") }
            out.append(KinesisRequest(operation: operation, parameters: object))
        }
        return out
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

    static func member(_ name: String) -> String { name.prefix(1).lowercased() + name.dropFirst() }

    static func missing(_ name: String) -> KinesisError {
        .validation(
            "1 validation error detected: Value null at '\(member(name))' failed to satisfy constraint: Member must not be null"
        )
    }

    static func wrongType(_ name: String, _ value: JSONValue, _ expected: String) -> KinesisError {
        .serialization("\(name) must be \(expected), not \(value.kind)")
    }
}
