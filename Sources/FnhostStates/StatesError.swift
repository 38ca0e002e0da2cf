import FnhostWire

/// An error raised while an execution runs, named as Step Functions names it (`States.Timeout`, a function's
/// `errorType`, …), so that `Retry` and `Catch` can match it and the history can report it as AWS does.
public struct StatesError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// The error name (`Error` in a catcher's output).
    public var name: String
    /// The human-readable cause (`Cause` in a catcher's output).
    public var cause: String

    public init(_ name: String, _ cause: String) {
        self.name = name
        self.cause = cause
    }

    public var description: String { "\(name): \(cause)" }

    /// The error output a catcher passes on: `{"Error": …, "Cause": …}`.
    public var errorOutput: JSONValue { .object(["Error": .string(name), "Cause": .string(cause)]) }

    // The predefined names (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html).
    public static let all = "States.ALL"
    public static let timeout = "States.Timeout"
    public static let taskFailed = "States.TaskFailed"
    public static let branchFailed = "States.BranchFailed"
    public static let runtime = "States.Runtime"
    public static let resultPathMatchFailure = "States.ResultPathMatchFailure"
    public static let dataLimitExceeded = "States.DataLimitExceeded"
    public static let heartbeatTimeout = "States.HeartbeatTimeout"
    /// Names that AWS reserves and reports as `States.Runtime` instead (the error-handling page says so for each):
    /// a Choice without a match, a bad `.$` path, a failed intrinsic.
    public static let reservedNames: Set<String> = [
        "States.NoChoiceMatched", "States.ParameterPathFailure", "States.IntrinsicFailure",
    ]
    /// The error fnhost raises for a task that was in flight when its host stopped, so that a resumed execution never
    /// runs it a second time without the definition's own `Retry` saying so.
    public static let taskInterrupted = "Fnhost.TaskInterrupted"

    static func runtime(_ cause: String) -> StatesError { StatesError(runtime, cause) }

    /// The execution's history reached Step Functions' quota of 25,000 events.
    static let historyFull = StatesError(
        runtime,
        "The execution reached the maximum execution history size of 25,000 events "
            + "(https://docs.aws.amazon.com/step-functions/latest/dg/bp-history-limit.html)")

    /// Whether a retrier's or catcher's `ErrorEquals` list matches this error.
    ///
    /// `States.ALL` matches every error but `States.Runtime` and `States.DataLimitExceeded`, which are terminal;
    /// `States.TaskFailed` matches every error but `States.Timeout` (and the terminal ones).
    public func isMatched(by errorEquals: [String]) -> Bool {
        let terminal = name == Self.runtime || name == Self.dataLimitExceeded
        if terminal { return false }
        for candidate in errorEquals {
            if candidate == name { return true }
            if candidate == Self.all { return true }
            if candidate == Self.taskFailed && name != Self.timeout { return true }
        }
        return false
    }
}
