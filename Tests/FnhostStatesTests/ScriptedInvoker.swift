import FnhostStates
import FnhostWire
import Synchronization

/// A ``TaskInvoker`` that answers from a script (per function: answers in order, the last one repeated), for the
/// pure interpreter's tests: it records every invocation, how many ran at once, and which were cancelled.
final class ScriptedInvoker: TaskInvoker {
    struct Answer: Sendable {
        var result: TaskInvocationResult?  // nil: echo the payload
        var seconds: Double
    }

    struct Log: Sendable {
        var invocations: [TaskInvocation] = []
        var running = 0
        var maxRunning = 0
        var cancelled: [TaskInvocation] = []
        var completed: [TaskInvocation] = []
    }

    let script: [String: [Answer]]
    let clock: ScaledClock
    let log = Mutex(Log())
    private let served = Mutex([String: Int]())

    init(script: [String: [Answer]], clock: ScaledClock) {
        self.script = script
        self.clock = clock
    }

    /// Reads a fixture's `invoker` object: `{"fn": [{"return": v} | {"echo": true} | {"errorType", "errorMessage"} |
    /// {"serviceError", "message"}, optionally with "seconds"]}`.
    convenience init(fixture: JSONValue?, clock: ScaledClock) throws {
        var script: [String: [Answer]] = [:]
        if case .object(let o)? = fixture {
            for (name, value) in o {
                guard case .array(let list) = value else { throw FixtureError("invoker.\(name) must be an array") }
                script[name] = try list.map { try Self.answer($0) }
            }
        }
        self.init(script: script, clock: clock)
    }

    static func answer(_ v: JSONValue) throws -> Answer {
        guard case .object(let a) = v else { throw FixtureError("an answer must be an object") }
        var seconds = 0.0
        if case .number(let s)? = a["seconds"] { seconds = s }
        if let r = a["return"] { return Answer(result: .succeeded(payload: r), seconds: seconds) }
        if case .string(let t)? = a["errorType"] {
            var payload: [String: JSONValue] = ["errorType": .string(t)]
            if let m = a["errorMessage"] { payload["errorMessage"] = m }
            return Answer(result: .functionError(payload: .object(payload)), seconds: seconds)
        }
        if case .string(let n)? = a["serviceError"], case .string(let m)? = a["message"] {
            return Answer(result: .serviceError(name: n, message: m), seconds: seconds)
        }
        return Answer(result: nil, seconds: seconds)
    }

    func invoke(_ invocation: TaskInvocation) async -> TaskInvocationResult {
        let answers = script[invocation.functionName] ?? [Answer(result: nil, seconds: 0)]
        let n = served.withLock { counts in
            let n = counts[invocation.functionName, default: 0]
            counts[invocation.functionName] = n + 1
            return n
        }
        let answer = answers[min(n, answers.count - 1)]
        log.withLock {
            $0.invocations.append(invocation)
            $0.running += 1
            $0.maxRunning = max($0.maxRunning, $0.running)
        }
        defer { log.withLock { $0.running -= 1 } }
        do {
            try await clock.sleep(seconds: answer.seconds)
        } catch {
            log.withLock { $0.cancelled.append(invocation) }
            return .serviceError(name: "Test.Cancelled", message: "the test invoker saw its task cancelled")
        }
        log.withLock { $0.completed.append(invocation) }
        return answer.result ?? .succeeded(payload: invocation.payload)
    }
}

/// A clock for tests: sleeps run 2,000 times faster than real time, and `now()` is virtual time that moves only
/// by completed sleeps, so history times and Wait deadlines are exact. It remembers every sleep the interpreter asked
/// for (Wait states, retry intervals, timeouts), so tests can check backoff arithmetic exactly.
final class RecordingClock: StatesClock {
    let scaled: ScaledClock
    let start: Timestamp
    private let state = Mutex((sleeps: [Double](), virtualMilliseconds: Int64(0)))

    init(start: Timestamp, realSecondsPerSecond: Double = 0.0005) {
        self.start = start
        scaled = ScaledClock(start: start, realSecondsPerSecond: realSecondsPerSecond)
    }

    func now() -> Timestamp {
        Timestamp(epochMilliseconds: start.epochMilliseconds + state.withLock { $0.virtualMilliseconds })
    }

    func sleep(seconds: Double) async throws {
        let end = state.withLock {
            $0.sleeps.append(seconds)
            return $0.virtualMilliseconds + Int64((seconds * 1000).rounded())
        }
        try await scaled.sleep(seconds: seconds)
        state.withLock { $0.virtualMilliseconds = max($0.virtualMilliseconds, end) }
    }

    var recorded: [Double] { state.withLock { $0.sleeps } }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
