import FnhostWire

/// One thing wrong with a state machine definition, as Step Functions' `InvalidDefinition` and
/// `ValidateStateMachineDefinition` report it: a code (`SCHEMA_VALIDATION_FAILED`, `MISSING_TRANSITION_TARGET`, …),
/// a message and where (`/States/A/Next`).
public struct DefinitionProblem: Hashable, Sendable, Codable, CustomStringConvertible {
    public var code: String
    public var message: String
    /// A JSON-pointer-like location (`/States/A/Choices[0]/Next`); nil for problems of the whole workflow.
    public var location: String?

    public init(code: String, message: String, location: String?) {
        self.code = code
        self.message = message
        self.location = location
    }

    /// `CODE: message at /location`, AWS's wording.
    public var description: String {
        "\(code): \(message)" + (location.map { " at \($0)" } ?? "")
    }

    static func schema(_ message: String, at location: String) -> DefinitionProblem {
        DefinitionProblem(code: "SCHEMA_VALIDATION_FAILED", message: message, location: location)
    }
}

/// A definition Step Functions would refuse, with every problem found (not only the first):
/// `Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: B at /States/A/Next, …'`.
public struct InvalidDefinition: Error, Hashable, Sendable, CustomStringConvertible {
    public var problems: [DefinitionProblem]

    public init(problems: [DefinitionProblem]) { self.problems = problems }

    /// AWS's `InvalidDefinition` message.
    public var description: String {
        "Invalid State Machine Definition: '\(problems.map(\.description).joined(separator: ", "))'"
    }

    /// The error code the Step Functions API answers with.
    public static let errorCode = "InvalidDefinition"
}
