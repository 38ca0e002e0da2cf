import Histogram

/// The latencies of the last minute or so, in fixed memory: HdrHistogram histograms (two significant digits, from
/// 1 µs to 15 minutes, Lambda's longest timeout), one per `generationSeconds`-long generation, the oldest generation
/// cleared when its slot is reused. A distribution merges the generations still inside the window, so it covers
/// between `(generations - 1) × generationSeconds` and `generations × generationSeconds` seconds.
public struct LatencyWindow: Sendable {
    /// The bounds of the distribution's buckets, in milliseconds: the same for every distribution, so that the
    /// measured and the simulated ones share an axis.
    public static let bucketBoundsMs: [Double] = [
        0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000,
    ]
    /// Lambda's longest timeout, 900 s, in microseconds: a longer value is recorded as this one.
    static let highestMicroseconds: UInt64 = 900_000_000

    public let generationSeconds: Int
    public let generations: Int
    private var slots: [(generation: Int, histogram: Histogram<UInt32>)?]

    public init(generationSeconds: Int = 15, generations: Int = 4) {
        precondition(generationSeconds > 0 && generations > 0, "a latency window needs time in it")
        self.generationSeconds = generationSeconds
        self.generations = generations
        slots = Array(repeating: nil, count: generations)
    }

    /// The seconds a distribution covers at most.
    public var seconds: Int { generationSeconds * generations }

    /// Records one latency (negative values count as zero, values past 900 s as 900 s).
    public mutating func record(_ milliseconds: Double, second: Int) {
        let generation = Self.floorDivide(second, generationSeconds)
        let index = Self.modulo(generation, generations)
        if slots[index]?.generation != generation {
            if let current = slots[index], current.generation > generation { return }  // too old for the window
            slots[index] = (generation, Self.emptyHistogram())
        }
        let micros = UInt64(min(max(0, milliseconds * 1000).rounded(), Double(Self.highestMicroseconds)))
        _ = slots[index]!.histogram.record(micros)
    }

    /// The distribution of the latencies recorded in the window that ends at `second`.
    public func distribution(at second: Int) -> DashboardSnapshot.Distribution {
        let newest = Self.floorDivide(second, generationSeconds)
        var merged = Self.emptyHistogram()
        for case let slot? in slots where slot.generation > newest - generations && slot.generation <= newest {
            for value in slot.histogram.recordedValues() {
                _ = merged.record(value.value, count: value.count)
            }
        }
        return Self.distribution(of: merged)
    }

    static func distribution(of h: Histogram<UInt32>) -> DashboardSnapshot.Distribution {
        let count = Int(h.totalCount)
        func ms(_ micros: UInt64) -> Double { count == 0 ? 0 : Double(micros) / 1000 }
        // Each recorded bin counts once, in the bucket its lowest equivalent value falls in (HdrHistogram's own
        // count(within:) works on whole bins, and a bin straddling a bound would count in two buckets).
        var counts = Array(repeating: 0, count: bucketBoundsMs.count + 1)
        for value in h.recordedValues() {
            let ms = Double(h.lowestEquivalentForValue(value.value)) / 1000
            let index = bucketBoundsMs.firstIndex { ms <= $0 } ?? bucketBoundsMs.count
            counts[index] += Int(value.count)
        }
        let buckets = counts.enumerated().map { i, n in
            DashboardSnapshot.Bucket(upToMs: i < bucketBoundsMs.count ? bucketBoundsMs[i] : nil, count: n)
        }
        return .init(
            count: count, p50Ms: ms(h.valueAtPercentile(50)), p90Ms: ms(h.valueAtPercentile(90)),
            p99Ms: ms(h.valueAtPercentile(99)), maxMs: ms(h.max), buckets: buckets)
    }

    private static func emptyHistogram() -> Histogram<UInt32> {
        Histogram<UInt32>(
            lowestDiscernibleValue: 1, highestTrackableValue: highestMicroseconds, numberOfSignificantValueDigits: .two)
    }

    private static func floorDivide(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }
    private static func modulo(_ a: Int, _ b: Int) -> Int {
        let r = a % b
        return r < 0 ? r + b : r
    }
}
