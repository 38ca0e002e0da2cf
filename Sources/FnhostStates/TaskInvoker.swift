import FnhostWire

/// How the interpreter runs a Lambda function: the seam between the pure language and fnhost's pools (or a test's
/// scripted answers). Cancellation of the calling task means the answer is no longer wanted (a sibling branch failed,
/// the task timed out, the execution was stopped).
public protocol TaskInvoker: Sendable {
    func invoke(_ invocation: TaskInvocation) async -> TaskInvocationResult
}

/// One invocation a Task asks for.
public struct TaskInvocation: Sendable, Hashable {
    /// The function's name or ARN, as the definition (or `FunctionName` of `lambda:invoke`) gives it.
    public var functionName: String
    /// The event the function receives.
    public var payload: JSONValue
    /// The Task state asking, and its attempt (1 for the first, 2 for the first retry…).
    public var stateName: String
    public var attempt: Int
    /// The id of the `…StateEntered` event of the state entry asking (0 when unknown): a Map's iterations run the
    /// same Task state at once, and this tells their invocations apart (a trace places each under its entry).
    public var stateEnteredEventId: Int

    public init(functionName: String, payload: JSONValue, stateName: String, attempt: Int, stateEnteredEventId: Int = 0)
    {
        self.functionName = functionName
        self.payload = payload
        self.stateName = stateName
        self.attempt = attempt
        self.stateEnteredEventId = stateEnteredEventId
    }
}

/// What came back from a function.
public enum TaskInvocationResult: Sendable, Hashable {
    /// The function returned `payload` (`ExecutedVersion` is `$LATEST` unless the invoker knows better).
    case succeeded(payload: JSONValue, executedVersion: String = "$LATEST")
    /// The function failed (Lambda's `X-Amz-Function-Error`): `payload` is its error object
    /// (`{"errorType", "errorMessage", …}`); the Step Functions error is its `errorType`.
    case functionError(payload: JSONValue)
    /// The invocation itself failed (`Lambda.ServiceException`, `Lambda.ResourceNotFoundException`, …).
    case serviceError(name: String, message: String)

    /// The Step Functions error a failed invocation raises: the function's `errorType` as its name (`Lambda.Unknown`
    /// when it gave none) and its error object's JSON text as the cause.
    public var error: StatesError? {
        switch self {
        case .succeeded: return nil
        case .functionError(let payload):
            var name = "Lambda.Unknown"
            if case .object(let o) = payload, case .string(let t)? = o["errorType"], !t.isEmpty { name = t }
            return StatesError(name, String(decoding: payload.serialized, as: UTF8.self))
        case .serviceError(let name, let message):
            return StatesError(name, message)
        }
    }
}

/// Time as the interpreter sees it: `now` for history timestamps, the context object and Wait deadlines, `sleep`
/// for Wait states, retry intervals and timeouts. A scaled clock lets a ten-minute backoff take ten milliseconds.
public protocol StatesClock: Sendable {
    /// The current (simulated) instant.
    func now() -> Timestamp
    /// Sleeps `seconds` of simulated time; throws `CancellationError` when the task is cancelled.
    func sleep(seconds: Double) async throws
}

/// A clock whose simulated time runs `1 / realSecondsPerSecond` times faster than real time, starting at `start`:
/// with `realSecondsPerSecond` 0.001, a 60-second Wait takes 60 ms and `now()` moves by 60 s.
public struct ScaledClock: StatesClock {
    public let start: Timestamp
    public let realSecondsPerSecond: Double
    private let origin: ContinuousClock.Instant

    public init(start: Timestamp, realSecondsPerSecond: Double = 1) {
        self.start = start
        self.realSecondsPerSecond = realSecondsPerSecond
        self.origin = ContinuousClock.now
    }

    public func now() -> Timestamp {
        let elapsed = ContinuousClock.now - origin
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return start.adding(seconds: seconds / realSecondsPerSecond)
    }

    public func sleep(seconds: Double) async throws {
        guard seconds > 0 else {
            try Task.checkCancellation()
            return
        }
        try await Task.sleep(for: .nanoseconds(Int64(min(seconds * realSecondsPerSecond, 1e9) * 1e9)))
    }
}
