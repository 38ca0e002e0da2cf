import FnhostTraces

/// How an invocation joins a trace: the trace it belongs to (new when nil), the span it is a child of, what started
/// it, and who records the finished trace. The gateway and a worker's calls record it themselves (the invocation is
/// one part of their trace); the Invoke API and async events let `invoke` record it.
public struct TraceLink: Sendable {
    public var traceID: TraceID?
    public var parent: SpanID?
    public var trigger: Trace.Trigger
    /// Whether `invoke` stores (and exports) the finished trace itself.
    public var recordsTrace: Bool

    public init(traceID: TraceID? = nil, parent: SpanID? = nil, trigger: Trace.Trigger, recordsTrace: Bool = true) {
        self.traceID = traceID
        self.parent = parent
        self.trigger = trigger
        self.recordsTrace = recordsTrace
    }

    /// A trace of its own, started by `trigger`.
    public static func starting(_ trigger: Trace.Trigger) -> TraceLink { TraceLink(trigger: trigger) }

    /// A caller's trace headers, when they parse (a broken header starts a new trace, as X-Ray and W3C say): W3C's
    /// `traceparent` first, then `X-Amzn-Trace-Id`.
    public static func continuing(
        traceparent: String?, amznTraceID: String?, trigger: Trace.Trigger, recordsTrace: Bool = true
    ) -> TraceLink {
        if let text = traceparent, let p = try? TraceParent(parsing: text) {
            return TraceLink(traceID: p.traceID, parent: p.parent, trigger: trigger, recordsTrace: recordsTrace)
        }
        if let text = amznTraceID, let h = try? TraceHeader(parsing: text) {
            return TraceLink(traceID: h.root, parent: h.parent, trigger: trigger, recordsTrace: recordsTrace)
        }
        return TraceLink(trigger: trigger, recordsTrace: recordsTrace)
    }
}

/// An invocation's part of its trace: the trace's id and the invocation's spans, its own span first at offset 0.
public struct InvocationTrace: Sendable {
    public var traceID: TraceID
    /// Wall-clock start of the invocation, Unix epoch ms.
    public var startedAtMs: Double
    public var spans: [Span]
    /// The invocation's own span.
    public var spanID: SpanID { spans[0].id }
}
