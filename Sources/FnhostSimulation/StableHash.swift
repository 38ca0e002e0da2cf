/// A hash of text that is the same in every process and on every platform.
///
/// Swift's `Hasher` is seeded randomly per process, so it cannot name a random stream that must be reproduced run
/// after run. This is FNV-1a over the UTF-8 bytes, 64 bits: small, fast, and stable by definition.
public enum StableHash {
    public static func fnv1a64(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
