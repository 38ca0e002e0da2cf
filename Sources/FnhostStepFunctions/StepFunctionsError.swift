import FnhostWire

/// An error of the Step Functions API as AWS JSON 1.0 answers it: HTTP 400 with
/// `{"__type": "com.amazonaws.swf.service.v2.model#CODE", "message": "…"}`; botocore takes the code from the text after
/// `#`, so boto3 raises `client.exceptions.CODE` and the AWS CLI prints `An error occurred (CODE)`.
public struct StepFunctionsError: Error, Hashable, Sendable, CustomStringConvertible {
    public var code: String
    public var message: String
    public var status: Int

    public init(_ code: String, _ message: String, status: Int = 400) {
        self.code = code
        self.message = message
        self.status = status
    }

    public var description: String { "\(code): \(message)" }

    /// The response body.
    public var body: [UInt8] {
        JSONValue.object([
            "__type": .string("com.amazonaws.swf.service.v2.model#\(code)"), "message": .string(message),
        ]).serialized
    }

    /// A field that must be given and was not (AWS's wording).
    public static func missing(_ field: String) -> StepFunctionsError {
        StepFunctionsError(
            "ValidationException",
            "1 validation error detected: Value null at '\(field)' failed to satisfy constraint: Member must not be null"
        )
    }

    public static func validation(_ field: String, value: String, constraint: String) -> StepFunctionsError {
        let shown = value.count > 80 ? String(value.prefix(80)) + "…" : value
        return StepFunctionsError(
            "ValidationException",
            "1 validation error detected: Value '\(shown)' at '\(field)' failed to satisfy constraint: \(constraint)")
    }

    public static func stateMachineDoesNotExist(_ arn: String) -> StepFunctionsError {
        StepFunctionsError("StateMachineDoesNotExist", "State Machine Does Not Exist: '\(arn)'")
    }

    public static func executionDoesNotExist(_ arn: String) -> StepFunctionsError {
        StepFunctionsError("ExecutionDoesNotExist", "Execution Does Not Exist: '\(arn)'")
    }

    public static func invalidArn(_ arn: String, field: String) -> StepFunctionsError {
        StepFunctionsError("InvalidArn", "Invalid Arn: 'Invalid ARN prefix: \(arn)' (\(field))")
    }
}
