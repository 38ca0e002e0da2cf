import Testing

@testable import FnhostHost

/// How a caller's timeline is charged for its calls to other functions: one after another, each adds its delay;
/// side by side, a group adds its longest path.
@Suite struct NestedCallsTests {
    let t0 = ContinuousClock.now

    func call(at ms: Int, for real: Int, slept: Int, simulated: Double) -> NestedCalls.Call {
        .init(
            start: t0 + .milliseconds(ms), end: t0 + .milliseconds(ms + real), sleep: .milliseconds(slept),
            simulatedMs: simulated)
    }

    @Test func oneCallAddsItsOwnDelayInPlaceOfItsSleep() {
        var calls = NestedCalls()
        calls.record(call(at: 0, for: 12, slept: 2, simulated: 40))
        #expect(calls.totals.realSleep == .milliseconds(2))
        #expect(calls.totals.simulatedMs == 40)
    }

    @Test func callsOneAfterAnotherAddUp() {
        var calls = NestedCalls()
        calls.record(call(at: 0, for: 12, slept: 2, simulated: 40))
        calls.record(call(at: 20, for: 8, slept: 3, simulated: 50))
        #expect(calls.groups().count == 2)
        #expect(calls.totals.realSleep == .milliseconds(5))
        #expect(calls.totals.simulatedMs == 90)
    }

    @Test func callsSideBySideAddTheirLongestPathOnly() {
        // Three branches started together: 10 ms of work each, slept 1/2/3 ms for 40/60/50 ms of simulated delay.
        var calls = NestedCalls()
        calls.record(call(at: 0, for: 11, slept: 1, simulated: 40))
        calls.record(call(at: 0, for: 12, slept: 2, simulated: 60))
        calls.record(call(at: 1, for: 12, slept: 3, simulated: 50))
        #expect(calls.groups().count == 1)
        let totals = calls.totals
        // The group spans 13 ms real; its longest measured path is 10 ms (the third: 1 ms late, 9 ms of work).
        #expect(totals.realSleep == .milliseconds(3))
        // Longest path with delays: the second branch, 10 ms of work + 60 ms; minus the 10 ms measured = 60 ms.
        #expect(abs(totals.simulatedMs - 60) < 1e-9)
        // The caller is charged about one branch (60 ms), not the sum of the three (150 ms).
        #expect(totals.simulatedMs < 150)
    }
}
