/// A function from a template that cannot be started here, with what to install or change.
public struct RuntimeSetupError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The function's logical id in the template, or its name.
    public var function: String
    public var reason: String

    public init(function: String, reason: String) {
        self.function = function
        self.reason = reason
    }

    public var description: String { "function \(function): \(reason)" }
}
