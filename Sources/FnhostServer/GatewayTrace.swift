import FnhostHost
import FnhostTraces

/// The trace of one gateway request: its own span (the root of fnhost's part, a child of the caller's span when a
/// `traceparent` or `X-Amzn-Trace-Id` came with it), the simulated gateway hop, then the invocation's spans.
struct GatewayTrace: Sendable {
    var traceID: TraceID
    var requestSpan: SpanID
    var callerSpan: SpanID?
    var startedAtMs: Double
    var started: ContinuousClock.Instant

    func finished(
        routeKey: String, function: String, requestID: String, gatewayMs: Double, invocation: [Span],
        latencyMs: Double, outcome: Trace.Outcome, newID: () -> SpanID
    ) -> Trace {
        let total = gatewayMs + latencyMs
        var spans = [
            Span(
                id: requestSpan, parent: callerSpan, name: routeKey, kind: .request, function: function, startMs: 0,
                durationMs: total, timing: .measured,
                attributes: [
                    "http.route": routeKey, "apigw.requestId": requestID, "fnhost.outcome": outcome.rawValue,
                ])
        ]
        if gatewayMs > 0 {
            spans.append(
                Span(
                    id: newID(), parent: requestSpan, name: "gateway", kind: .overhead, function: function, startMs: 0,
                    durationMs: gatewayMs, timing: .simulated))
        }
        spans += invocation.map { $0.shifted(by: gatewayMs) }
        return Trace(
            id: traceID, root: function, trigger: .gateway, startedAtMs: startedAtMs, durationMs: total,
            outcome: outcome, spans: spans)
    }
}
