/// Hex digits: one writer and one reader for every id, digest and escape fnhost spells in hex (request ids, trace
/// and span ids, MD5s), so each is spelled the same way everywhere.
public enum Hex {
    public static let digits = Array("0123456789abcdef".utf8)

    /// The low `digits` hex digits of `value`, zero-padded, lowercase.
    public static func string(_ value: UInt64, digits count: Int) -> String {
        var text = [UInt8](repeating: UInt8(ascii: "0"), count: count)
        var v = value
        for i in stride(from: count - 1, through: 0, by: -1) {
            text[i] = digits[Int(v & 0xF)]
            v >>= 4
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Up to 16 hex digits (either case) as a number; nil when any byte is not a hex digit or there are none.
    public static func value(_ bytes: ArraySlice<UInt8>) -> UInt64? {
        guard !bytes.isEmpty, bytes.count <= 16 else { return nil }
        var v: UInt64 = 0
        for byte in bytes {
            guard let d = nibble(byte) else { return nil }
            v = v << 4 | UInt64(d)
        }
        return v
    }

    /// Whether every byte is a lowercase hex digit (W3C allows no uppercase).
    public static func isLowercase(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.allSatisfy {
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0)
        }
    }

    public static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Two lowercase hex digits per byte.
    public static func string(bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Big-endian bytes of a 64-bit value.
    public static func bytes(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) }
    }
}
