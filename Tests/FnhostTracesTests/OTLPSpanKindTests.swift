import Testing

@testable import FnhostTraces

@Suite struct OTLPSpanKindTests {
    private func span(_ kind: Span.Kind) -> Span {
        Span(
            id: SpanID(1)!, parent: nil, name: kind.rawValue, kind: kind, function: "f", startMs: 0, durationMs: 1,
            timing: .measured)
    }

    @Test func aRequestIsServerACallClientABatchConsumerTheRestInternal() {
        #expect(OTLPEncoding.kind(span(.request)) == 2)
        #expect(OTLPEncoding.kind(span(.call)) == 3)
        #expect(OTLPEncoding.kind(span(.batch)) == 5)
        for kind in [Span.Kind.overhead, .coldStart, .worker, .cache, .transition, .function] {
            #expect(OTLPEncoding.kind(span(kind)) == 1, "\(kind)")
        }
    }
}
