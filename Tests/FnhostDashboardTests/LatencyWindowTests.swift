import FnhostDashboard
import Testing

@Suite("Latency distributions")
struct LatencyWindowTests {
    @Test("Percentiles come from HdrHistogram within two significant digits (1 %), and buckets count every value once")
    func percentilesAndBuckets() {
        var w = LatencyWindow()
        for ms in 1...100 { w.record(Double(ms), second: 1_000) }
        let d = w.distribution(at: 1_000)
        #expect(d.count == 100)
        #expect(abs(d.p50Ms - 50) <= 0.5)
        #expect(abs(d.p99Ms - 99) <= 1)
        #expect(abs(d.maxMs - 100) <= 1)
        #expect(d.buckets.map(\.count).reduce(0, +) == 100)
        #expect(d.buckets.count == LatencyWindow.bucketBoundsMs.count + 1)
        // 1 ms is in the (0.5, 1] bucket, 2 in (1, 2], 3-5 in (2, 5], 51-100 in (50, 100].
        let byBound = Dictionary(uniqueKeysWithValues: d.buckets.compactMap { b in b.upToMs.map { ($0, b.count) } })
        #expect(byBound[1] == 1)
        #expect(byBound[2] == 1)
        #expect(byBound[5] == 3)
        #expect(byBound[100] == 50)
    }

    @Test("Values past Lambda's 900 s timeout land in the last, open bucket; negative ones count as zero")
    func extremes() {
        var w = LatencyWindow()
        w.record(2_000_000, second: 0)
        w.record(-3, second: 0)
        let d = w.distribution(at: 0)
        #expect(d.count == 2)
        #expect(d.buckets.last?.upToMs == nil)
        #expect(d.buckets.last?.count == 1)
        #expect(d.buckets.first?.count == 1)
    }

    @Test("Old generations leave the window: a minute later the distribution is empty")
    func generationsExpire() {
        var w = LatencyWindow(generationSeconds: 15, generations: 4)
        w.record(5, second: 0)
        #expect(w.distribution(at: 59).count == 1)
        #expect(w.distribution(at: 60).count == 0)
        w.record(7, second: 61)
        #expect(w.distribution(at: 61).count == 1)
        #expect(abs(w.distribution(at: 61).p50Ms - 7) < 0.07)
    }

    @Test("An empty distribution reports zeros, not garbage")
    func empty() {
        let d = LatencyWindow().distribution(at: 5)
        #expect(d.count == 0 && d.p50Ms == 0 && d.p99Ms == 0 && d.maxMs == 0)
        #expect(d.buckets.allSatisfy { $0.count == 0 })
    }
}
