/// RFC 3986 percent-decoding, as API Gateway applies it to path parameters and query parameters.
///
/// `+` is not a space here: it is one only in HTML form bodies, and API Gateway passes it through.
enum PercentEncoding {
    /// The decoded text, or nil when an escape is malformed (`%` not followed by two hex digits) or the decoded
    /// bytes are not UTF-8.
    static func decode(_ text: Substring) -> String? {
        let utf8 = text.utf8
        guard utf8.contains(UInt8(ascii: "%")) else { return String(text) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte != UInt8(ascii: "%") {
                bytes.append(byte)
                index = utf8.index(after: index)
                continue
            }
            let first = utf8.index(after: index)
            guard first != utf8.endIndex else { return nil }
            let second = utf8.index(after: first)
            guard second != utf8.endIndex, let high = hexValue(utf8[first]), let low = hexValue(utf8[second]) else {
                return nil
            }
            bytes.append(high << 4 | low)
            index = utf8.index(after: second)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// The decoded text, or the text unchanged when it cannot be decoded: a malformed escape reaches the function
    /// as written rather than failing the request.
    static func decodeOrKeep(_ text: Substring) -> String {
        decode(text) ?? String(text)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
