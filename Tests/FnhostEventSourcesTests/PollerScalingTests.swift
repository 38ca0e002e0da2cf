import FnhostEventSources
import Testing

/// Pollers start at five, grow with the backlog at most 300 a minute up to the caps, and fall back when idle.
@Suite struct PollerScalingTests {
    @Test func startsAtFiveWithinTheCaps() {
        #expect(PollerScaling(functionConcurrency: 64, maximumConcurrency: nil).initial == 5)
        #expect(PollerScaling(functionConcurrency: 64, maximumConcurrency: 2).initial == 2)
        #expect(PollerScaling(functionConcurrency: 3, maximumConcurrency: nil).initial == 3)
    }

    @Test func growsWithTheBacklogUpToTheCapAtMost300AMinute() {
        let s = PollerScaling(functionConcurrency: 1_000, maximumConcurrency: 400)
        #expect(s.next(current: 5, backlog: 100_000, batchSize: 10, elapsedSeconds: 1) == 10)
        #expect(s.next(current: 5, backlog: 100_000, batchSize: 10, elapsedSeconds: 60) == 305)
        #expect(s.next(current: 305, backlog: 100_000, batchSize: 10, elapsedSeconds: 60) == 400)
        #expect(s.next(current: 5, backlog: 30, batchSize: 10, elapsedSeconds: 60) == 5)
    }

    @Test func idleFallsToTwoWithoutMaximumConcurrencyAndFiveWithIt() {
        #expect(
            PollerScaling(functionConcurrency: 64, maximumConcurrency: nil).next(
                current: 40, backlog: 0, batchSize: 10, elapsedSeconds: 1) == 2)
        #expect(
            PollerScaling(functionConcurrency: 64, maximumConcurrency: 50).next(
                current: 40, backlog: 0, batchSize: 10, elapsedSeconds: 1) == 5)
    }
}
