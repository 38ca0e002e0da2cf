import FnhostSimulation

/// How the experiment's keys are drawn.
public enum KeyDistribution: Sendable, Equatable, Codable, CustomStringConvertible {
    case uniform
    /// Key of rank r drawn with probability ∝ 1/r^s.
    case zipf(s: Double)

    public var description: String {
        switch self {
        case .uniform: "uniform"
        case .zipf(let s): "zipf(s=\(s))"
        }
    }
}

/// Draws key numbers 1…K from a ``KeyDistribution`` with a seeded generator, so the same seed gives the same keys.
struct KeySampler: Sendable {
    let keys: Int
    let distribution: KeyDistribution
    /// Cumulative probabilities by rank, for Zipf.
    private let cdf: [Double]

    init(keys: Int, distribution: KeyDistribution) {
        self.keys = keys
        self.distribution = distribution
        if case .zipf(let s) = distribution {
            var weights = (1...keys).map { 1 / pow(Double($0), s) }
            let total = weights.reduce(0, +)
            var running = 0.0
            for i in weights.indices {
                running += weights[i] / total
                weights[i] = running
            }
            cdf = weights
        } else {
            cdf = []
        }
    }

    func next(using generator: inout some RandomNumberGenerator) -> Int {
        switch distribution {
        case .uniform:
            return Int.random(in: 1...keys, using: &generator)
        case .zipf:
            let u = Double.random(in: 0..<1, using: &generator)
            var lo = 0
            var hi = cdf.count - 1
            while lo < hi {
                let mid = (lo + hi) / 2
                if cdf[mid] < u { lo = mid + 1 } else { hi = mid }
            }
            return lo + 1
        }
    }

    /// `count` keys, the same for the same seed.
    func sequence(count: Int, seed: UInt64) -> [Int] {
        var generator = SeededGenerator(seed: seed, stream: "experiment/keys")
        return (0..<count).map { _ in next(using: &generator) }
    }
}

#if canImport(Glibc)
import Glibc
#endif
