/// A JSON reader that never recurses and never builds a tree: it validates a document with an explicit stack, then
/// reads only the few values the gateway needs (the members of the answer object and the strings inside them) by
/// byte ranges. A function's answer can be nested a million levels deep without costing the host a stack frame.
public struct JSONScanner: Sendable {
    /// The kind of a JSON value, from its first byte.
    public enum Kind: Equatable {
        case object, array, string, number, boolean, null
    }

    let bytes: [UInt8]

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    // MARK: Validation

    /// Why the bytes are not one JSON value (RFC 8259), or nil when they are. With `maxDepth`, objects and arrays
    /// nested deeper are refused too (the decoders inside functions stop at a few hundred levels).
    public func validationError(maxDepth: Int = .max) -> String? {
        guard String(validating: bytes, as: UTF8.self) != nil else { return "the text is not valid UTF-8" }
        enum Expect { case value, valueOrClose, keyOrClose, key, colon, afterValue }
        var containers: [UInt8] = []
        var expect = Expect.value
        var index = skipWhitespace(from: 0)
        while true {
            if expect == .afterValue && containers.isEmpty {
                return index == bytes.count ? nil : "unexpected text after the value at byte \(index)"
            }
            guard index < bytes.count else { return "the text ends before the value does" }
            let byte = bytes[index]
            switch expect {
            case .value, .valueOrClose:
                if expect == .valueOrClose && byte == UInt8(ascii: "]") {
                    containers.removeLast()
                    index += 1
                    expect = .afterValue
                } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                    guard containers.count < maxDepth else {
                        return "objects and arrays are nested more than \(maxDepth) levels deep"
                    }
                    containers.append(byte)
                    index += 1
                    expect = byte == UInt8(ascii: "{") ? .keyOrClose : .valueOrClose
                } else if let end = endOfScalar(from: index) {
                    index = end
                    expect = .afterValue
                } else {
                    return "invalid value at byte \(index)"
                }
            case .keyOrClose, .key:
                if expect == .keyOrClose && byte == UInt8(ascii: "}") {
                    containers.removeLast()
                    index += 1
                    expect = .afterValue
                } else if byte == UInt8(ascii: "\""), let end = endOfString(from: index) {
                    index = end
                    expect = .colon
                } else {
                    return "expected a member name in quotes at byte \(index)"
                }
            case .colon:
                guard byte == UInt8(ascii: ":") else { return "expected : at byte \(index)" }
                index += 1
                expect = .value
            case .afterValue:
                let open = containers[containers.count - 1]
                let close = open == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                if byte == UInt8(ascii: ",") {
                    index += 1
                    expect = open == UInt8(ascii: "{") ? .key : .value
                } else if byte == close {
                    containers.removeLast()
                    index += 1
                } else {
                    return "expected , or \(Character(Unicode.Scalar(close))) at byte \(index)"
                }
            }
            index = skipWhitespace(from: index)
        }
    }

    // MARK: Reading a validated document

    /// The index of the first byte that is not JSON whitespace, at or after `index`.
    public func skipWhitespace(from index: Int) -> Int {
        var i = index
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x09, 0x0A, 0x0D: i += 1
            default: return i
            }
        }
        return i
    }

    /// The kind of the value starting at `index` (after whitespace), or nil past the end or on a byte that starts
    /// no value.
    public func kind(at index: Int) -> Kind? {
        guard index >= 0, index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .boolean
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        default: return nil
        }
    }

    /// The index just past the value starting at `index`, found iteratively (brackets counted, strings skipped).
    public func endOfValue(from index: Int) -> Int? {
        guard let kind = kind(at: index) else { return nil }
        guard kind == .object || kind == .array else { return endOfScalar(from: index) }
        var depth = 0
        var i = index
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "\""):
                guard let end = endOfString(from: i) else { return nil }
                i = end
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { return i + 1 }
            default:
                break
            }
            i += 1
        }
        return nil
    }

    /// The members of the object starting at `index`, in order: each name decoded and its value's byte range.
    /// Nil when there is no object there.
    public func members(ofObjectAt index: Int) -> [(name: String, value: Range<Int>)]? {
        guard kind(at: index) == .object else { return nil }
        var result: [(name: String, value: Range<Int>)] = []
        var i = skipWhitespace(from: index + 1)
        if i < bytes.count && bytes[i] == UInt8(ascii: "}") { return result }
        while i < bytes.count {
            guard let nameEnd = endOfString(from: i), let name = string(in: i..<nameEnd) else { return nil }
            i = skipWhitespace(from: nameEnd)
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return nil }
            let valueStart = skipWhitespace(from: i + 1)
            guard let valueEnd = endOfValue(from: valueStart) else { return nil }
            result.append((name, valueStart..<valueEnd))
            i = skipWhitespace(from: valueEnd)
            guard i < bytes.count else { return nil }
            if bytes[i] == UInt8(ascii: "}") { return result }
            guard bytes[i] == UInt8(ascii: ",") else { return nil }
            i = skipWhitespace(from: i + 1)
        }
        return nil
    }

    /// The byte ranges of the elements of the array starting at `index`, in order; nil when there is no array there.
    public func elements(ofArrayAt index: Int) -> [Range<Int>]? {
        guard kind(at: index) == .array else { return nil }
        var result: [Range<Int>] = []
        var i = skipWhitespace(from: index + 1)
        if i < bytes.count && bytes[i] == UInt8(ascii: "]") { return result }
        while i < bytes.count {
            guard let end = endOfValue(from: i) else { return nil }
            result.append(i..<end)
            i = skipWhitespace(from: end)
            guard i < bytes.count else { return nil }
            if bytes[i] == UInt8(ascii: "]") { return result }
            guard bytes[i] == UInt8(ascii: ",") else { return nil }
            i = skipWhitespace(from: i + 1)
        }
        return nil
    }

    /// The decoded text of the string token in `range` (quotes included); nil when it is not a string. A lone
    /// UTF-16 surrogate escape becomes U+FFFD.
    public func string(in range: Range<Int>) -> String? {
        guard range.lowerBound >= 0, range.upperBound <= bytes.count, range.count >= 2,
            bytes[range.lowerBound] == UInt8(ascii: "\""), bytes[range.upperBound - 1] == UInt8(ascii: "\"")
        else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(range.count)
        var i = range.lowerBound + 1
        let end = range.upperBound - 1
        while i < end {
            let byte = bytes[i]
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                i += 1
                continue
            }
            guard i + 1 < end else { return nil }
            let escape = bytes[i + 1]
            i += 2
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard let unit = hexQuad(at: i, end: end) else { return nil }
                i += 4
                var scalarValue = UInt32(unit)
                if (0xD800...0xDBFF).contains(unit), i + 6 <= end, bytes[i] == UInt8(ascii: "\\"),
                    bytes[i + 1] == UInt8(ascii: "u"), let low = hexQuad(at: i + 2, end: end),
                    (0xDC00...0xDFFF).contains(low)
                {
                    scalarValue = 0x10000 + (UInt32(unit) - 0xD800) << 10 + (UInt32(low) - 0xDC00)
                    i += 6
                }
                let scalar = Unicode.Scalar(scalarValue) ?? "\u{FFFD}"
                UTF8.encode(scalar) { out.append($0) }
            default:
                return nil
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The text of the token in `range`, as written (for numbers).
    public func text(in range: Range<Int>) -> String {
        guard range.lowerBound >= 0, range.upperBound <= bytes.count else { return "" }
        return String(decoding: bytes[range], as: UTF8.self)
    }

    // MARK: Tokens

    /// The index just past the string token starting at `index` (a `"`), or nil when it is not a valid string.
    public func endOfString(from index: Int) -> Int? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        var i = index + 1
        while i < bytes.count {
            let byte = bytes[i]
            switch byte {
            case UInt8(ascii: "\""):
                return i + 1
            case UInt8(ascii: "\\"):
                guard i + 1 < bytes.count else { return nil }
                switch bytes[i + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    i += 2
                case UInt8(ascii: "u"):
                    guard hexQuad(at: i + 2, end: bytes.count) != nil else { return nil }
                    i += 6
                default:
                    return nil
                }
            case 0x00..<0x20:
                return nil
            default:
                i += 1
            }
        }
        return nil
    }

    /// The index just past the string, number, `true`, `false` or `null` starting at `index`.
    public func endOfScalar(from index: Int) -> Int? {
        switch kind(at: index) {
        case .string: return endOfString(from: index)
        case .number: return endOfNumber(from: index)
        case .boolean: return endOfLiteral(bytes[index] == UInt8(ascii: "t") ? "true" : "false", from: index)
        case .null: return endOfLiteral("null", from: index)
        case .object, .array, nil: return nil
        }
    }

    private func endOfLiteral(_ literal: StaticString, from index: Int) -> Int? {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { return nil }
        let matches = literal.withUTF8Buffer { expected in
            expected.indices.allSatisfy { bytes[index + $0] == expected[$0] }
        }
        return matches ? index + count : nil
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    private func endOfNumber(from index: Int) -> Int? {
        var i = index
        if i < bytes.count && bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard i < bytes.count, isDigit(bytes[i]) else { return nil }
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
        } else {
            while i < bytes.count && isDigit(bytes[i]) { i += 1 }
        }
        if i < bytes.count && bytes[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < bytes.count && isDigit(bytes[i]) { i += 1 }
            guard i > start else { return nil }
        }
        if i < bytes.count && (bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")) {
            i += 1
            if i < bytes.count && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) { i += 1 }
            let start = i
            while i < bytes.count && isDigit(bytes[i]) { i += 1 }
            guard i > start else { return nil }
        }
        return i
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private func hexQuad(at index: Int, end: Int) -> UInt16? {
        guard index >= 0, index + 4 <= end, index + 4 <= bytes.count else { return nil }
        var value: UInt16 = 0
        for byte in bytes[index..<index + 4] {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }
}
