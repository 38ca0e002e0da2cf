/// The splitmix64 step, used to expand one 64-bit seed into generator state and to mix seeds with stream names.
///
/// It is the seeding procedure the xoshiro authors recommend: consecutive outputs are well spread even for seeds
/// such as 0, 1, 2.
struct SplitMix64 {
    private(set) var state: UInt64

    init(state: UInt64) {
        self.state = state
    }

    mutating func next() -> UInt64 {
        state = state &+ 0x9e37_79b9_7f4a_7c15
        return Self.mix(state)
    }

    /// The splitmix64 finaliser on its own: a bijective scramble of one 64-bit value.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
