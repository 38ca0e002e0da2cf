import FnhostStates

extension StateMachineFile {
    /// A state machine given as text rather than as files (a SAM template's `AWS::Serverless::StateMachine`),
    /// checked as the files are: its name, and its definition as AWS's `InvalidDefinition` would refuse it.
    /// - Parameter source: where it came from, for the error (`template.yaml (Flow)`).
    public init(
        name: String, definitionText: String, type: StateMachineType, source: String
    ) throws(StateMachineFileError) {
        guard StepFunctionsARN.isValidName(name) else {
            throw StateMachineFileError(
                file: source,
                reason:
                    "'\(name)' is not a valid state machine name (1-80 characters, no spaces or <>{}[]?*\"#%\\^|~`$&,;:/)"
            )
        }
        let definition: StateMachineDefinition
        do { definition = try StateMachineDefinition.parse(Array(definitionText.utf8)) } catch {
            throw StateMachineFileError(file: source, reason: "\(InvalidDefinition.errorCode): \(error)")
        }
        self.init(name: name, definitionText: definitionText, definition: definition, type: type)
    }
}
