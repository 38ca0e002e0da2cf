import FnhostStates
import FnhostTraces
import FnhostWire
import Synchronization

/// What one running execution's trace needs, gathered while it runs: when each history event was written (on a
/// monotonic clock), the transition delays, the clock's sleeps and the task invocations with their spans. The
/// service sets it as ``current`` (a task local, so Parallel branches and Map iterations see it) around the run; the
/// task invoker and the transition pacer report to it, and the invoker asks it for the Task state's span id before
/// the invocation is sent (the worker's `Lambda-Runtime-Trace-Id` names that span as its parent).
public final class ExecutionTraceCollector: Sendable {
    @TaskLocal public static var current: ExecutionTraceCollector?

    public let traceID: TraceID
    public let rootSpanID: SpanID
    private let origin = ContinuousClock.now
    private let offsetMs: Double

    private struct Gathered {
        var realTimes: [Int: Double] = [:]
        var spanIDs: [Int: SpanID] = [:]
        var transitions: [ExecutionTrace.Transition] = []
        var sleeps: [ExecutionTrace.Sleep] = []
        var invocations: [ExecutionTrace.Invocation] = []
        var random = SystemRandomNumberGenerator()
    }
    private let gathered = Mutex(Gathered())

    /// - Parameters:
    ///   - startTime: the execution's start (the trace id's time).
    ///   - offsetMs: where this collector's clock starts on the execution's timeline: 0 for a new execution, the
    ///     history's last offset for one resumed after a restart.
    public init(startTime: Timestamp, offsetMs: Double = 0) {
        var random = SystemRandomNumberGenerator()
        traceID = TraceID.random(
            epochSeconds: UInt32(clamping: max(0, startTime.epochMilliseconds / 1000)), using: &random)
        rootSpanID = SpanID.random(using: &random)
        self.offsetMs = offsetMs
    }

    /// Real ms on the execution's timeline, now.
    public func now() -> Double { offsetMs + (ContinuousClock.now - origin).inMilliseconds }

    /// Notes when an event was written (call it from the execution's observer).
    public func observe(_ progress: ExecutionProgress) {
        guard case .event(let event) = progress else { return }
        let at = now()
        gathered.withLock { $0.realTimes[event.id] = at }
    }

    /// The span id of the state entry whose `…StateEntered` event is `eventId` (the same id on every call).
    public func stateSpanID(entered eventId: Int) -> SpanID {
        gathered.withLock { g in
            if let id = g.spanIDs[eventId] { return id }
            let id = SpanID.random(using: &g.random)
            g.spanIDs[eventId] = id
            return id
        }
    }

    /// A new span id.
    public func newSpanID() -> SpanID { gathered.withLock { SpanID.random(using: &$0.random) } }

    public func transition(_ transition: ExecutionTrace.Transition) {
        gathered.withLock { $0.transitions.append(transition) }
    }

    public func sleep(_ sleep: ExecutionTrace.Sleep) { gathered.withLock { $0.sleeps.append(sleep) } }

    public func invocation(_ invocation: ExecutionTrace.Invocation) {
        gathered.withLock { $0.invocations.append(invocation) }
    }

    /// The execution's trace from `events` (the whole history) and what was gathered.
    public func trace(
        identity: ExecutionIdentity, type: StateMachineType, events: [HistoryEvent], timeScale: Double,
        definition: StateMachineDefinition?
    ) -> Trace {
        let g = gathered.withLock { $0 }
        let assembly = ExecutionTrace(
            identity: identity, type: type, traceID: traceID, rootSpanID: rootSpanID, stateSpanIDs: g.spanIDs,
            events: events, realTimes: g.realTimes, transitions: g.transitions, sleeps: g.sleeps,
            invocations: g.invocations, timeScale: timeScale, definition: definition)
        return assembly.trace(newID: newSpanID)
    }
}

/// The execution's clock, with each sleep that runs to its end told to the collector (a Wait, a retry interval, a
/// timeout that fired), so that the trace puts it back at its simulated length.
public struct TracedClock: StatesClock {
    public let base: ScaledClock
    public let collector: ExecutionTraceCollector

    public init(base: ScaledClock, collector: ExecutionTraceCollector) {
        self.base = base
        self.collector = collector
    }

    public func now() -> Timestamp { base.now() }

    public func sleep(seconds: Double) async throws {
        let start = collector.now()
        try await base.sleep(seconds: seconds)
        guard seconds > 0 else { return }
        let simulatedMs = seconds * 1000
        collector.sleep(
            ExecutionTrace.Sleep(
                realStartMs: start, realEndMs: collector.now(), simulatedMs: simulatedMs,
                realMs: min(seconds * base.realSecondsPerSecond, 1e9) * 1000))
    }
}
