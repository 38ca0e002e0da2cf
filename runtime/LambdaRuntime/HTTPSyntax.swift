/// The byte classes of HTTP/1.1's grammar (RFC 9110 §5.6.2, §5.5) that the request encoder and the response parser
/// both check, kept in one place so the two cannot disagree.
enum HTTPSyntax {
    /// A `tchar`: what a method or a field name is made of.
    static func isTokenByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"),
            UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"),
            UInt8(ascii: "_"),
            UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    /// A byte a field value may hold: visible characters, space, tab and non-ASCII; never CR, LF, NUL or DEL.
    static func isFieldValueByte(_ b: UInt8) -> Bool { (b >= 0x20 && b != 0x7F) || b == 0x09 }

    /// Whether `s` is a non-empty token.
    static func isToken(_ s: String) -> Bool { !s.isEmpty && s.utf8.allSatisfy(isTokenByte) }

    /// Whether `a` and `b` are the same text but for ASCII case (header names are case-insensitive), without
    /// allocating lower-cased copies: the worker compares a few names on every answer.
    static func equalsIgnoringASCIICase<A: Collection<UInt8>, B: Collection<UInt8>>(_ a: A, _ b: B) -> Bool {
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) where x != y {
            guard lower(x) == lower(y) else { return false }
        }
        return true
    }

    private static func lower(_ b: UInt8) -> UInt8 {
        b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") ? b + 32 : b
    }
}
