import FnhostTraces
import FnhostWire
import Testing

@Suite struct InvocationTimelineTests {
    final class IDs: @unchecked Sendable {
        var next: UInt64 = 100
        func id() -> SpanID {
            next += 1
            return SpanID(next)!
        }
    }

    static func timeline(cold: Bool, cache: CacheAnnotation? = nil) -> InvocationTimeline {
        InvocationTimeline(
            function: "org-status", requestID: "r1", spanID: SpanID(1)!, durationSpanID: SpanID(2)!, parent: nil,
            kind: .request, waitMs: 0.5,
            coldStart: cold
                ? .init(spawnMs: 2, initMs: 30, simulatedMs: 250, worker: "org-status-1") : nil,
            overheadMs: 12.5, durationMs: 4, latencyMs: 300, worker: "org-status-1", cache: cache,
            functionSpans: [.init(name: "score", startMs: 1, durationMs: 2)], calls: [], outcome: "ok",
            profile: "lambda")
    }

    @Test func laysOutAColdStartInTheOrderTheHostPaysIt() {
        let ids = IDs()
        let spans = Self.timeline(cold: true).spans(newID: ids.id)
        let byName = Dictionary(spans.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(spans[0].name == "org-status" && spans[0].durationMs == 300 && spans[0].parent == nil)
        #expect(byName["waiting for a worker"]?.startMs == 0)
        #expect(byName["cold start"]?.startMs == 0.5)
        #expect(byName["cold start"]?.durationMs == 282)
        #expect(byName["spawn"]?.parent == byName["cold start"]?.id)
        #expect(byName["init"]?.startMs == 2.5)
        #expect(byName["simulated cold start"]?.timing == .simulated)
        #expect(byName["invoke overhead"]?.startMs == 282.5)
        #expect(byName["invoke overhead"]?.timing == .simulated)
        #expect(byName["duration"]?.id == SpanID(2))
        #expect(byName["duration"]?.startMs == 295)
        #expect(byName["score"]?.startMs == 296)
        #expect(byName["score"]?.parent == SpanID(2))
        #expect(byName["score"]?.kind == .function)
    }

    @Test func aMissShowsEveryTierItAsked() {
        let cache = CacheAnnotation(outcome: .miss, workerMs: 0.01, sharedMs: 0.4, storeMs: 3)
        let spans = Self.timeline(cold: false, cache: cache).spans(newID: IDs().id)
        let tiers = spans.filter { $0.kind == .cache }
        #expect(tiers.map(\.name) == ["cache memory", "cache shared", "cache store"])
        #expect(tiers.map { $0.attributes["cache.outcome"] } == ["miss", "miss", "hit"])
        #expect(tiers.allSatisfy { $0.parent == SpanID(2) })
        #expect(!spans.contains { $0.name == "cold start" })
    }

    @Test func aCalleesSpansArePlacedInsideTheCallersDuration() {
        let ids = IDs()
        var callee = Self.timeline(cold: false)
        callee.function = "rules"
        callee.spanID = SpanID(50)!
        callee.durationSpanID = SpanID(51)!
        callee.kind = .call
        callee.latencyMs = 20
        let calleeSpans = callee.spans(newID: ids.id)
        var caller = Self.timeline(cold: false)
        caller.calls = [.init(offsetMs: 1.5, spans: calleeSpans)]
        let spans = caller.spans(newID: ids.id)
        let duration = spans.first { $0.name == "duration" }!
        let call = spans.first { $0.id == SpanID(50) }!
        #expect(call.parent == duration.id)
        #expect(call.startMs == duration.startMs + 1.5)
        #expect(spans.first { $0.id == SpanID(51) }!.startMs == call.startMs + 12.5 + 0.5)
        #expect(Set(spans.map(\.id)).count == spans.count)
    }

    @Test func theWaterfallMarksSimulatedTimeAndIndentsChildren() {
        let spans = Self.timeline(cold: true).spans(newID: IDs().id)
        let trace = Trace(
            id: TraceID(high: 1, low: 2), root: "org-status", trigger: .gateway, startedAtMs: 0, durationMs: 300,
            outcome: .ok, spans: spans)
        let text = Waterfall(width: 100).render(trace)
        let lines = text.split(separator: "\n")
        let overhead = lines.first { $0.contains("invoke overhead") }!
        #expect(overhead.contains("░") && !overhead.contains("█") && overhead.contains(" S "))
        let spawn = lines.first { $0.contains("spawn") }!
        #expect(spawn.hasPrefix("    spawn"))
        #expect(spawn.contains("█"))
        #expect(lines.allSatisfy { $0.count <= 100 || $0.hasPrefix("trace ") })
    }

    @Test func theWaterfallNamesTheErrorOfAFunctionsFailedSpan() {
        var spans = Self.timeline(cold: false).spans(newID: IDs().id)
        let duration = spans.first { $0.name == "duration" }!
        spans.append(
            Span(
                id: SpanID(77)!, parent: duration.id, name: "find organisation", kind: .function,
                function: "org-status",
                startMs: duration.startMs, durationMs: 1, timing: .measured,
                attributes: [Span.errorAttribute: "OrganisationNotFound"]))
        let trace = Trace(
            id: TraceID(high: 1, low: 2), root: "org-status", trigger: .invoke, startedAtMs: 0, durationMs: 300,
            outcome: .error, spans: spans)
        let line = Waterfall(width: 120).render(trace).split(separator: "\n").first { $0.contains("find organisation") }
        #expect(line?.contains("error: OrganisationNotFound") == true)
    }
}
