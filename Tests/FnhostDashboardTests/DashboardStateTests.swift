import FnhostDashboard
import Testing

@Suite("Dashboard state")
struct DashboardStateTests {
    private let gauges = DashboardGauges(
        workers: ["a": .init(starting: 1, busy: 2, idle: 3, waiting: 0, reaped: 4), "quiet": .init()],
        asyncEvents: .init(queued: 5, deadLetters: 1),
        queues: [
            .init(name: "z", visible: 1, inFlight: 0, delayed: 0, isDeadLetterQueue: false),
            .init(name: "dlq", visible: 2, inFlight: 0, delayed: 0, isDeadLetterQueue: true),
        ],
        runningExecutions: ["flow": 2])

    @Test("A snapshot puts the counts of each second beside the gauges, and lists every function, even idle ones")
    func snapshotCombinesCountsAndGauges() throws {
        var state = DashboardState(windowSeconds: 5)
        for _ in 0..<3 { state.record(.invocation(function: "a", failed: false), second: 99) }
        state.record(.invocation(function: "a", failed: true), second: 99)
        state.record(.throttle(function: "a"), second: 99)
        state.record(.coldStart(function: "a"), second: 98)
        state.record(.cacheLookup(function: "a", outcome: .workerHit), second: 99)
        state.record(.cacheLookup(function: "a", outcome: .sharedHit), second: 99)
        state.record(.cacheLookup(function: "a", outcome: .miss), second: 99)
        state.record(.cacheLookup(function: "a", outcome: .miss), second: 99)
        state.record(.executionFinished(stateMachine: "flow", status: "SUCCEEDED"), second: 99)
        let snap = state.snapshot(at: 100, gauges: gauges)

        #expect(snap.functions.map(\.name) == ["a", "quiet"])
        let a = snap.functions[0]
        #expect(a.workers == .init(starting: 1, busy: 2, idle: 3, waiting: 0, reaped: 4))
        #expect(a.invocationsPerSecond == 4)
        #expect(a.totals.invocations == 4 && a.totals.errors == 1 && a.totals.throttles == 1)
        #expect(a.totals.coldStarts == 1)
        #expect(a.seconds.map(\.second) == [95, 96, 97, 98, 99])
        let last = try #require(a.seconds.last)
        #expect(last.workerHitRate == 0.25)
        // The shared tier saw the three lookups the worker missed, and answered one.
        #expect(last.sharedHitRate == 1.0 / 3)
        #expect(a.seconds.first?.workerHitRate == nil)
        #expect(snap.functions[1].totals == .init())
        #expect(snap.queues.map(\.name) == ["dlq", "z"])
        #expect(snap.asyncEvents == .init(queued: 5, deadLetters: 1))
        #expect(snap.stateMachines == [.init(name: "flow", executions: ["RUNNING": 2, "SUCCEEDED": 1])])
    }

    @Test("The current second is still filling: invocations per second is the last whole second")
    func perSecondIsTheLastWholeSecond() {
        var state = DashboardState(windowSeconds: 3)
        state.record(.invocation(function: "a", failed: false), second: 10)
        state.record(.invocation(function: "a", failed: false), second: 11)
        state.record(.invocation(function: "a", failed: false), second: 11)
        #expect(state.snapshot(at: 11, gauges: gauges).functions[0].invocationsPerSecond == 1)
        #expect(state.snapshot(at: 12, gauges: gauges).functions[0].invocationsPerSecond == 2)
        #expect(state.snapshot(at: 20, gauges: gauges).functions[0].invocationsPerSecond == 0)
    }

    @Test("Measured and simulated latencies stay apart; a function without a profile has no simulated distribution")
    func latencyKinds() {
        var state = DashboardState()
        state.record(.latency(function: "a", kind: .measured, milliseconds: 3), second: 50)
        state.record(.latency(function: "a", kind: .withSimulated, milliseconds: 40), second: 50)
        state.record(.latency(function: "quiet", kind: .measured, milliseconds: 1), second: 50)
        let snap = state.snapshot(at: 50, gauges: gauges)
        // HdrHistogram with two significant digits: within 1 %.
        #expect(abs(snap.functions[0].latency.measured.p50Ms - 3) < 0.03)
        #expect(abs((snap.functions[0].latency.withSimulated?.p50Ms ?? 0) - 40) < 0.4)
        #expect(snap.functions[1].latency.withSimulated == nil)
    }

    @Test("A snapshot survives its JSON: what the page reads is what the host counted")
    func jsonRoundTrip() throws {
        var state = DashboardState(windowSeconds: 2)
        state.record(.invocation(function: "a", failed: false), second: 1)
        state.record(.cacheLookup(function: "a", outcome: .miss), second: 1)
        state.record(.latency(function: "a", kind: .measured, milliseconds: 12.5), second: 1)
        let snap = state.snapshot(at: 2, gauges: gauges)
        let json = snap.json
        #expect(try DashboardSnapshot.decode(Array(json.utf8)) == snap)
        #expect(json.contains(#""sharedHitRate":0"#))
        #expect(json.contains(#""workerHitRate":null"#) || json.contains(#""workerHitRate":0"#))
    }

    @Test("The JSON the page reads keeps its exact shape: totals without rates, seconds with them, nulls written")
    func jsonShapeIsPinned() {
        var state = DashboardState(windowSeconds: 2)
        state.record(.invocation(function: "a", failed: true), second: 1)
        state.record(.throttle(function: "a"), second: 1)
        state.record(.coldStart(function: "a"), second: 1)
        state.record(.cacheLookup(function: "a", outcome: .workerHit), second: 1)
        state.record(.cacheLookup(function: "a", outcome: .sharedHit), second: 1)
        state.record(.cacheLookup(function: "a", outcome: .miss), second: 1)
        let none = DashboardGauges(workers: [:])
        // The page's JSON as the hand-written Totals and Second wrote it before they shared one shape of counts.
        let expected =
            #"{"asyncEvents":{"deadLetters":0,"queued":0},"functions":[{"invocationsPerSecond":1,"latency":{"measured":{"buckets":[{"count":0,"upToMs":0.5},{"count":0,"upToMs":1},{"count":0,"upToMs":2},{"count":0,"upToMs":5},{"count":0,"upToMs":10},{"count":0,"upToMs":20},{"count":0,"upToMs":50},{"count":0,"upToMs":100},{"count":0,"upToMs":200},{"count":0,"upToMs":500},{"count":0,"upToMs":1000},{"count":0,"upToMs":2000},{"count":0,"upToMs":5000},{"count":0,"upToMs":10000},{"count":0}],"count":0,"maxMs":0,"p50Ms":0,"p90Ms":0,"p99Ms":0}},"#
            + #""name":"a","seconds":[{"cacheMisses":0,"errors":0,"invocations":0,"second":0,"sharedCacheHits":0,"sharedHitRate":null,"throttles":0,"workerCacheHits":0,"workerHitRate":null},{"cacheMisses":1,"errors":1,"invocations":1,"second":1,"sharedCacheHits":1,"sharedHitRate":0.5,"throttles":1,"workerCacheHits":1,"workerHitRate":0.3333333333333333}],"#
            + #""totals":{"cacheMisses":1,"coldStarts":1,"errors":1,"invocations":1,"sharedCacheHits":1,"throttles":1,"workerCacheHits":1},"workers":{"busy":0,"idle":0,"reaped":0,"starting":0,"waiting":0}}],"latencyWindowSeconds":60,"queues":[],"second":2,"stateMachines":[],"windowSeconds":2}"#
        #expect(state.snapshot(at: 2, gauges: none).json == expected)
    }

    @Test("The recorder stamps events with its clock's second")
    func recorderUsesItsClock() {
        let recorder = DashboardRecorder(state: DashboardState(windowSeconds: 3), clock: { 500 })
        recorder.record(.invocation(function: "a", failed: false))
        let snap = recorder.snapshot(gauges: gauges)
        #expect(snap.second == 500)
        #expect(snap.functions[0].seconds.map(\.second) == [497, 498, 499])
        #expect(snap.functions[0].totals.invocations == 1)
    }
}
