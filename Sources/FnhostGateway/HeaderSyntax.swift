/// What an HTTP header may hold (RFC 9110 §5), so that a function's answer can never produce a malformed or
/// injected header in the host's response.
enum HeaderSyntax {
    /// A `token`: one or more of letters, digits and ``!#$%&'*+-.^_`|~``.
    static func isValidName(_ name: String) -> Bool {
        guard !name.isEmpty else { return false }
        return name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"):
                return true
            default:
                return "!#$%&'*+-.^_`|~".utf8.contains(byte)
            }
        }
    }

    /// No control character other than horizontal tab (so no CR, LF or NUL), and no DEL.
    static func isValidValue(_ value: String) -> Bool {
        value.utf8.allSatisfy { byte in (byte >= 0x20 && byte != 0x7F) || byte == 0x09 }
    }
}
