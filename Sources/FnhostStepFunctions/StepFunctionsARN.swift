/// The ARNs of state machines and executions, in AWS's format: `arn:aws:states:REGION:ACCOUNT:stateMachine:NAME`,
/// `…:execution:NAME:EXEC` and, for an EXPRESS machine, `…:express:NAME:EXEC:UUID`.
public enum StepFunctionsARN {
    public static func stateMachine(region: String, account: String, name: String) -> String {
        "arn:aws:states:\(region):\(account):stateMachine:\(name)"
    }

    public static func execution(region: String, account: String, machine: String, name: String) -> String {
        "arn:aws:states:\(region):\(account):execution:\(machine):\(name)"
    }

    public static func expressExecution(
        region: String, account: String, machine: String, name: String, id: String
    ) -> String {
        "arn:aws:states:\(region):\(account):express:\(machine):\(name):\(id)"
    }

    /// The resource kind (`stateMachine`, `execution`, `express`) and the parts after it, or nil when `arn` is not a
    /// Step Functions ARN.
    public static func parse(_ arn: String) -> (kind: String, names: [String])? {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 7, parts[0] == "arn", parts[1].hasPrefix("aws"), parts[2] == "states" else { return nil }
        let names = Array(parts[6...])
        guard names.allSatisfy({ !$0.isEmpty }) else { return nil }
        return (parts[5], names)
    }

    /// The name of a state machine's ARN, or nil when it is not one.
    public static func stateMachineName(_ arn: String) -> String? {
        guard let (kind, names) = parse(arn), kind == "stateMachine", names.count == 1 else { return nil }
        return names[0]
    }

    /// Whether `arn` has the shape of an execution's ARN (standard or express).
    public static func isExecution(_ arn: String) -> Bool {
        guard let (kind, names) = parse(arn) else { return false }
        return (kind == "execution" && names.count == 2) || (kind == "express" && names.count == 3)
    }

    /// AWS's rule for state machine and execution names: 1–80 characters, none of whitespace, `<>{}[]?*"#%\^|~`$&,;:/`
    /// or control characters.
    public static func isValidName(_ name: String) -> Bool {
        guard (1...80).contains(name.count) else { return false }
        let forbidden = Set("<>{}[]?*\"#%\\^|~`$&,;:/".unicodeScalars)
        return !name.unicodeScalars.contains {
            forbidden.contains($0) || $0.properties.isWhitespace || $0.value < 0x20 || (0x7F...0x9F).contains($0.value)
        }
    }
}
