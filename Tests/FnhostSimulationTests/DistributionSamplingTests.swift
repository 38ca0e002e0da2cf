import FnhostSimulation
import TestSupport
import Testing

@Suite("Distribution sampling")
struct DistributionSamplingTests {
    @Test("a constant always gives its value")
    func constantIsConstant() {
        let summary = SampleSummary(.constant(7.5), count: 1000)
        #expect(summary.minimum == 7.5)
        #expect(summary.maximum == 7.5)
    }

    @Test("uniform stays within its bounds, with the mean and spread of a uniform")
    func uniformBoundsAndMoments() {
        let summary = SampleSummary(.uniform(min: 25, max: 100))
        #expect(summary.minimum >= 25)
        #expect(summary.maximum < 100)
        #expect(isClose(summary.mean, 62.5, within: 0.01))
        #expect(isClose(summary.standardDeviation, 75 / 12.0.squareRoot(), within: 0.02))
        #expect(summary.minimum < 25.1 && summary.maximum > 99.9)
    }

    @Test("normal has the requested mean and standard deviation")
    func normalMoments() {
        let summary = SampleSummary(.normal(mean: 50, stddev: 10))
        #expect(isClose(summary.mean, 50, within: 0.005))
        #expect(isClose(summary.standardDeviation, 10, within: 0.02))
    }

    @Test("normal is truncated at 0: never negative even when the mean is near 0")
    func normalIsTruncated() {
        let summary = SampleSummary(.normal(mean: 1, stddev: 5), count: 20_000)
        #expect(summary.minimum >= 0)
        #expect(summary.mean > 1)  // the truncated left tail pushes the mean up
    }

    @Test("lognormal has the requested median and 99th percentile")
    func lognormalMedianAndP99() {
        let summary = SampleSummary(.lognormal(median: 40, p99: 120))
        #expect(isClose(summary.percentile(50), 40, within: 0.02))
        #expect(isClose(summary.percentile(99), 120, within: 0.05))
        #expect(summary.minimum > 0)
    }

    @Test("lognormal with p99 equal to its median is a constant")
    func degenerateLognormal() {
        let summary = SampleSummary(.lognormal(median: 12, p99: 12), count: 100)
        #expect(isClose(summary.minimum, 12, within: 1e-12))
        #expect(isClose(summary.maximum, 12, within: 1e-12))
    }

    @Test("empirical draws only its samples, each about equally often")
    func empiricalDrawsItsSamples() {
        let samples: [Double] = [1, 2, 3.5, 10]
        let summary = SampleSummary(.empirical(samples))
        var counts: [Double: Int] = [:]
        for value in summary.sorted { counts[value, default: 0] += 1 }
        #expect(Set(counts.keys) == Set(samples))
        for count in counts.values { #expect(isClose(Double(count), 25_000, within: 0.03)) }
    }

    @Test("percentiles reproduces the given percentiles and extends the end segments")
    func percentilesMatch() {
        let points = [Distribution.Percentile(50, 40), .init(90, 70), .init(99, 110)]
        let summary = SampleSummary(.percentiles(points))
        #expect(isClose(summary.percentile(50), 40, within: 0.01))
        #expect(isClose(summary.percentile(90), 70, within: 0.01))
        #expect(isClose(summary.percentile(99), 110, within: 0.01))
        // Below p50 the p50–p90 slope (0.75 ms per percentile) continues down to p0 = 2.5 ms;
        // above p99 the p90–p99 slope (4.44 per percentile) continues up to p100 ≈ 114.4 ms.
        #expect(summary.minimum >= 2.5 && summary.minimum < 2.6)
        #expect(summary.maximum <= 114.45 && summary.maximum > 114.3)
    }

    @Test("percentiles with p0 and p100 given stays inside them")
    func percentilesWithEnds() {
        let summary = SampleSummary(try! Distribution(spec: "percentiles:p0=25,p50=35,p90=65,p99=100,p100=150"))
        #expect(summary.minimum >= 25)
        #expect(summary.maximum <= 150)
        #expect(isClose(summary.mean, 43.675, within: 0.01))
    }

    @Test(
        "no kind of distribution ever gives a negative sample",
        arguments: [
            "constant:0", "uniform:0..1", "normal:mean=0,sd=3", "lognormal:median=0.5,p99=900",
            "empirical:0,0.5", "percentiles:p50=1,p99=100",
        ])
    func neverNegative(spec: String) throws {
        let summary = SampleSummary(try Distribution(spec: spec), count: 20_000)
        #expect(summary.minimum >= 0)
    }

    @Test("seeded samples are pinned (checked against an independent implementation)")
    func pinnedSamples() {
        var generator = SeededGenerator(seed: 7)
        let lognormal = Distribution.lognormal(median: 40, p99: 120)
        let drawn = (0..<3).map { _ in lognormal.sample(using: &generator) }
        for (value, expected) in zip(drawn, [37.2368219843684, 52.78048658578437, 41.825009980326406]) {
            #expect(isClose(value, expected, within: 1e-12))
        }
        generator = SeededGenerator(seed: 7)
        let uniform = (0..<3).map { _ in Distribution.uniform(min: 2, max: 8).sample(using: &generator) }
        #expect(uniform == [6.203458893078137, 3.672507376842706, 7.0377647712585185])
    }

    @Test("isAlwaysZero is true only for distributions that cannot give anything but 0")
    func alwaysZero() throws {
        #expect(Distribution.zero.isAlwaysZero)
        #expect(try Distribution(spec: "uniform:0..0").isAlwaysZero)
        #expect(try Distribution(spec: "empirical:0,0").isAlwaysZero)
        #expect(!(try Distribution(spec: "uniform:0..1").isAlwaysZero))
        #expect(!(try Distribution(spec: "lognormal:median=1,p99=1").isAlwaysZero))
    }
}
