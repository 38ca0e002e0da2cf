import FnhostWire

/// A call of one of the Amazon States Language's intrinsic functions (`States.Format('{} {}', $.a, $.b)`), parsed
/// when the definition loads (name, argument count and literal argument types are checked then) and evaluated each
/// time its field is (https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html).
public struct IntrinsicCall: Hashable, Sendable {
    /// The function, without its `States.` prefix.
    public var function: IntrinsicFunction
    public var arguments: [IntrinsicArgument]

    /// Calls may nest this deep (AWS: "You can nest up to 10 intrinsic functions within a field").
    public static let maxNesting = 10

    /// Parses one whole call; the error names what is wrong and where.
    public init(parsing text: String) throws(IntrinsicSyntaxError) {
        var parser = IntrinsicParser(text: text)
        self = try parser.parseWhole()
    }

    init(function: IntrinsicFunction, arguments: [IntrinsicArgument]) {
        self.function = function
        self.arguments = arguments
    }
}

/// One argument of an intrinsic call.
public indirect enum IntrinsicArgument: Hashable, Sendable {
    /// A quoted string; `raw` keeps its escapes, so `States.Format` can tell `\{` from a placeholder.
    case string(String, raw: String)
    case number(Double)
    case bool(Bool)
    case null
    case path(JSONPath)
    case call(IntrinsicCall)
}

/// The intrinsic functions AWS lists, each with how many arguments it takes.
public enum IntrinsicFunction: String, Hashable, Sendable, CaseIterable {
    case format = "Format"
    case stringToJson = "StringToJson"
    case jsonToString = "JsonToString"
    case array = "Array"
    case arrayPartition = "ArrayPartition"
    case arrayContains = "ArrayContains"
    case arrayRange = "ArrayRange"
    case arrayGetItem = "ArrayGetItem"
    case arrayLength = "ArrayLength"
    case arrayUnique = "ArrayUnique"
    case base64Encode = "Base64Encode"
    case base64Decode = "Base64Decode"
    case hash = "Hash"
    case jsonMerge = "JsonMerge"
    case mathRandom = "MathRandom"
    case mathAdd = "MathAdd"
    case stringSplit = "StringSplit"
    case uuid = "UUID"

    /// The argument counts the function accepts.
    var arity: ClosedRange<Int> {
        switch self {
        case .format: 1...Int.max
        case .array: 0...Int.max
        case .stringToJson, .jsonToString, .arrayLength, .arrayUnique, .base64Encode, .base64Decode: 1...1
        case .arrayPartition, .arrayContains, .arrayGetItem, .hash, .mathAdd, .stringSplit: 2...2
        case .arrayRange, .jsonMerge: 3...3
        case .mathRandom: 2...3
        case .uuid: 0...0
        }
    }

    var fullName: String { "States.\(rawValue)" }
}

/// Why an intrinsic call's text does not parse, with the offset to look at.
public struct IntrinsicSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    public var text: String
    public var offset: Int
    public var reason: String
    public var description: String {
        "\(JSONText.quoteShortened(text)) is not a valid intrinsic function call: \(reason) (at character \(offset + 1))"
    }
}

/// Reads an intrinsic call: `States.Name(` arguments `)`, arguments being `'strings'` (escapes `\'`, `\{`, `\}`,
/// `\\`), numbers, `true`/`false`/`null`, paths and nested calls.
struct IntrinsicParser {
    let bytes: [UInt8]
    let text: String
    var position = 0

    init(text: String) {
        self.text = text
        self.bytes = Array(text.utf8)
    }

    func error(_ reason: String) -> IntrinsicSyntaxError {
        IntrinsicSyntaxError(text: text, offset: position, reason: reason)
    }

    var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    mutating func parseWhole() throws(IntrinsicSyntaxError) -> IntrinsicCall {
        let call = try parseCall(nesting: 1)
        skipSpaces()
        guard position == bytes.count else { throw error("unexpected text after the call's closing parenthesis") }
        return call
    }

    mutating func skipSpaces() {
        while current == UInt8(ascii: " ") { position += 1 }
    }

    mutating func parseCall(nesting: Int) throws(IntrinsicSyntaxError) -> IntrinsicCall {
        guard nesting <= IntrinsicCall.maxNesting else {
            throw error("intrinsic functions nest at most \(IntrinsicCall.maxNesting) deep")
        }
        let prefix = Array("States.".utf8)
        guard position + prefix.count <= bytes.count, Array(bytes[position..<position + prefix.count]) == prefix else {
            throw error("an intrinsic function starts with States.")
        }
        position += prefix.count
        let start = position
        while let c = current, (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) {
            position += 1
        }
        let name = String(decoding: bytes[start..<position], as: UTF8.self)
        guard let function = IntrinsicFunction(rawValue: name) else {
            position = start
            throw error("States.\(name) is not an intrinsic function")
        }
        guard current == UInt8(ascii: "(") else { throw error("( expected after States.\(name)") }
        position += 1
        var arguments: [IntrinsicArgument] = []
        skipSpaces()
        if current == UInt8(ascii: ")") {
            position += 1
        } else {
            while true {
                skipSpaces()
                arguments.append(try parseArgument(nesting: nesting))
                skipSpaces()
                guard let c = current else { throw error(") expected to close States.\(name)") }
                position += 1
                if c == UInt8(ascii: ")") { break }
                guard c == UInt8(ascii: ",") else {
                    position -= 1
                    throw error(", or ) expected")
                }
            }
        }
        guard function.arity.contains(arguments.count) else {
            position = start
            let expected =
                function.arity.lowerBound == function.arity.upperBound
                ? "\(function.arity.lowerBound)"
                : function.arity.upperBound == Int.max
                    ? "at least \(function.arity.lowerBound)"
                    : "\(function.arity.lowerBound) to \(function.arity.upperBound)"
            throw error(
                "States.\(name) takes \(expected) argument\(expected == "1" ? "" : "s"), not \(arguments.count)")
        }
        return IntrinsicCall(function: function, arguments: arguments)
    }

    mutating func parseArgument(nesting: Int) throws(IntrinsicSyntaxError) -> IntrinsicArgument {
        guard let c = current else { throw error("an argument expected") }
        if c == UInt8(ascii: "'") {
            position += 1
            var value: [UInt8] = []
            let rawStart = position
            while let d = current, d != UInt8(ascii: "'") {
                if d == UInt8(ascii: "\\") {
                    position += 1
                    guard let e = current else { break }
                    guard
                        e == UInt8(ascii: "'") || e == UInt8(ascii: "{") || e == UInt8(ascii: "}")
                            || e == UInt8(ascii: "\\")
                    else { throw error("only \\' \\{ \\} and \\\\ are escapes in an intrinsic string") }
                    value.append(e)
                } else {
                    value.append(d)
                }
                position += 1
            }
            guard current == UInt8(ascii: "'") else { throw error("unterminated string: ' expected") }
            let raw = String(decoding: bytes[rawStart..<position], as: UTF8.self)
            position += 1
            return .string(String(decoding: value, as: UTF8.self), raw: raw)
        }
        if c == UInt8(ascii: "$") {
            var pathParser = JSONPathParser(bytes: bytes, text: text, position: position)
            let start = position
            do {
                let (root, segments) = try pathParser.parseRootAndSegments()
                position = pathParser.position
                let pathText = String(decoding: bytes[start..<position], as: UTF8.self)
                return .path(JSONPath(root: root, segments: segments, text: pathText))
            } catch {
                position = error.offset
                throw self.error("bad path: \(error.reason)")
            }
        }
        if c == UInt8(ascii: "S") { return .call(try parseCall(nesting: nesting + 1)) }
        for (word, value) in [("true", IntrinsicArgument.bool(true)), ("false", .bool(false)), ("null", .null)] {
            let w = Array(word.utf8)
            if position + w.count <= bytes.count, Array(bytes[position..<position + w.count]) == w {
                position += w.count
                return value
            }
        }
        let start = position
        while let d = current,
            (d >= 0x30 && d <= 0x39) || d == UInt8(ascii: "-") || d == UInt8(ascii: ".") || d == UInt8(ascii: "e")
                || d == UInt8(ascii: "E") || d == UInt8(ascii: "+")
        {
            position += 1
        }
        guard position > start, let n = Double(String(decoding: bytes[start..<position], as: UTF8.self)), n.isFinite
        else {
            position = start
            throw error("an argument is a 'string', a number, true, false, null, a path or an intrinsic call")
        }
        return .number(n)
    }
}
