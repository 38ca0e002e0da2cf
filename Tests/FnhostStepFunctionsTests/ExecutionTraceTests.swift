import FnhostStates
import FnhostStepFunctions
import FnhostTraces
import FnhostWire
import Testing

/// Writes a synthetic history: each event with its predecessor, its details and the real ms it was written at.
struct HistoryBuilder {
    var events: [HistoryEvent] = []
    var realTimes: [Int: Double] = [:]
    let start = Timestamp(epochMilliseconds: 1_800_000_000_000)

    @discardableResult
    mutating func add(_ type: String, after previous: Int, at ms: Double, _ details: [String: JSONValue]? = nil) -> Int
    {
        let id = events.count + 1
        let field: String? =
            details == nil ? nil : type.hasSuffix("StateEntered") ? "stateEnteredEventDetails" : "details"
        events.append(
            HistoryEvent(
                id: id, previousEventId: previous, timestamp: start.adding(seconds: ms / 1000), type: type,
                detailsField: field, details: details.map(JSONValue.object)))
        realTimes[id] = ms
        return id
    }

    mutating func enter(_ type: String, _ name: String, after previous: Int, at ms: Double) -> Int {
        add("\(type)StateEntered", after: previous, at: ms, ["name": .string(name)])
    }

    var identity: ExecutionIdentity {
        ExecutionIdentity(
            executionArn: "arn:aws:states:us-east-1:000000000000:execution:m:e", name: "e",
            stateMachineArn: "arn:aws:states:us-east-1:000000000000:stateMachine:m", stateMachineName: "m",
            roleArn: "arn:aws:iam::000000000000:role/fnhost", startTime: start, input: .object([:]))
    }
}

/// Hands out span ids 101, 102, 103… (a test's ids are readable).
final class Counter {
    var next: UInt64 = 100
    func id() -> SpanID {
        next += 1
        return SpanID(next)!
    }
}

@Suite struct ExecutionTraceTests {
    static let traceID = TraceID(high: 0x6900_0000_0000_0001, low: 2)
    static let rootID = SpanID(1)!

    /// An invocation's own spans as the host makes them: the invocation, then its duration.
    static func invocationSpans(_ function: String, id: UInt64, latencyMs: Double, overheadMs: Double) -> [Span] {
        [
            Span(
                id: SpanID(id)!, parent: nil, name: function, kind: .call, function: function, startMs: 0,
                durationMs: latencyMs, timing: .measured, attributes: ["requestId": "r\(id)"]),
            Span(
                id: SpanID(id + 1)!, parent: SpanID(id)!, name: "invoke overhead", kind: .overhead,
                function: function, startMs: 0, durationMs: overheadMs, timing: .simulated),
            Span(
                id: SpanID(id + 2)!, parent: SpanID(id)!, name: "duration", kind: .worker, function: function,
                startMs: overheadMs, durationMs: latencyMs - overheadMs, timing: .measured),
        ]
    }

    func build(
        _ h: HistoryBuilder, transitions: [ExecutionTrace.Transition] = [], sleeps: [ExecutionTrace.Sleep] = [],
        invocations: [ExecutionTrace.Invocation] = [], scale: Double = 1, definition: String? = nil,
        spanIDs: [Int: SpanID] = [:]
    ) throws -> Trace {
        let counter = Counter()
        return ExecutionTrace(
            identity: h.identity, type: .standard, traceID: Self.traceID, rootSpanID: Self.rootID,
            stateSpanIDs: spanIDs, events: h.events, realTimes: h.realTimes, transitions: transitions,
            sleeps: sleeps, invocations: invocations, timeScale: scale,
            definition: try definition.map { try StateMachineDefinition.parse($0) }
        ).trace(newID: counter.id)
    }

    /// Every span but the root has its parent in the trace, ids are unique, and no span lies outside the root.
    func expectWellFormed(_ trace: Trace, sourceLocation: SourceLocation = #_sourceLocation) {
        let ids = Set(trace.spans.map(\.id))
        #expect(ids.count == trace.spans.count, "unique span ids", sourceLocation: sourceLocation)
        #expect(trace.spans[0].parent == nil && trace.spans[0].id == Self.rootID, sourceLocation: sourceLocation)
        for span in trace.spans.dropFirst() {
            #expect(
                span.parent.map(ids.contains) == true, "\(span.name) has its parent", sourceLocation: sourceLocation)
            #expect(
                span.endMs <= trace.durationMs + 1e-9, "\(span.name) inside the execution",
                sourceLocation: sourceLocation)
        }
    }

    func span(_ trace: Trace, _ name: String) throws -> Span {
        try #require(trace.spans.first { $0.name == name }, "a span \(name)")
    }

    @Test("A Task with a retry: its transition, two attempts each below the state at its offset, the retry interval")
    func taskWithRetry() throws {
        var h = HistoryBuilder()
        let started = h.add("ExecutionStarted", after: 0, at: 0)
        let entered = h.enter("Task", "Call", after: started, at: 10)
        let s1 = h.add("LambdaFunctionScheduled", after: entered, at: 11, ["resource": .string("fn")])
        let st1 = h.add("LambdaFunctionStarted", after: s1, at: 11)
        let f1 = h.add("LambdaFunctionFailed", after: st1, at: 23)
        let s2 = h.add("LambdaFunctionScheduled", after: f1, at: 1025, ["resource": .string("fn")])
        let st2 = h.add("LambdaFunctionStarted", after: s2, at: 1025)
        let ok = h.add("LambdaFunctionSucceeded", after: st2, at: 1037)
        let exited = h.add("TaskStateExited", after: ok, at: 1038)
        h.add("ExecutionSucceeded", after: exited, at: 1039)
        let stateID = SpanID(77)!
        let trace = try build(
            h, transitions: [.init(stateName: "Call", previousEventId: started, simulatedMs: 10, realMs: 10)],
            sleeps: [.init(realStartMs: 24, realEndMs: 1024, simulatedMs: 1000, realMs: 1000)],
            invocations: [
                .init(
                    stateEnteredEventId: entered, attempt: 1, function: "fn", realStartMs: 12, realEndMs: 22,
                    spans: Self.invocationSpans("fn", id: 10, latencyMs: 10, overheadMs: 2), stretchMs: 0),
                .init(
                    stateEnteredEventId: entered, attempt: 2, function: "fn", realStartMs: 1026, realEndMs: 1036,
                    spans: Self.invocationSpans("fn", id: 20, latencyMs: 10, overheadMs: 2), stretchMs: 0),
            ], spanIDs: [entered: stateID])
        expectWellFormed(trace)
        #expect(trace.trigger == .stateMachine && trace.root == "m" && trace.outcome == .ok)
        #expect(trace.durationMs == 1039)
        let state = try span(trace, "Call")
        #expect(state.id == stateID, "the id handed to the invoker before it sent the invocation")
        #expect(state.kind == .transition && state.parent == Self.rootID)
        #expect(state.startMs == 0 && state.durationMs == 1038, "from its transition to its exit")
        #expect(state.attributes["state.type"] == "Task" && state.attributes["state.resource"] == "fn")
        #expect(state.attributes["state.attempts"] == "2" && state.attributes["fnhost.outcome"] == "ok")
        let transition = try span(trace, "state transition")
        #expect(transition.parent == stateID && transition.timing == .simulated)
        #expect(transition.startMs == 0 && transition.durationMs == 10)
        let attempts = trace.spans.filter { $0.function == "fn" && $0.kind == .call }
        #expect(attempts.map(\.parent) == [stateID, stateID], "re-parented to the Task state's span")
        #expect(attempts.map(\.startMs) == [12, 1026])
        #expect(attempts.map { $0.attributes["state.attempt"] } == ["1", "2"])
        let durations = trace.spans.filter { $0.name == "duration" }
        #expect(durations.map(\.parent) == [SpanID(10)!, SpanID(20)!], "nested spans keep their parents")
        #expect(durations.map(\.startMs) == [14, 1028], "shifted with their invocation")
        let retry = try span(trace, "retry interval")
        #expect(retry.parent == stateID && retry.startMs == 23 && retry.durationMs == 1002)
        #expect(retry.timing == .measured, "at time scale 1 the interval was really waited")
    }

    @Test("A Parallel of three Tasks: branches numbered as defined, each Task in its branch, the join at the latest")
    func parallelOfThreeTasks() throws {
        var h = HistoryBuilder()
        let started = h.add("ExecutionStarted", after: 0, at: 0)
        let p = h.enter("Parallel", "Checks", after: started, at: 1)
        let ps = h.add("ParallelStateStarted", after: p, at: 2)
        var entries: [String: Int] = [:]
        var lasts: [Int] = []
        // At time scale 0.1: B's invocation holds 90 ms of simulated time it slept 9 ms for.
        for (name, ms) in [("A", 10.0), ("B", 20.0), ("C", 15.0)] {
            let e = h.enter("Task", name, after: ps, at: 3)
            entries[name] = e
            let s = h.add("LambdaFunctionScheduled", after: e, at: 3, ["resource": .string(name.lowercased())])
            let st = h.add("LambdaFunctionStarted", after: s, at: 3)
            let done = h.add("LambdaFunctionSucceeded", after: st, at: 4 + ms)
            lasts.append(h.add("TaskStateExited", after: done, at: 5 + ms))
        }
        let joined = h.add("ParallelStateSucceeded", after: lasts.max()!, at: 26)
        let exited = h.add("ParallelStateExited", after: joined, at: 27)
        h.add("ExecutionSucceeded", after: exited, at: 28)
        let invocations = [("A", 10.0, 0.0), ("B", 20.0, 90.0), ("C", 15.0, 0.0)].enumerated().map { i, t in
            ExecutionTrace.Invocation(
                stateEnteredEventId: entries[t.0]!, attempt: 1, function: t.0.lowercased(), realStartMs: 3.5,
                realEndMs: 3.5 + t.1,
                spans: Self.invocationSpans(
                    t.0.lowercased(), id: UInt64(10 * (i + 1)), latencyMs: t.1 + t.2, overheadMs: 1),
                stretchMs: t.2)
        }
        let definition = #"""
            {"StartAt": "Checks", "States": {"Checks": {"Type": "Parallel", "End": true, "Branches": [
              {"StartAt": "C", "States": {"C": {"Type": "Task", "Resource": "c", "End": true}}},
              {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "a", "End": true}}},
              {"StartAt": "B", "States": {"B": {"Type": "Task", "Resource": "b", "End": true}}}]}}}
            """#
        let trace = try build(h, invocations: invocations, scale: 0.1, definition: definition)
        expectWellFormed(trace)
        let parallel = try span(trace, "Checks")
        #expect(parallel.attributes["state.type"] == "Parallel")
        let branches = trace.spans.filter { $0.name.hasPrefix("branch ") }
        #expect(branches.count == 3 && branches.allSatisfy { $0.parent == parallel.id })
        for (name, number) in [("C", 1), ("A", 2), ("B", 3)] {
            let task = try span(trace, name)
            #expect(
                trace.spans.first { $0.id == task.parent }?.name == "branch \(number)",
                "\(name) is in branch \(number), as the definition orders them")
            let invocation = try #require(trace.spans.first { $0.function == name.lowercased() && $0.kind == .call })
            #expect(invocation.parent == task.id && invocation.startMs == 3.5)
        }
        // B ends on Lambda's timeline at 3.5 + 110 ms; the join and all after it follow.
        let b = try span(trace, "B")
        #expect(b.endMs == 25 + 90, "B's exit: its real offset plus its invocation's simulated remainder")
        #expect(parallel.endMs == 27 + 90, "the Parallel exits after its latest branch")
        #expect(trace.durationMs == 28 + 90)
        #expect(try span(trace, "A").endMs == 15, "A is not stretched by B's simulated time")
        #expect(trace.spans[0].attributes["fnhost.timeScale"] == "0.1")
    }

    @Test("A Map: one span per iteration (by index) under the Map state, its states inside")
    func mapIterations() throws {
        var h = HistoryBuilder()
        let started = h.add("ExecutionStarted", after: 0, at: 0)
        let m = h.enter("Map", "Each", after: started, at: 1)
        let ms = h.add("MapStateStarted", after: m, at: 2, ["length": .number(2)])
        var lasts: [Int] = []
        for i in 0..<2 {
            let it = h.add(
                "MapIterationStarted", after: ms, at: 3, ["name": .string("Each"), "index": .number(Double(i))])
            let e = h.enter("Pass", "Shape", after: it, at: 4 + Double(i))
            let x = h.add("PassStateExited", after: e, at: 5 + Double(i))
            lasts.append(h.add("MapIterationSucceeded", after: x, at: 6 + Double(i), ["index": .number(Double(i))]))
        }
        let joined = h.add("MapStateSucceeded", after: lasts.max()!, at: 8)
        let exited = h.add("MapStateExited", after: joined, at: 9)
        h.add("ExecutionSucceeded", after: exited, at: 10)
        let trace = try build(h)
        expectWellFormed(trace)
        let map = try span(trace, "Each")
        let iterations = trace.spans.filter { $0.name.hasPrefix("iteration ") }
        #expect(iterations.map(\.name) == ["iteration 0", "iteration 1"])
        #expect(iterations.allSatisfy { $0.parent == map.id })
        let shapes = trace.spans.filter { $0.name == "Shape" }
        #expect(shapes.map(\.parent) == iterations.map(\.id), "each iteration's state inside its iteration")
        #expect(shapes.map(\.startMs) == [4, 5])
        #expect(iterations[1].startMs == 3 && iterations[1].endMs == 7)
        #expect(map.startMs == 1 && map.endMs == 9)
    }

    @Test("A Wait at time scale 0.001 lasts its full length on the timeline, marked simulated")
    func waitAtFullLength() throws {
        var h = HistoryBuilder()
        let started = h.add("ExecutionStarted", after: 0, at: 0)
        let w = h.enter("Wait", "Pause", after: started, at: 1)
        let x = h.add("WaitStateExited", after: w, at: 13)
        h.add("ExecutionSucceeded", after: x, at: 14)
        let trace = try build(
            h, sleeps: [.init(realStartMs: 2, realEndMs: 12, simulatedMs: 10_000, realMs: 10)], scale: 0.001)
        expectWellFormed(trace)
        let wait = try span(trace, "wait")
        #expect(wait.timing == .simulated && wait.startMs == 1 && wait.durationMs == 12 + 9990)
        #expect(try span(trace, "Pause").endMs == 13 + 9990)
        #expect(trace.durationMs == 14 + 9990)
    }

    @Test("A failed execution is an error; the failing state's span says so and ends at its failure")
    func failedExecution() throws {
        var h = HistoryBuilder()
        let started = h.add("ExecutionStarted", after: 0, at: 0)
        let t = h.enter("Task", "Call", after: started, at: 1)
        let s = h.add("LambdaFunctionScheduled", after: t, at: 2, ["resource": .string("fn")])
        let st = h.add("LambdaFunctionStarted", after: s, at: 2)
        let f = h.add("LambdaFunctionFailed", after: st, at: 9)
        h.add("ExecutionFailed", after: f, at: 10, ["error": .string("Boom")])
        let trace = try build(
            h,
            invocations: [
                .init(
                    stateEnteredEventId: t, attempt: 1, function: "fn", realStartMs: 3, realEndMs: 8, spans: [],
                    stretchMs: 0, error: "Lambda.ResourceNotFoundException: no function fn")
            ])
        expectWellFormed(trace)
        #expect(trace.outcome == .error)
        #expect(trace.spans[0].attributes["status"] == "FAILED")
        let call = try span(trace, "Call")
        #expect(call.attributes["fnhost.outcome"] == "error" && call.endMs == 9)
        let refused = try #require(trace.spans.first { $0.function == "fn" })
        #expect(refused.kind == .call && refused.parent == call.id && refused.startMs == 3 && refused.durationMs == 5)
        #expect(refused.attributes["fnhost.reason"]?.contains("ResourceNotFound") == true)

        var timedOut = HistoryBuilder()
        let begun = timedOut.add("ExecutionStarted", after: 0, at: 0)
        timedOut.add("ExecutionTimedOut", after: begun, at: 5)
        #expect(try build(timedOut).outcome == .timeout)
    }

    @Test("A Choice then a Succeed: each state entered is a span in order, with its type")
    func choice() throws {
        var h = HistoryBuilder()
        let started = h.add("ExecutionStarted", after: 0, at: 0)
        let c = h.enter("Choice", "Route", after: started, at: 1)
        let cx = h.add("ChoiceStateExited", after: c, at: 2)
        let s = h.enter("Succeed", "Yes", after: cx, at: 3)
        let sx = h.add("SucceedStateExited", after: s, at: 4)
        h.add("ExecutionSucceeded", after: sx, at: 5)
        let trace = try build(h)
        expectWellFormed(trace)
        let states = trace.spans.filter { $0.kind == .transition }
        #expect(states.map(\.name) == ["Route", "Yes"])
        #expect(states.map { $0.attributes["state.type"] } == ["Choice", "Succeed"])
        #expect(states.map(\.startMs) == [1, 3] && states.map(\.durationMs) == [1, 1])
        #expect(states.allSatisfy { $0.parent == Self.rootID && $0.timing == .measured })
    }

    @Test("A huge execution keeps at most Trace.maxSpans spans, every kept parent among them")
    func hugeExecutionIsBounded() throws {
        var h = HistoryBuilder()
        var last = h.add("ExecutionStarted", after: 0, at: 0)
        for i in 0..<600 {
            let e = h.enter("Pass", "P\(i)", after: last, at: Double(i))
            last = h.add("PassStateExited", after: e, at: Double(i) + 0.5)
        }
        h.add("ExecutionSucceeded", after: last, at: 700)
        let trace = try build(h)
        #expect(trace.spans.count == Trace.maxSpans)
        #expect(trace.spans[0].attributes["fnhost.droppedSpans"] == "89")
        expectWellFormed(trace)
    }
}
