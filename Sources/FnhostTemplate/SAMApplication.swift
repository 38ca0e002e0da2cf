import FnhostWire

/// What fnhost takes from a SAM template: the functions it runs, with their routes, schedules and event sources,
/// and a note of everything it left out, so one warning can tell the user what will not behave as on AWS.
public struct SAMApplication: Sendable, Equatable {
    public var functions: [SAMFunction]
    /// `AWS::SQS::Queue` resources: `fnhost serve` creates them in its SQS.
    public var queues: [SAMQueue] = []
    /// `AWS::Serverless::StateMachine` resources: `fnhost serve` loads them beside its `statemachines/` files.
    public var stateMachines: [SAMStateMachine] = []
    /// Resources fnhost does not emulate, as `LogicalId (Type)`, sorted.
    public var unemulated: [String]
    /// Other things a user should know: approximated references, ignored event types, a missing Transform.
    public var notes: [String]
    /// The template file, for messages.
    public var file: String

    public init(functions: [SAMFunction], unemulated: [String], notes: [String], file: String) {
        self.functions = functions
        self.unemulated = unemulated
        self.notes = notes
        self.file = file
    }

    /// The one warning a command prints when it loads the template, or nil when fnhost emulates all of it.
    public var warning: String? {
        var parts: [String] = []
        if !unemulated.isEmpty {
            parts.append(
                "\(file): fnhost does not emulate \(unemulated.count) resource(s), which are left out: "
                    + unemulated.joined(separator: ", "))
        }
        parts += notes.map { "\(file): \($0)" }
        return parts.isEmpty ? nil : parts.joined(separator: "\n")
    }
}

/// One `AWS::Serverless::Function`, with `Globals` applied and every intrinsic resolved.
public struct SAMFunction: Sendable, Equatable {
    public var logicalID: String
    /// `FunctionName` when the template sets it, else the logical id (as `sam local` names functions).
    public var name: String
    public var description: String
    public var runtime: FunctionRuntime
    public var handler: String
    /// The absolute folder `CodeUri` names.
    public var codeDirectory: String
    public var memorySize: Int
    public var timeout: Double
    public var environment: [String: String]
    public var reservedConcurrency: Int?
    public var provisionedConcurrency: Int
    /// API Gateway route keys from `HttpApi` and `Api` events (`GET /orgs/{orgId}`, `$default`).
    public var routes: [String]
    public var schedules: [SAMSchedule]
    /// `SQS` and `Kinesis` events, kept as the template wrote them (resolved) for the event source mappings.
    public var eventSources: [SAMEventSource]
}

/// The language a function runs in, from `Runtime`.
public enum FunctionRuntime: Sendable, Equatable, CustomStringConvertible {
    /// `provided.al2`, `provided.al2023`: a `bootstrap` executable in the code folder.
    case provided(String)
    /// `python3.x`, through AWS's runtime interface client.
    case python(version: String)
    /// `nodejs…`: only with a Node runtime interface client present.
    case node(version: String)

    /// The runtimes AWS documents that fnhost runs or recognises.
    static let providedNames: Set<String> = ["provided", "provided.al2", "provided.al2023"]

    /// Parses a `Runtime` value; nil for a runtime fnhost cannot run (Java, .NET, Ruby).
    init?(_ text: String) {
        if Self.providedNames.contains(text) {
            self = .provided(text)
        } else if text.hasPrefix("python3."), Int(text.dropFirst("python3.".count)) != nil {
            self = .python(version: String(text.dropFirst("python".count)))
        } else if text.hasPrefix("nodejs"), text.hasSuffix(".x"), Int(text.dropFirst(6).dropLast(2)) != nil {
            self = .node(version: String(text.dropFirst(6).dropLast(2)))
        } else {
            return nil
        }
    }

    public var description: String {
        switch self {
        case .provided(let name): name
        case .python(let version): "python\(version)"
        case .node(let version): "nodejs\(version).x"
        }
    }
}

/// A `Schedule` (or `ScheduleV2`) event: EventBridge invoking the function on a rate or cron expression.
public struct SAMSchedule: Sendable, Equatable {
    public var eventName: String
    public var expression: ScheduleExpression
    /// The event sent, as JSON text; nil for EventBridge's scheduled-event shape.
    public var input: String?
    public var enabled: Bool
}

/// An `SQS` or `Kinesis` event of a function: the source's ARN (or logical id) and its settings.
public struct SAMEventSource: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case sqs = "SQS"
        case kinesis = "Kinesis"
    }
    public var eventName: String
    public var kind: Kind
    /// The resolved `Queue` or `Stream` value (an ARN, or the logical id of a queue in the template).
    public var source: String
    /// The event's other properties (`BatchSize`, `MaximumBatchingWindowInSeconds`, …), resolved.
    public var properties: [String: JSONValue]
}
