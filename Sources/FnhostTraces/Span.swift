/// One hop of a request: the simulated invoke overhead, a cold start and its parts, the worker's duration, a cache
/// tier's lookup, a call to another function, a span the function opened itself. Every span says whether its time
/// was measured or simulated, because fnhost adds seeded simulated delays on top of measured process costs.
public struct Span: Sendable, Equatable {
    /// What kind of hop a span is (the page and the waterfall colour them by kind).
    public enum Kind: String, Sendable, CaseIterable {
        case request, overhead, coldStart, worker, cache, call, transition, batch, function
    }

    /// Where a span's time comes from.
    public enum Timing: String, Sendable, CaseIterable {
        /// Measured on this machine.
        case measured
        /// Drawn from the overhead profile (seeded); the host slept it scaled by the time scale.
        case simulated
    }

    public var id: SpanID
    public var parent: SpanID?
    public var name: String
    public var kind: Kind
    /// The function the span belongs to.
    public var function: String
    /// Offset from the trace's start, ms, on Lambda's timeline (simulated delays at their simulated length).
    public var startMs: Double
    public var durationMs: Double
    public var timing: Timing
    public var attributes: [String: String]

    public init(
        id: SpanID, parent: SpanID?, name: String, kind: Kind, function: String, startMs: Double, durationMs: Double,
        timing: Timing, attributes: [String: String] = [:]
    ) {
        self.id = id
        self.parent = parent
        self.name = name
        self.kind = kind
        self.function = function
        self.startMs = startMs
        self.durationMs = durationMs
        self.timing = timing
        self.attributes = attributes
    }

    public var endMs: Double { startMs + durationMs }

    /// The same span moved `ms` later on the timeline (a callee's spans placed inside its caller's).
    public func shifted(by ms: Double) -> Span {
        var s = self
        s.startMs += ms
        return s
    }
}
