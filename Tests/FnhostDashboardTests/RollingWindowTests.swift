import FnhostDashboard
import Testing

@Suite("Rolling windows of seconds")
struct RollingWindowTests {
    private func window(_ capacity: Int) -> RollingWindow<[Int]> {
        RollingWindow(capacity: capacity) { _ in [] }
    }

    @Test("Each second keeps its own bucket, and seconds without activity come back empty, oldest first")
    func secondsAreKeptApart() {
        var w = window(4)
        w.update(100) { $0.append(1) }
        w.update(100) { $0.append(2) }
        w.update(102) { $0.append(3) }
        #expect(w.buckets(endingAt: 102) == [[], [1, 2], [], [3]])
        #expect(w.bucket(100) == [1, 2])
        #expect(w.bucket(101) == [])
    }

    @Test("A reused slot forgets the second it held: memory stays at capacity whatever the uptime")
    func oldSecondsLeave() {
        var w = window(3)
        for second in 0..<1000 { w.update(second) { $0.append(second) } }
        #expect(w.buckets(endingAt: 999) == [[997], [998], [999]])
        #expect(w.bucket(996) == [])
    }

    @Test("A second already out of the window is ignored instead of overwriting a newer one")
    func lateSecondsAreDropped() {
        var w = window(3)
        w.update(10) { $0.append(10) }
        w.update(7) { $0.append(7) }
        #expect(w.bucket(10) == [10])
        #expect(w.bucket(7) == [])
        w.update(8) { $0.append(8) }
        #expect(w.buckets(endingAt: 10) == [[8], [], [10]])
    }
}
