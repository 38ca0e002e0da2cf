import FnhostWire

/// The recursive-descent reader of JSONPath text (``JSONPath``), also used by the intrinsic-function parser to read a
/// path argument in place (`argumentMode`: a name then also ends at `,`, `)` or a space).
struct JSONPathParser {
    let bytes: [UInt8]
    let text: String
    var position: Int
    let argumentMode: Bool
    private var depth = 0
    static let maxDepth = 32

    init(text: String) {
        self.text = text
        self.bytes = Array(text.utf8)
        self.position = 0
        self.argumentMode = false
    }

    /// A reader of the path that starts at `position` in `bytes` (the text of an intrinsic call).
    init(bytes: [UInt8], text: String, position: Int) {
        self.bytes = bytes
        self.text = text
        self.position = position
        self.argumentMode = true
    }

    func error(_ reason: String) -> JSONPathError {
        JSONPathError(text: text, offset: position, reason: reason)
    }

    var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    mutating func parseWholePath() throws(JSONPathError) -> (JSONPath.Root, [JSONPath.Segment]) {
        let result = try parseRootAndSegments()
        guard position == bytes.count else { throw error("unexpected character after the path") }
        return result
    }

    mutating func parseRootAndSegments() throws(JSONPathError) -> (JSONPath.Root, [JSONPath.Segment]) {
        guard current == UInt8(ascii: "$") else { throw error("a path starts with $ (the input) or $$ (the context)") }
        position += 1
        var root = JSONPath.Root.input
        if current == UInt8(ascii: "$") {
            root = .context
            position += 1
        }
        return (root, try parseSegments())
    }

    mutating func parseSegments() throws(JSONPathError) -> [JSONPath.Segment] {
        var segments: [JSONPath.Segment] = []
        while let c = current {
            if c == UInt8(ascii: ".") {
                position += 1
                if current == UInt8(ascii: ".") {
                    position += 1
                    if current == UInt8(ascii: "[") {
                        segments.append(.descendants(try parseBracket()))
                    } else {
                        segments.append(.descendants(try parseDotName()))
                    }
                } else {
                    segments.append(try parseDotName())
                }
            } else if c == UInt8(ascii: "[") {
                segments.append(try parseBracket())
            } else {
                break
            }
        }
        return segments
    }

    mutating func parseDotName() throws(JSONPathError) -> JSONPath.Segment {
        if current == UInt8(ascii: "*") {
            position += 1
            return .wildcard
        }
        let start = position
        while let c = current, c != UInt8(ascii: "."), c != UInt8(ascii: "[") {
            if argumentMode
                && (c == UInt8(ascii: ",") || c == UInt8(ascii: ")") || c == UInt8(ascii: " "))
            {
                break
            }
            if c < 0x20 { throw error("a control character in a field name") }
            if !argumentMode
                && (c == UInt8(ascii: "]") || c == UInt8(ascii: "(") || c == UInt8(ascii: ")")
                    || c == UInt8(ascii: "'") || c == UInt8(ascii: "\"") || c == UInt8(ascii: " ")
                    || c == UInt8(ascii: "=") || c == UInt8(ascii: "<") || c == UInt8(ascii: ">")
                    || c == UInt8(ascii: "&") || c == UInt8(ascii: "|") || c == UInt8(ascii: "!")
                    || c == UInt8(ascii: ",") || c == UInt8(ascii: "@") || c == UInt8(ascii: "$"))
            {
                if depth > 0 { break }
                throw error("\(Character(Unicode.Scalar(c))) in a field name: use ['…'] for such names")
            }
            position += 1
        }
        guard position > start else { throw error("a field name is expected after the dot") }
        return .child(String(decoding: bytes[start..<position], as: UTF8.self))
    }

    mutating func skipSpaces() {
        while current == UInt8(ascii: " ") { position += 1 }
    }

    mutating func expect(_ c: Character) throws(JSONPathError) {
        skipSpaces()
        guard current == c.asciiValue! else { throw error("\(c) expected") }
        position += 1
    }

    mutating func parseBracket() throws(JSONPathError) -> JSONPath.Segment {
        position += 1  // [
        skipSpaces()
        guard let c = current else { throw error("] expected") }
        if c == UInt8(ascii: "*") {
            position += 1
            try expect("]")
            return .wildcard
        }
        if c == UInt8(ascii: "?") {
            position += 1
            try expect("(")
            depth += 1
            guard depth <= Self.maxDepth else { throw error("filters nested too deeply") }
            let filter = try parseOr()
            depth -= 1
            try expect(")")
            try expect("]")
            return .filter(filter)
        }
        if c == UInt8(ascii: "'") || c == UInt8(ascii: "\"") {
            var names: [String] = []
            repeat {
                skipSpaces()
                names.append(try parseQuoted())
                skipSpaces()
                if current == UInt8(ascii: ",") { position += 1 } else { break }
            } while true
            try expect("]")
            return names.count == 1 ? .child(names[0]) : .names(names)
        }
        // Indices or a slice.
        var first = try parseOptionalInteger()
        skipSpaces()
        if current == UInt8(ascii: ":") {
            position += 1
            let end = try parseOptionalInteger()
            var step: Int? = nil
            skipSpaces()
            if current == UInt8(ascii: ":") {
                position += 1
                step = try parseOptionalInteger()
                if step == 0 { throw error("a slice's step cannot be 0") }
            }
            try expect("]")
            return .slice(start: first, end: end, step: step)
        }
        var indices: [Int] = []
        while true {
            guard let index = first else { throw error("an index, a quoted name, * or ?( expected in brackets") }
            indices.append(index)
            skipSpaces()
            if current == UInt8(ascii: ",") {
                position += 1
                first = try parseOptionalInteger()
            } else {
                break
            }
        }
        try expect("]")
        return indices.count == 1 ? .index(indices[0]) : .indices(indices)
    }

    mutating func parseOptionalInteger() throws(JSONPathError) -> Int? {
        skipSpaces()
        var negative = false
        if current == UInt8(ascii: "-") {
            negative = true
            position += 1
        }
        let start = position
        var n = 0
        while let c = current, c >= 0x30, c <= 0x39 {
            guard position - start < 9 else { throw error("an index too large") }
            n = n * 10 + Int(c - 0x30)
            position += 1
        }
        if position == start {
            if negative { throw error("digits expected after -") }
            return nil
        }
        return negative ? -n : n
    }

    mutating func parseQuoted() throws(JSONPathError) -> String {
        guard let quote = current, quote == UInt8(ascii: "'") || quote == UInt8(ascii: "\"") else {
            throw error("a quoted name expected")
        }
        position += 1
        var out: [UInt8] = []
        while let c = current, c != quote {
            if c == UInt8(ascii: "\\") {
                position += 1
                guard let next = current else { break }
                out.append(next)
            } else {
                out.append(c)
            }
            position += 1
        }
        guard current == quote else { throw error("unterminated quoted name") }
        position += 1
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: Filters

    mutating func parseOr() throws(JSONPathError) -> JSONPathFilter {
        var left = try parseAnd()
        while true {
            skipSpaces()
            guard current == UInt8(ascii: "|"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "|")
            else { return left }
            position += 2
            left = .or(left, try parseAnd())
        }
    }

    mutating func parseAnd() throws(JSONPathError) -> JSONPathFilter {
        var left = try parseUnary()
        while true {
            skipSpaces()
            guard current == UInt8(ascii: "&"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "&")
            else { return left }
            position += 2
            left = .and(left, try parseUnary())
        }
    }

    mutating func parseUnary() throws(JSONPathError) -> JSONPathFilter {
        skipSpaces()
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else { throw error("filters nested too deeply") }
        if current == UInt8(ascii: "!"), !(position + 1 < bytes.count && bytes[position + 1] == UInt8(ascii: "=")) {
            position += 1
            return .not(try parseUnary())
        }
        if current == UInt8(ascii: "(") {
            position += 1
            let inner = try parseOr()
            try expect(")")
            return inner
        }
        let left = try parseOperand()
        skipSpaces()
        let operators: [JSONPathFilter.ComparisonOperator] = [
            .equal, .notEqual, .lessOrEqual, .greaterOrEqual, .less, .greater,
        ]
        for op in operators {
            let token = Array(op.rawValue.utf8)
            if position + token.count <= bytes.count, Array(bytes[position..<position + token.count]) == token {
                position += token.count
                return .compare(left, op, try parseOperand())
            }
        }
        if case .literal = left { throw error("a comparison operator expected after a literal") }
        return .exists(left)
    }

    mutating func parseOperand() throws(JSONPathError) -> JSONPathFilterOperand {
        skipSpaces()
        guard let c = current else { throw error("an operand expected") }
        if c == UInt8(ascii: "@") {
            position += 1
            return .relative(try parseSegments())
        }
        if c == UInt8(ascii: "$") {
            position += 1
            return .absolute(try parseSegments())
        }
        if c == UInt8(ascii: "'") || c == UInt8(ascii: "\"") {
            return .literal(.string(try parseQuoted()))
        }
        for (word, value) in [("true", JSONValue.bool(true)), ("false", .bool(false)), ("null", .null)] {
            let w = Array(word.utf8)
            if position + w.count <= bytes.count, Array(bytes[position..<position + w.count]) == w {
                position += w.count
                return .literal(value)
            }
        }
        let start = position
        while let d = current,
            (d >= 0x30 && d <= 0x39) || d == UInt8(ascii: "-") || d == UInt8(ascii: ".") || d == UInt8(ascii: "e")
                || d == UInt8(ascii: "E") || d == UInt8(ascii: "+")
        {
            position += 1
        }
        guard position > start, let number = Double(String(decoding: bytes[start..<position], as: UTF8.self)),
            number.isFinite
        else { throw error("an operand (@…, $…, a number, a quoted string, true, false or null) expected") }
        return .literal(.number(number))
    }
}
