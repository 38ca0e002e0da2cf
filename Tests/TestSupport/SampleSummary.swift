import FnhostSimulation
import FnhostWire

/// Draws `count` samples of a distribution with a fixed seed and summarises them.
public struct SampleSummary: Sendable {
    public let sorted: [Double]
    public let mean: Double
    public let standardDeviation: Double

    public init(_ distribution: Distribution, count: Int = 100_000, seed: UInt64 = 20_251_122) {
        var generator = SeededGenerator(seed: seed)
        let samples = (0..<count).map { _ in distribution.sample(using: &generator) }
        sorted = samples.sorted()
        let mean = samples.reduce(0, +) / Double(count)
        self.mean = mean
        let variance = samples.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(count - 1)
        standardDeviation = variance.squareRoot()
    }

    /// The sample's `p`-th percentile (nearest rank).
    public func percentile(_ p: Double) -> Double { Percentile.nearestRank(sorted, p) }

    public var minimum: Double { sorted.first! }
    public var maximum: Double { sorted.last! }
}

/// Whether `value` is within `fraction` (relative) of `expected`.
public func isClose(_ value: Double, _ expected: Double, within fraction: Double) -> Bool {
    abs(value - expected) <= abs(expected) * fraction
}
