import FnhostWire

/// One request of the Step Functions API (AWS JSON 1.0): the operation named by `X-Amz-Target:
/// AWSStepFunctions.<Operation>` and the JSON object of its body, with typed accessors whose errors are AWS's
/// (`ValidationException` for a missing or out-of-range member, `SerializationException` for a wrong JSON type).
public struct StepFunctionsRequest: Hashable, Sendable {
    public var operation: StepFunctionsOperation
    public var members: [String: JSONValue]

    /// The `X-Amz-Target` prefix of this API.
    public static let targetPrefix = "AWSStepFunctions."
    /// The content type of requests and responses.
    public static let contentType = "application/x-amz-json-1.0"

    public init(operation: StepFunctionsOperation, members: [String: JSONValue]) {
        self.operation = operation
        self.members = members
    }

    /// Decodes a request from its `X-Amz-Target` header and its body (an empty body is `{}`).
    public static func decode(target: String?, body: some Collection<UInt8>) throws(StepFunctionsError)
        -> StepFunctionsRequest
    {
        guard let target, target.hasPrefix(targetPrefix) else {
            throw StepFunctionsError(
                "UnknownOperationException",
                "X-Amz-Target must be AWSStepFunctions.<Operation>, not \(target ?? "absent")")
        }
        let name = String(target.dropFirst(targetPrefix.count))
        guard let operation = StepFunctionsOperation(rawValue: name) else {
            throw StepFunctionsError(
                "UnknownOperationException", "fnhost does not implement the Step Functions operation \(name)")
        }
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            return StepFunctionsRequest(operation: operation, members: [:])
        }
        let value: JSONValue
        do { value = try JSONValue.parse(body) } catch {
            throw StepFunctionsError("SerializationException", "The request body is not JSON: \(error)")
        }
        guard case .object(let members) = value else {
            throw StepFunctionsError(
                "SerializationException", "The request body must be a JSON object, not \(value.kind)")
        }
        return StepFunctionsRequest(operation: operation, members: members)
    }

    /// A string member, nil when absent or null.
    public func string(_ field: String) throws(StepFunctionsError) -> String? {
        switch members[field] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        case let other?: throw Self.wrongType(field, "a string", other)
        }
    }

    /// A string member that must be present.
    public func requiredString(_ field: String) throws(StepFunctionsError) -> String {
        guard let s = try string(field) else { throw .missing(field) }
        return s
    }

    /// An integer member, nil when absent or null.
    public func integer(_ field: String) throws(StepFunctionsError) -> Int? {
        switch members[field] {
        case nil, .null?: return nil
        case .number(let n)? where n == n.rounded() && abs(n) < 1e15: return Int(n)
        case let other?: throw Self.wrongType(field, "an integer", other)
        }
    }

    /// A boolean member, nil when absent or null.
    public func boolean(_ field: String) throws(StepFunctionsError) -> Bool? {
        switch members[field] {
        case nil, .null?: return nil
        case .bool(let b)?: return b
        case let other?: throw Self.wrongType(field, "a boolean", other)
        }
    }

    /// `maxResults` as the List and GetExecutionHistory operations take it: 0 or absent means `defaultValue`.
    public func maxResults(default defaultValue: Int) throws(StepFunctionsError) -> Int {
        guard let n = try integer("maxResults") else { return defaultValue }
        guard (0...1000).contains(n) else {
            throw .validation(
                "maxResults", value: "\(n)", constraint: "Member must have value less than or equal to 1000")
        }
        return n == 0 ? defaultValue : n
    }

    static func wrongType(_ field: String, _ expected: String, _ found: JSONValue) -> StepFunctionsError {
        StepFunctionsError("SerializationException", "'\(field)' must be \(expected), not \(found.kind)")
    }
}

/// The operations fnhost serves, by their names in `X-Amz-Target`.
public enum StepFunctionsOperation: String, Hashable, Sendable, CaseIterable {
    case createStateMachine = "CreateStateMachine"
    case describeStateMachine = "DescribeStateMachine"
    case listStateMachines = "ListStateMachines"
    case deleteStateMachine = "DeleteStateMachine"
    case startExecution = "StartExecution"
    case startSyncExecution = "StartSyncExecution"
    case describeExecution = "DescribeExecution"
    case getExecutionHistory = "GetExecutionHistory"
    case listExecutions = "ListExecutions"
    case stopExecution = "StopExecution"
}
