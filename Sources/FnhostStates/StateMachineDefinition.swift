import FnhostWire

/// A parsed and validated Amazon States Language definition (JSONPath query language): the states, their fields
/// typed, every path and intrinsic call already parsed. Only ``parse(_:)`` makes one, so a definition that exists is
/// one Step Functions would accept.
public struct StateMachineDefinition: Hashable, Sendable {
    public var comment: String?
    /// The whole execution's limit (`TimeoutSeconds` at the top level); nil for none.
    public var timeoutSeconds: Int?
    /// The top-level states.
    public var graph: StateGraph

    /// Parses and validates a definition; the error lists every problem found, as AWS's `InvalidDefinition` does.
    public static func parse(_ text: String) throws(InvalidDefinition) -> StateMachineDefinition {
        try parse(Array(text.utf8))
    }

    /// Parses and validates a definition given as bytes (a file, an API request's `definition`).
    public static func parse(_ bytes: [UInt8]) throws(InvalidDefinition) -> StateMachineDefinition {
        var parser = DefinitionParser()
        return try parser.parseDocument(bytes)
    }

    /// Every state name in the definition, nested ones included.
    public var allStateNames: [String] {
        var out: [String] = []
        func walk(_ g: StateGraph) {
            for name in g.order {
                out.append(name)
                switch g.states[name]!.kind {
                case .parallel(let p): p.branches.forEach(walk)
                case .map(let m): walk(m.processor)
                default: break
                }
            }
        }
        walk(graph)
        return out
    }
}

/// A set of states with a start: the top level, a Parallel branch, a Map's item processor.
public struct StateGraph: Hashable, Sendable {
    public var startAt: String
    public var states: [String: State]
    /// The state names in the order the definition gives them.
    public var order: [String]
}

/// One state: the fields every state has, and its type's own.
public struct State: Hashable, Sendable {
    public var name: String
    public var comment: String?
    /// `InputPath`: nil when `null` (the state gets `{}`).
    public var inputPath: JSONPath?
    /// `OutputPath`: nil when `null` (the state passes on `{}`).
    public var outputPath: JSONPath?
    /// Where the execution goes after the state; nil for Choice, Succeed and Fail.
    public var transition: Transition?
    public var kind: Kind

    /// `Next` or `End`.
    public enum Transition: Hashable, Sendable {
        case next(String)
        case end
    }

    /// The state's type and its own fields.
    public enum Kind: Hashable, Sendable {
        case task(TaskState)
        case pass(PassState)
        case choice(ChoiceState)
        case wait(WaitState)
        case succeed
        case fail(FailState)
        case parallel(ParallelState)
        case map(MapState)
    }

    /// `Task`, `Pass`, …: the prefix of the state's history event types.
    public var typeName: String {
        switch kind {
        case .task: "Task"
        case .pass: "Pass"
        case .choice: "Choice"
        case .wait: "Wait"
        case .succeed: "Succeed"
        case .fail: "Fail"
        case .parallel: "Parallel"
        case .map: "Map"
        }
    }
}

/// `ResultPath`: where a state's result goes in its input, or `null` to discard the result.
public enum ResultPath: Hashable, Sendable {
    case path(JSONPath)
    case discard

    /// The default, `$`: the result replaces the input.
    public static let whole = ResultPath.path(JSONPath.root)

    /// The state's output before `OutputPath`: the result placed in the input.
    public func apply(result: JSONValue, to input: JSONValue) throws(StatesError) -> JSONValue {
        switch self {
        case .discard: return input
        case .path(let p): return try p.placing(result, into: input)
        }
    }
}

extension JSONPath {
    /// `$`.
    public static let root = JSONPath(root: .input, segments: [], text: "$")
}

/// What a Task runs.
public enum TaskResource: Hashable, Sendable {
    /// A Lambda function by ARN (`arn:aws:lambda:…:function:NAME`) or by name: the function gets the effective input
    /// and its return value is the result (history: `LambdaFunction…` events).
    case function(String)
    /// `arn:aws:states:::lambda:invoke`: `Parameters` give `FunctionName` and `Payload`; the result is
    /// `{ExecutedVersion, Payload, SdkHttpMetadata, SdkResponseMetadata, StatusCode}` (history: `Task…` events).
    case lambdaInvoke

    public static let lambdaInvokeARN = "arn:aws:states:::lambda:invoke"
}

/// A `TimeoutSeconds` or `TimeoutSecondsPath`.
public enum TimeoutSetting: Hashable, Sendable {
    case seconds(Int)
    case path(JSONPath)
}

/// A Task state's own fields: what it runs and how its input, result, errors and time limit are handled.
public struct TaskState: Hashable, Sendable {
    public var resource: TaskResource
    public var resourceText: String
    public var parameters: PayloadTemplate?
    public var resultSelector: PayloadTemplate?
    public var resultPath: ResultPath
    public var retry: [Retrier]
    public var catchers: [Catcher]
    public var timeout: TimeoutSetting?
    /// `HeartbeatSeconds[Path]`: a Lambda task never sends a heartbeat, so one that runs longer than this fails with
    /// `States.HeartbeatTimeout`, as on AWS.
    public var heartbeat: TimeoutSetting?
}

/// A Pass state's own fields: a fixed `Result` or its (templated) input, placed by `ResultPath`.
public struct PassState: Hashable, Sendable {
    public var result: JSONValue?
    public var parameters: PayloadTemplate?
    public var resultPath: ResultPath
}

/// A Choice state's rules, tried in order, and where to go when none holds.
public struct ChoiceState: Hashable, Sendable {
    public var choices: [ChoiceBranch]
    public var defaultNext: String?
}

/// A top-level Choice rule and where it leads.
public struct ChoiceBranch: Hashable, Sendable {
    public var rule: ChoiceRule
    public var next: String
}

/// How long a Wait state waits: seconds or an instant, given literally or by a path into its input.
public enum WaitState: Hashable, Sendable {
    case seconds(Int)
    case secondsPath(JSONPath)
    case timestamp(Timestamp)
    case timestampPath(JSONPath)
}

/// A Fail state's `Error` or `Cause`: literal, a reference path, or one of the intrinsics AWS allows there.
public enum FailField: Hashable, Sendable {
    case literal(String)
    case path(JSONPath)
    case intrinsic(IntrinsicCall)
}

/// A Fail state's error name and cause, each literal, by path, or by intrinsic.
public struct FailState: Hashable, Sendable {
    public var error: FailField?
    public var cause: FailField?
}

/// A Parallel state's branches (run at once, outputs in branch order) and its data and error handling.
public struct ParallelState: Hashable, Sendable {
    public var branches: [StateGraph]
    public var parameters: PayloadTemplate?
    public var resultSelector: PayloadTemplate?
    public var resultPath: ResultPath
    public var retry: [Retrier]
    public var catchers: [Catcher]
}

/// An inline Map state: the item processor run once per item of `ItemsPath`, at most `MaxConcurrency` at once.
public struct MapState: Hashable, Sendable {
    public var processor: StateGraph
    public var itemsPath: JSONPath
    /// `ItemSelector` (or the older `Parameters`): each item's input, with `$$.Map.Item.Index/Value` available.
    public var itemSelector: PayloadTemplate?
    /// 0 = as many at once as there are items (AWS: up to 40 for inline maps in practice).
    public var maxConcurrency: Int
    public var maxConcurrencyPath: JSONPath?
    public var resultSelector: PayloadTemplate?
    public var resultPath: ResultPath
    public var retry: [Retrier]
    public var catchers: [Catcher]
}

/// One `Retry` entry.
public struct Retrier: Hashable, Sendable, Codable {
    public var errorEquals: [String]
    public var intervalSeconds: Int = 1
    public var maxAttempts: Int = 3
    public var backoffRate: Double = 2.0
    public var maxDelaySeconds: Int?
    public var jitter: Jitter = .none

    /// `JitterStrategy`.
    public enum Jitter: String, Hashable, Sendable, Codable {
        case full = "FULL"
        case none = "NONE"
    }

    /// The wait before retry number `attempt` (1-based), before jitter: `IntervalSeconds × BackoffRate^(attempt−1)`,
    /// capped by `MaxDelaySeconds`.
    public func delay(beforeRetry attempt: Int) -> Double {
        var d = Double(intervalSeconds)
        for _ in 1..<max(attempt, 1) { d *= backoffRate }
        if let cap = maxDelaySeconds { d = min(d, Double(cap)) }
        return d
    }
}

/// One `Catch` entry.
public struct Catcher: Hashable, Sendable {
    public var errorEquals: [String]
    public var next: String
    public var resultPath: ResultPath
}
