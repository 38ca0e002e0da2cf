import FnhostTraces
import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Where finished traces go: the host's bounded ``TraceStore`` and every listener (the OTLP exporter of
/// `fnhost serve`, an experiment keeping its slowest traces). A listener must not block: it is called on the
/// invocation's path.
public final class TraceRecorder: Sendable {
    public let store: TraceStore
    private let listeners = Mutex<[@Sendable (Trace) -> Void]>([])

    init(capacity: Int) { store = TraceStore(capacity: capacity) }

    /// Adds a listener for every trace recorded from now on.
    public func onTrace(_ listener: @escaping @Sendable (Trace) -> Void) {
        listeners.withLock { $0.append(listener) }
    }

    public func record(_ trace: Trace) {
        store.record(trace)
        for listener in listeners.withLock({ $0 }) { listener(trace) }
    }
}

extension FunctionHost {
    /// A new span id.
    public func newSpanID() -> SpanID { identifiers.spanID() }
    /// A new trace id, for a trace starting now.
    public func newTraceID() -> TraceID { identifiers.newTraceID() }

    /// Wall-clock now, Unix epoch ms.
    static func epochMillisecondsNow() -> Double { Date().timeIntervalSince1970 * 1000 }

    /// The trace of one invocation that started it: its spans as they are.
    func recordTrace(_ part: InvocationTrace, root: String, link: TraceLink, outcome: Trace.Outcome) {
        traces.record(
            Trace(
                id: part.traceID, root: root, trigger: link.trigger, startedAtMs: part.startedAtMs,
                durationMs: part.spans[0].durationMs, outcome: outcome, spans: part.spans))
    }

    /// A request refused before it reached a worker (throttled, unknown): one span, for the trace list.
    func refusedTrace(
        _ function: String, link: TraceLink, traceID: TraceID, spanID: SpanID, startedAtMs: Double, waitedMs: Double,
        outcome: Trace.Outcome, reason: String
    ) -> InvocationTrace {
        let span = Span(
            id: spanID, parent: link.parent, name: function, kind: link.recordsTrace ? .request : .call,
            function: function, startMs: 0, durationMs: waitedMs, timing: .measured,
            attributes: ["fnhost.outcome": outcome.rawValue, "fnhost.reason": reason])
        let part = InvocationTrace(traceID: traceID, startedAtMs: startedAtMs, spans: [span])
        if link.recordsTrace { recordTrace(part, root: function, link: link, outcome: outcome) }
        return part
    }
}
