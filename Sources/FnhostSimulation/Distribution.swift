#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A simulated delay's probability distribution, in milliseconds.
///
/// Every overhead fnhost simulates (a cold start, a Lambda hop, an API gateway, the reference store behind a cache)
/// is drawn from one of these, so that a profile can say "25 to 100 ms" or "median 40, p99 120" as the field reports
/// it. Samples are never negative. Each case has a compact text form (`spec`, `init(spec:)`) used in profiles and on
/// the command line; see `init(spec:)` for the grammar.
public enum Distribution: Sendable, Equatable {
    /// Always the same value.
    case constant(Double)
    /// Uniform between `min` and `max` (inclusive of `min`).
    case uniform(min: Double, max: Double)
    /// Normal with the given mean and standard deviation, truncated at 0 (negative draws are drawn again).
    case normal(mean: Double, stddev: Double)
    /// Log-normal given by its median and 99th percentile: mu = ln(median), sigma = (ln(p99) − mu) / 2.3263.
    case lognormal(median: Double, p99: Double)
    /// One of the given samples, each equally likely.
    case empirical([Double])
    /// Piecewise-linear inverse CDF through the given percentiles (sorted by percentile, at least two).
    ///
    /// Outside the first and last given percentiles the first and last segments are extended linearly to the 0th
    /// and 100th percentiles (never below 0).
    case percentiles([Percentile])

    /// One point of an empirical distribution given by percentiles: `percentile` in 0...100, `value` in ms.
    public struct Percentile: Sendable, Equatable, Hashable {
        public var percentile: Double
        public var value: Double

        public init(_ percentile: Double, _ value: Double) {
            self.percentile = percentile
            self.value = value
        }
    }

    /// The z-score of the 99th percentile of a standard normal distribution.
    public static let z99 = 2.3263

    /// A delay of zero: what the `none` profile uses everywhere.
    public static let zero = Distribution.constant(0)

    /// Whether every sample is 0, so that a caller can skip sleeping and drawing altogether.
    public var isAlwaysZero: Bool {
        switch self {
        case .constant(let value): value == 0
        case .uniform(let min, let max): min == 0 && max == 0
        case .normal(let mean, let stddev): mean == 0 && stddev == 0
        case .lognormal: false
        case .empirical(let samples): samples.allSatisfy { $0 == 0 }
        case .percentiles(let points): points.allSatisfy { $0.value == 0 }
        }
    }

    /// One draw, in milliseconds, never negative.
    ///
    /// The arithmetic is fixed in this module (not delegated to `Double.random(in:using:)`), so a seeded generator
    /// gives the same samples wherever the platform's `log`/`exp`/`cos` agree.
    public func sample(using generator: inout some RandomNumberGenerator) -> Double {
        let value: Double
        switch self {
        case .constant(let ms):
            value = ms
        case .uniform(let min, let max):
            value = min + (max - min) * RandomUnit.halfOpen(using: &generator)
        case .normal(let mean, let stddev):
            value = Self.truncatedNormal(mean: mean, stddev: stddev, using: &generator)
        case .lognormal(let median, let p99):
            let mu = log(median)
            let sigma = (log(p99) - mu) / Self.z99
            value = exp(mu + sigma * RandomUnit.standardNormal(using: &generator))
        case .empirical(let samples):
            value = samples.isEmpty ? 0 : samples[RandomUnit.index(below: samples.count, using: &generator)]
        case .percentiles(let points):
            value = Self.inverseCDF(points, at: RandomUnit.halfOpen(using: &generator) * 100)
        }
        return value.isNaN ? 0 : Swift.max(0, value)
    }

    private static func truncatedNormal(
        mean: Double, stddev: Double, using generator: inout some RandomNumberGenerator
    ) -> Double {
        // Rejection keeps the shape of a truncated normal; the mean is never negative (the parser refuses it), so
        // each try succeeds with probability at least 1/2 and 64 tries fail with probability 2^-64.
        for _ in 0..<64 {
            let draw = mean + stddev * RandomUnit.standardNormal(using: &generator)
            if draw >= 0 { return draw }
        }
        return 0
    }

    /// The value at percentile `p` (0...100) of the piecewise-linear curve through `points`.
    static func inverseCDF(_ points: [Percentile], at p: Double) -> Double {
        guard let first = points.first, let last = points.last else { return 0 }
        guard points.count > 1 else { return first.value }
        // Find the segment [points[i], points[i + 1]] holding p; outside the points use the first or last segment.
        var upper = 1
        while upper < points.count - 1 && points[upper].percentile < p {
            upper += 1
        }
        if p > last.percentile { upper = points.count - 1 }
        let a = points[upper - 1]
        let b = points[upper]
        let width = b.percentile - a.percentile
        guard width > 0 else { return b.value }
        let value = a.value + (b.value - a.value) * (p - a.percentile) / width
        return Swift.max(0, value)
    }
}
