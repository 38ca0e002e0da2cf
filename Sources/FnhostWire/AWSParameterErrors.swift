/// How one AWS service words the errors of its JSON 1.0/1.1 request parameters. The services share the reading
/// (`AWSJSONParameters`) but not the words: SQS answers a missing parameter with `MissingParameter`, Kinesis and Step
/// Functions with a `ValidationException`; a conformance keeps each service's codes and messages exact.
///
/// A body that does not decode and a parameter of the wrong JSON type are AWS JSON's `SerializationException`
/// everywhere: a conformance says how it builds one (`serialization`) and gets fnhost's wording of the three by
/// default, or words them itself.
public protocol AWSParameterErrors {
    /// The service's error type.
    associatedtype Failure: Error

    /// The service's `SerializationException` with `message`.
    static func serialization(_ message: String) -> Failure
    /// The request body is not JSON.
    static func notJSON(_ error: JSONSyntaxError) -> Failure
    /// The request body is JSON but not an object.
    static func notObject(_ value: JSONValue) -> Failure
    /// A parameter has the wrong JSON type; `expected` reads "a string", "a list of strings", ….
    static func wrongType(_ name: String, _ value: JSONValue, expected: String) -> Failure
    /// A parameter the operation needs is absent (or null).
    static func missing(_ name: String) -> Failure
    /// An integer parameter lies outside its range.
    static func outOfRange(_ name: String, _ value: Int, _ range: ClosedRange<Int>) -> Failure
}

extension AWSParameterErrors {
    public static func notJSON(_ error: JSONSyntaxError) -> Failure {
        serialization("the request body is not valid JSON: \(error)")
    }

    public static func notObject(_ value: JSONValue) -> Failure {
        serialization("the request body must be a JSON object, not \(value.kind)")
    }

    public static func wrongType(_ name: String, _ value: JSONValue, expected: String) -> Failure {
        serialization("\(name) must be \(expected), not \(value.kind)")
    }
}

extension AWSParameterErrors {
    /// The constraint an integer out of `range` fails, as AWS's validation messages word it: "Member must have value
    /// greater than or equal to 1" (below the range) or "… less than or equal to 10" (above it).
    public static func valueConstraint(_ value: Int, _ range: ClosedRange<Int>) -> String {
        value < range.lowerBound
            ? "Member must have value greater than or equal to \(range.lowerBound)"
            : "Member must have value less than or equal to \(range.upperBound)"
    }
}
