import FnhostWire
import Foundation
import Synchronization
import Testing
import Tracing

@testable import LambdaRuntime

/// A handler that opens spans through swift-distributed-tracing the way its event asks.
struct TracedHandler: LambdaHandler {
    struct Event: Decodable {
        var scenario: String
    }

    /// A span that outlives its invocation (`leftover`), ended by the next one.
    static let leftover = Mutex<(any Tracing.Span)?>(nil)

    init(context: InitContext) async throws {
        // Outside an invocation: nothing to record it in.
        withSpan("during init") { span in precondition(!span.isRecording, "a span in Init is not recorded") }
    }

    func handle(_ event: Event, context: LambdaContext) async throws -> String {
        switch event.scenario {
        case "nested":
            try await withSpan("load rules") { span in
                span.attributes["rules.count"] = 12
                span.attributes["rules.source"] = "rules.json"
                span.attributes["rules.strict"] = true
                try await withSpan("parse") { inner in
                    inner.attributes["bytes"] = 2048
                    try await Task.sleep(for: .milliseconds(2))
                }
            }
            await context.span("score") {}
        case "concurrent":
            // Two child tasks at once, each opening a span with a child of its own: every leaf keeps its branch.
            try await withSpan("fan out") { _ in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for branch in ["a", "b"] {
                        group.addTask {
                            try await withSpan("branch \(branch)") { _ in
                                try await Task.sleep(for: .milliseconds(3))
                                try await withSpan("leaf \(branch)") { _ in
                                    try await Task.sleep(for: .milliseconds(2))
                                }
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            }
        case "errors":
            do {
                try withSpan("thrown") { _ in
                    throw HandlerError(type: "RowInvalid", message: "row 17 has no id")
                }
            } catch {}
            withSpan("status") { span in span.setStatus(.init(code: .error, message: "quota exceeded")) }
            withSpan("recovered") { span in
                span.setStatus(.init(code: .ok))
                span.recordError(HandlerError(type: "Ignored", message: "an OK status is final"))
            }
        case "many":
            for i in 0..<100 { withSpan("span \(i)") { _ in } }
        case "leave-open":
            let span = InstrumentationSystem.tracer.startSpan("left open")
            Self.leftover.withLock { $0 = span }
        case "end-leftover":
            Self.leftover.withLock { $0?.end() }
            withSpan("own") { _ in }
        case "fails":
            try withSpan("doomed") { span in
                span.attributes["attempt"] = 1
                throw HandlerError(type: "Doomed", message: "as asked")
            }
        default:
            break
        }
        return event.scenario
    }
}

@Suite("Function spans through swift-distributed-tracing, in-process against a Runtime API")
struct FunctionTracerTests {
    /// The spans each answer carried, parsed with the host's own parser (nil: no header).
    static func run(_ scenarios: [String]) async throws -> [FunctionSpans?] {
        let api = try RuntimeAPIStub(
            events: scenarios.enumerated().map {
                .init(requestID: "r\($0.offset)", body: #"{"scenario":"\#($0.element)"}"#)
            })
        defer { api.stop() }
        let ending = await LambdaRuntimeLoop.run(TracedHandler.self, environment: api.environment())
        #expect(ending == .hostGone)
        let posts = api.posts
        try #require(posts.count == scenarios.count)
        return try posts.map { post in
            try post.headers[FunctionSpans.annotationKey].map { try FunctionSpans(parsing: $0) }
        }
    }

    @Test("the runtime loop bootstraps FunctionTracer: withSpan needs no setup in a function")
    func bootstrapped() async throws {
        _ = try await Self.run(["none"])
        #expect(FunctionTracer.isBootstrapped)
        #expect(InstrumentationSystem.tracer is FunctionTracer)
    }

    @Test("nested withSpan calls arrive with their parent, in the order opened, with attributes as text")
    func nestedSpansKeepParentsAndAttributes() async throws {
        let spans = try #require(try await Self.run(["nested"])[0])
        #expect(spans.entries.map(\.name) == ["load rules", "parse", "score"])
        let load = spans.entries[0]
        let parse = spans.entries[1]
        #expect(load.parent == nil && parse.parent == 0 && spans.entries[2].parent == nil)
        #expect(load.attributes == ["rules.count": "12", "rules.source": "rules.json", "rules.strict": "true"])
        #expect(parse.attributes == ["bytes": "2048"])
        #expect(parse.durationMs >= 2, "the sleep inside it: \(parse)")
        #expect(
            parse.startMs >= load.startMs && parse.startMs + parse.durationMs <= load.startMs + load.durationMs + 0.01)
        #expect(spans.entries.allSatisfy { $0.error == nil })
    }

    @Test("spans opened by concurrent child tasks keep the parent that was current when each task started")
    func concurrentChildTasksKeepTheirParents() async throws {
        let spans = try #require(try await Self.run(["concurrent"])[0])
        let byName = Dictionary(uniqueKeysWithValues: spans.entries.enumerated().map { ($0.element.name, $0.offset) })
        let fanOut = try #require(byName["fan out"])
        for branch in ["a", "b"] {
            let b = try #require(byName["branch \(branch)"])
            let leaf = try #require(byName["leaf \(branch)"])
            #expect(spans.entries[b].parent == fanOut)
            #expect(spans.entries[leaf].parent == b, "leaf \(branch) under branch \(branch): \(spans.entries)")
        }
        #expect(spans.entries[fanOut].parent == nil)
    }

    @Test("a thrown error, an error status and an OK status each show on their span")
    func errorsAndStatus() async throws {
        let spans = try #require(try await Self.run(["errors"])[0])
        #expect(spans.entries.map(\.name) == ["thrown", "status", "recovered"])
        #expect(spans.entries[0].error == "RowInvalid: row 17 has no id")
        #expect(spans.entries[1].error == "quota exceeded")
        #expect(spans.entries[2].error == nil)
    }

    @Test("a failed invocation still sends its spans, the failing one with its error")
    func failedInvocationSendsItsSpans() async throws {
        let spans = try #require(try await Self.run(["fails"])[0])
        #expect(spans.entries.count == 1)
        #expect(spans.entries[0].error == "Doomed: as asked" && spans.entries[0].attributes == ["attempt": "1"])
    }

    @Test("at most maxEntries spans per invocation are kept, the first ones")
    func spansAreBounded() async throws {
        let spans = try #require(try await Self.run(["many"])[0])
        #expect(spans.entries.count == FunctionSpans.maxEntries)
        #expect(spans.entries.last?.name == "span \(FunctionSpans.maxEntries - 1)")
    }

    @Test(
        "a span still open at the answer is sent as unfinished, and ending it later does not touch the next invocation")
    func aSpanThatOutlivesItsInvocation() async throws {
        let answers = try await Self.run(["leave-open", "end-leftover", "none"])
        let first = try #require(answers[0])
        #expect(first.entries.map(\.name) == ["left open"])
        #expect(first.entries[0].attributes[FunctionSpanLog.unfinishedAttribute] == "true")
        let second = try #require(answers[1])
        #expect(second.entries.map(\.name) == ["own"], "the leftover ended in invocation 2 is not one of its spans")
        #expect(answers[2] == nil, "an invocation that opens no span sends no header")
    }
}
