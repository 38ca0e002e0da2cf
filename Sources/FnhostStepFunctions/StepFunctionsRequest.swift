import FnhostWire

/// One request of the Step Functions API (AWS JSON 1.0): the operation named by `X-Amz-Target:
/// AWSStepFunctions.<Operation>` and the JSON object of its body, with typed accessors whose errors are AWS's
/// (`ValidationException` for a missing or out-of-range member, `SerializationException` for a wrong JSON type).
public struct StepFunctionsRequest: AWSJSONRequest, Hashable, Sendable {
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
        return StepFunctionsRequest(operation: operation, members: try Members(body: body).values)
    }

    // MARK: Typed members

    /// The members read as Step Functions words its errors.
    public typealias Members = AWSJSONParameters<MemberErrors>

    /// Step Functions' words for a body or a member it cannot use: `SerializationException` for a body that is not
    /// a JSON object or a member of the wrong JSON type, `ValidationException` for a missing or out-of-range one.
    public enum MemberErrors: AWSParameterErrors {
        public static func serialization(_ message: String) -> StepFunctionsError {
            StepFunctionsError("SerializationException", message)
        }
        public static func notJSON(_ error: JSONSyntaxError) -> StepFunctionsError {
            serialization("The request body is not JSON: \(error)")
        }
        public static func notObject(_ value: JSONValue) -> StepFunctionsError {
            serialization("The request body must be a JSON object, not \(value.kind)")
        }
        public static func missing(_ name: String) -> StepFunctionsError { .missing(name) }
        public static func wrongType(_ name: String, _ value: JSONValue, expected: String) -> StepFunctionsError {
            serialization("'\(name)' must be \(expected), not \(value.kind)")
        }
        public static func outOfRange(_ name: String, _ value: Int, _ range: ClosedRange<Int>) -> StepFunctionsError {
            .validation(name, value: "\(value)", constraint: valueConstraint(value, range))
        }
    }

    /// The typed reader over `members`.
    public var typed: Members { Members(members) }

    /// An integer member, nil when absent or null; one of 10¹⁵ or more is refused as not an integer.
    public func integer(_ field: String) throws(StepFunctionsError) -> Int? {
        guard let n = try typed.integer(field) else { return nil }
        guard n.magnitude < 1_000_000_000_000_000 else {
            throw MemberErrors.wrongType(field, .number(Double(n)), expected: "an integer")
        }
        return n
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
