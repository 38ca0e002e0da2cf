import FnhostStates
import FnhostTraces
import FnhostWire

/// One state machine execution as one trace (trigger `state-machine`), assembled without I/O from the execution's
/// history and what was measured while it ran, so that its layout is tested on synthetic histories.
///
/// The root span is the execution; each state entered is a span (kind `transition`) under it, or under its Parallel
/// branch's or Map iteration's span; a state's simulated transition delay, a Wait and a retry interval are its
/// children, and each task invocation's spans hang below its Task state's span.
///
/// **Timeline.** Spans lie on Lambda's timeline, as every fnhost trace: simulated delays at their simulated length.
/// Each event's offset is its real offset from the execution's start, read on a monotonic clock when it was written
/// (``realTimes``; the history's own timestamp where none was read, as for the events before a restart), plus what
/// the simulated sleeps on its path lacked in real time (simulated length − real sleep: the profile's transition
/// delays, the host's simulated overheads inside an invocation, Wait states, retry intervals and timeouts, which the
/// host sleeps scaled by `--time-scale`). At time scale 1 nothing is added: the layout is the history's timeline. A
/// Parallel or Map joins at its latest branch on that timeline.
public struct ExecutionTrace: Sendable {
    /// The profile's delay before a state was entered: the entry of `stateName` after event `previousEventId`.
    public struct Transition: Sendable, Equatable {
        public var stateName: String
        public var previousEventId: Int
        /// Its simulated length, and what was slept for it (simulated × time scale).
        public var simulatedMs: Double
        public var realMs: Double

        public init(stateName: String, previousEventId: Int, simulatedMs: Double, realMs: Double) {
            self.stateName = stateName
            self.previousEventId = previousEventId
            self.simulatedMs = simulatedMs
            self.realMs = realMs
        }
    }

    /// A sleep of the execution's clock that ran to its end (a Wait state, a retry interval, a timeout that fired):
    /// when it ran on the monotonic clock, and its simulated length against what was slept.
    public struct Sleep: Sendable, Equatable {
        public var realStartMs: Double
        public var realEndMs: Double
        public var simulatedMs: Double
        public var realMs: Double

        public init(realStartMs: Double, realEndMs: Double, simulatedMs: Double, realMs: Double) {
            self.realStartMs = realStartMs
            self.realEndMs = realEndMs
            self.simulatedMs = simulatedMs
            self.realMs = realMs
        }
    }

    /// One task invocation: its state entry and attempt, when it ran on the monotonic clock, its spans (its own first,
    /// at offset 0, as the host made them), and what its simulated delays lacked in real time.
    public struct Invocation: Sendable, Equatable {
        public var stateEnteredEventId: Int
        public var attempt: Int
        public var function: String
        public var realStartMs: Double
        public var realEndMs: Double
        /// Empty when the invocation never reached a worker (``error`` says why).
        public var spans: [Span]
        /// Simulated time inside the invocation minus what the host slept for it.
        public var stretchMs: Double
        public var error: String?

        public init(
            stateEnteredEventId: Int, attempt: Int, function: String, realStartMs: Double, realEndMs: Double,
            spans: [Span], stretchMs: Double, error: String? = nil
        ) {
            self.stateEnteredEventId = stateEnteredEventId
            self.attempt = attempt
            self.function = function
            self.realStartMs = realStartMs
            self.realEndMs = realEndMs
            self.spans = spans
            self.stretchMs = stretchMs
            self.error = error
        }
    }

    public var identity: ExecutionIdentity
    public var type: StateMachineType
    public var traceID: TraceID
    public var rootSpanID: SpanID
    /// The span ids already handed out for state entries (by `…StateEntered` event id): the invocations' parents.
    public var stateSpanIDs: [Int: SpanID]
    public var events: [HistoryEvent]
    /// Real ms from the execution's start at which each event was written, by event id.
    public var realTimes: [Int: Double]
    public var transitions: [Transition]
    public var sleeps: [Sleep]
    public var invocations: [Invocation]
    /// Real seconds per simulated second (`--time-scale`), an attribute of the root span.
    public var timeScale: Double
    /// Numbers a Parallel's branches as the definition orders them (in order of start without it).
    public var definition: StateMachineDefinition?

    public init(
        identity: ExecutionIdentity, type: StateMachineType, traceID: TraceID, rootSpanID: SpanID,
        stateSpanIDs: [Int: SpanID] = [:], events: [HistoryEvent], realTimes: [Int: Double] = [:],
        transitions: [Transition] = [], sleeps: [Sleep] = [], invocations: [Invocation] = [], timeScale: Double = 1,
        definition: StateMachineDefinition? = nil
    ) {
        self.identity = identity
        self.type = type
        self.traceID = traceID
        self.rootSpanID = rootSpanID
        self.stateSpanIDs = stateSpanIDs
        self.events = events
        self.realTimes = realTimes
        self.transitions = transitions
        self.sleeps = sleeps
        self.invocations = invocations
        self.timeScale = timeScale
        self.definition = definition
    }

    /// The execution's status from its closing event (`RUNNING` when it has none).
    public var status: String {
        for event in events.reversed() {
            switch event.type {
            case "ExecutionSucceeded": return "SUCCEEDED"
            case "ExecutionFailed": return "FAILED"
            case "ExecutionTimedOut": return "TIMED_OUT"
            case "ExecutionAborted": return "ABORTED"
            default: continue
            }
        }
        return "RUNNING"
    }

    /// The trace's outcome: ok (SUCCEEDED), timeout (TIMED_OUT), error (FAILED, ABORTED).
    public var outcome: Trace.Outcome {
        switch status {
        case "SUCCEEDED", "RUNNING": .ok
        case "TIMED_OUT": .timeout
        default: .error
        }
    }
}
