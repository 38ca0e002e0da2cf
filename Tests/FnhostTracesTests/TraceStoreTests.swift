import FnhostTraces
import FnhostWire
import Testing

@Suite struct TraceStoreTests {
    static func trace(_ n: UInt64, function: String = "f", durationMs: Double = 1, spans extra: Int = 0) -> Trace {
        let root = Span(
            id: SpanID(n)!, parent: nil, name: function, kind: .request, function: function, startMs: 0,
            durationMs: durationMs, timing: .measured)
        let children = (0..<extra).map {
            Span(
                id: SpanID(1000 + UInt64($0))!, parent: root.id, name: "s\($0)", kind: .function, function: function,
                startMs: 0, durationMs: 0, timing: .measured)
        }
        return Trace(
            id: TraceID(high: n, low: n), root: function, trigger: .invoke, startedAtMs: 1_700_000_000_000,
            durationMs: durationMs, outcome: .ok, spans: [root] + children)
    }

    @Test func keepsTheLastNNewestFirst() {
        let store = TraceStore(capacity: 3)
        for n in 1...5 { store.record(Self.trace(UInt64(n))) }
        #expect(store.all().map(\.id.low) == [5, 4, 3])
        #expect(store.recordedCount == 5)
        #expect(store.trace(TraceID(high: 1, low: 1)) == nil)
        #expect(store.trace(TraceID(high: 4, low: 4))?.id.low == 4)
    }

    @Test func filtersByFunctionAndSortsSlowestFirst() {
        let store = TraceStore(capacity: 10)
        store.record(Self.trace(1, function: "a", durationMs: 5))
        store.record(Self.trace(2, function: "b", durationMs: 50))
        store.record(Self.trace(3, function: "a", durationMs: 9))
        store.record(Self.trace(4, function: "a", durationMs: 1))
        #expect(store.query(function: "a", limit: 2, slowest: true).map(\.id.low) == [3, 1])
        #expect(store.query(function: "a").map(\.id.low) == [4, 3, 1])
        #expect(store.query(limit: 1).map(\.id.low) == [4])
    }

    @Test func boundsTheSpansOfOneTrace() {
        let store = TraceStore(capacity: 1)
        store.record(Self.trace(1, spans: Trace.maxSpans + 10))
        let kept = store.all()[0]
        #expect(kept.spans.count == Trace.maxSpans)
        #expect(kept.spans[0].attributes["fnhost.droppedSpans"] == "11")
    }

    @Test func theJSONIsTheAgreedShapeAndReadsBack() throws {
        var t = Self.trace(7, function: "org-status", durationMs: 153.2, spans: 1)
        t.startedAtMs = 1_796_068_862_123
        t.spans[1].attributes["cache.outcome"] = "hit"
        let json = t.json
        guard case .object(let o) = json else { Issue.record("not an object"); return }
        #expect(o["startedAt"] == .string("2026-11-30T20:01:02.123Z"))
        #expect(o["traceId"] == .string(t.id.xray))
        #expect(o["w3cTraceId"] == .string(t.id.w3c))
        guard case .array(let spans)? = o["spans"], case .object(let s0) = spans[0] else {
            Issue.record("no spans"); return
        }
        #expect(s0["parentSpanId"] == .null)
        #expect(
            Set(s0.keys) == [
                "spanId", "parentSpanId", "name", "kind", "function", "startMs", "durationMs", "timing", "attributes",
            ])
        #expect(try Trace(json: json) == t)
        #expect(try Trace.list(json: Trace.listJSON([t, t])).count == 2)
    }
}
