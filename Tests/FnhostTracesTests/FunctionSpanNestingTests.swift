import FnhostTraces
import FnhostWire
import Testing

@Suite("A function's own spans in its invocation's trace: nesting, attributes, errors, OTLP status")
struct FunctionSpanNestingTests {
    final class IDs: @unchecked Sendable {
        var next: UInt64 = 100
        func id() -> SpanID {
            next += 1
            return SpanID(next)!
        }
    }

    static func spans(_ entries: [FunctionSpans.Entry]) -> [Span] {
        InvocationTimeline(
            function: "org-status", requestID: "r1", spanID: SpanID(1)!, durationSpanID: SpanID(2)!, parent: nil,
            kind: .request, waitMs: 0, coldStart: nil, overheadMs: 10, durationMs: 40, latencyMs: 50,
            worker: "org-status-1", cache: nil, functionSpans: entries, calls: [], outcome: "ok", profile: "lambda"
        ).spans(newID: IDs().id)
    }

    @Test("a span with a parent hangs under that span; the others under the duration; all measured, kind function")
    func nestedUnderTheirParents() throws {
        let spans = Self.spans([
            .init(name: "load rules", startMs: 1, durationMs: 20, attributes: ["rules.count": "12"]),
            .init(name: "parse", startMs: 2, durationMs: 5, parent: 0),
            .init(name: "row", startMs: 3, durationMs: 1, parent: 1),
            .init(name: "score", startMs: 25, durationMs: 3),
        ])
        let byName = Dictionary(uniqueKeysWithValues: spans.map { ($0.name, $0) })
        let duration = try #require(byName["duration"])
        let load = try #require(byName["load rules"])
        let parse = try #require(byName["parse"])
        #expect(load.parent == duration.id && byName["score"]?.parent == duration.id)
        #expect(parse.parent == load.id)
        #expect(byName["row"]?.parent == parse.id)
        #expect(load.attributes == ["rules.count": "12"])
        #expect(parse.startMs == duration.startMs + 2, "placed from the duration's start")
        for name in ["load rules", "parse", "row", "score"] {
            #expect(byName[name]?.kind == .function && byName[name]?.timing == .measured)
        }
    }

    @Test("a failed span carries fnhost.error (its message, or `error` without one) beside its attributes")
    func errorsAreAttributes() {
        let spans = Self.spans([
            .init(name: "thrown", startMs: 1, durationMs: 2, error: "RowInvalid: row 17", attributes: ["row": "17"]),
            .init(name: "bare", startMs: 3, durationMs: 1, error: ""),
            .init(name: "fine", startMs: 4, durationMs: 1),
        ])
        let byName = Dictionary(uniqueKeysWithValues: spans.map { ($0.name, $0) })
        #expect(byName["thrown"]?.attributes == ["row": "17", Span.errorAttribute: "RowInvalid: row 17"])
        #expect(byName["bare"]?.attributes[Span.errorAttribute] == "error")
        #expect(byName["fine"]?.attributes[Span.errorAttribute] == nil)
        #expect(byName["thrown"]?.failed == true && byName["fine"]?.failed == false)
    }

    @Test("a parent index that names no earlier entry puts the span under the duration")
    func aParentThatIsNotEarlierIsIgnored() {
        let spans = Self.spans([.init(name: "orphan", startMs: 1, durationMs: 2, parent: 5)])
        #expect(spans.first { $0.name == "orphan" }?.parent == SpanID(2))
    }

    /// OTLP's `Status` as the export writes it: field 15 of the span, holding message (2) and code (3).
    static func status(message: String?, code: UInt8) -> [UInt8] {
        var inner: [UInt8] = []
        if let message {
            inner += [0x12, UInt8(message.utf8.count)] + Array(message.utf8)
        }
        if code != 0 { inner += [0x18, code] }
        return [0x7A, UInt8(inner.count)] + inner
    }

    @Test("OTLP: a failed function span is exported with STATUS_CODE_ERROR and its message; the others unset")
    func otlpStatus() throws {
        let spans = Self.spans([
            .init(name: "thrown", startMs: 1, durationMs: 2, error: "RowInvalid: row 17"),
            .init(name: "fine", startMs: 4, durationMs: 1),
        ])
        let trace = Trace(
            id: TraceID(high: 1, low: 2), root: "org-status", trigger: .invoke, startedAtMs: 1_700_000_000_000,
            durationMs: 50, outcome: .ok, spans: spans)
        let failed = OTLPEncoding.exportRequest([
            Trace(
                id: trace.id, root: trace.root, trigger: .invoke, startedAtMs: trace.startedAtMs, durationMs: 50,
                outcome: .ok, spans: spans.filter { $0.name == "thrown" })
        ])
        let fine = OTLPEncoding.exportRequest([
            Trace(
                id: trace.id, root: trace.root, trigger: .invoke, startedAtMs: trace.startedAtMs, durationMs: 50,
                outcome: .ok, spans: spans.filter { $0.name == "fine" })
        ])
        let error = Self.status(message: "RowInvalid: row 17", code: 2)
        #expect(failed.suffix(error.count).elementsEqual(error), "the status is the span's last field")
        let unset = Self.status(message: nil, code: 0)
        #expect(fine.suffix(unset.count).elementsEqual(unset))
    }
}
