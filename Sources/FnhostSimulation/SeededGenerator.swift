/// A reproducible random number generator: the same seed gives the same stream on every platform and Swift version.
///
/// fnhost's simulated delays must come out identical run after run for a given `--seed`, which neither
/// `SystemRandomNumberGenerator` nor anything seeded through Swift's `Hasher` can promise. This is xoshiro256**
/// (Blackman and Vigna), its 256-bit state filled from the seed by splitmix64.
///
/// Independent sub-streams are named by text: `SeededGenerator(seed: 42, stream: "org-status/cold-start/3")` mixes a
/// stable hash of the name into the seed, so each worker, function or component can draw its own sequence without
/// the draws of one disturbing those of another. A value type: copies continue independently from the same point.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable {
    /// The seed this generator (or its stream) started from, after mixing in the stream name.
    public let seed: UInt64
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// A generator whose whole output is determined by `seed`.
    public init(seed: UInt64) {
        self.seed = seed
        var expander = SplitMix64(state: seed)
        s0 = expander.next()
        s1 = expander.next()
        s2 = expander.next()
        s3 = expander.next()
        if s0 | s1 | s2 | s3 == 0 {
            // The one state xoshiro cannot leave; splitmix64 never yields four zeros in a row, but be certain.
            s0 = 0x9e37_79b9_7f4a_7c15
        }
    }

    /// An independent stream derived from `seed` and a name, e.g. `"org-status/cold-start/3"`.
    ///
    /// Equal seeds and names give equal streams on every platform; different names give unrelated streams.
    public init(seed: UInt64, stream: String) {
        self.init(seed: Self.streamSeed(seed: seed, stream: stream))
    }

    /// The sub-stream `stream` of the seed this generator started from (not of its current position).
    public func substream(_ stream: String) -> SeededGenerator {
        SeededGenerator(seed: seed, stream: stream)
    }

    /// The seed of the named sub-stream of `seed`, for callers that pass seeds on (for instance to a worker process).
    public static func streamSeed(seed: UInt64, stream: String) -> UInt64 {
        SplitMix64.mix(seed ^ SplitMix64.mix(StableHash.fnv1a64(stream) &+ 0x9e37_79b9_7f4a_7c15))
    }

    public mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, by: 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotateLeft(s3, by: 45)
        return result
    }

    private func rotateLeft(_ x: UInt64, by k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}
