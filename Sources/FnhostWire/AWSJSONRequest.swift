/// A request of an AWS JSON 1.0/1.1 service (SQS, Kinesis, Step Functions): whatever else it carries, its body's
/// parameters read through `AWSJSONParameters` with the service's wording, so that each request type gets the typed
/// accessors once, here, and adds only what its service reads differently.
public protocol AWSJSONRequest {
    /// How the service words a parameter it cannot use.
    associatedtype Errors: AWSParameterErrors
    /// The body's parameters.
    var typed: AWSJSONParameters<Errors> { get }
}

extension AWSJSONRequest {
    /// A string parameter, nil when absent or null.
    public func string(_ name: String) throws(Errors.Failure) -> String? { try typed.string(name) }

    /// A string parameter the operation cannot do without.
    public func requiredString(_ name: String) throws(Errors.Failure) -> String { try typed.requiredString(name) }

    /// An integer parameter in `range`, nil when absent or null.
    public func integer(_ name: String, in range: ClosedRange<Int>) throws(Errors.Failure) -> Int? {
        try typed.integer(name, in: range)
    }

    /// A boolean parameter, nil when absent or null.
    public func boolean(_ name: String) throws(Errors.Failure) -> Bool? { try typed.boolean(name) }

    /// A list of strings, empty when absent or null.
    public func strings(_ name: String) throws(Errors.Failure) -> [String] { try typed.strings(name) }

    /// A map of strings to strings, empty when absent or null.
    public func stringMap(_ name: String) throws(Errors.Failure) -> [String: String] { try typed.stringMap(name) }
}
