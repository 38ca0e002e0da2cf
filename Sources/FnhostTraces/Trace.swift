/// One request's spans, from the hop that started it (the gateway, the Invoke API, an async event…) to the last call
/// it made. Served as JSON by `fnhost serve` (`/fnhost/traces`), drawn as a waterfall by `fnhost traces` and the live
/// page, and exported over OTLP.
public struct Trace: Sendable, Equatable {
    /// What started the trace.
    public enum Trigger: String, Sendable, CaseIterable {
        case gateway, invoke, event
        case stateMachine = "state-machine"
        case queue, stream
    }

    /// How the request ended.
    public enum Outcome: String, Sendable, CaseIterable {
        case ok, error, throttled, timeout
    }

    public var id: TraceID
    /// The function (or state machine, or queue) that started it.
    public var root: String
    public var trigger: Trigger
    /// Wall-clock start, Unix epoch milliseconds.
    public var startedAtMs: Double
    /// The root span's duration: measured plus simulated, as the `REPORT` line's `fnhost Latency`.
    public var durationMs: Double
    public var outcome: Outcome
    /// The root span first; every other span's parent is in the list.
    public var spans: [Span]

    public init(
        id: TraceID, root: String, trigger: Trigger, startedAtMs: Double, durationMs: Double, outcome: Outcome,
        spans: [Span]
    ) {
        self.id = id
        self.root = root
        self.trigger = trigger
        self.startedAtMs = startedAtMs
        self.durationMs = durationMs
        self.outcome = outcome
        self.spans = spans
    }

    /// At most this many spans are kept per trace (a function that opens a span per loop iteration cannot make one
    /// trace hold the host's memory); the rest are counted in the root span's `fnhost.droppedSpans`.
    public static let maxSpans = 512

    /// The trace with at most ``maxSpans`` spans, the first ones kept (the root and the host's own come first).
    public func bounded() -> Trace {
        guard spans.count > Self.maxSpans else { return self }
        var t = self
        let dropped = spans.count - Self.maxSpans
        t.spans.removeLast(dropped)
        t.spans[0].attributes["fnhost.droppedSpans"] = String(dropped)
        return t
    }

    /// The functions the trace touched (its root first).
    public var functions: [String] {
        var seen: [String] = []
        for s in spans where !seen.contains(s.function) { seen.append(s.function) }
        return seen
    }
}
