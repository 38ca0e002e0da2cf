import FnhostSimulation
import FnhostWire

extension IntrinsicCall {
    /// Evaluates the call on a state's input and the context object. A failure is `States.Runtime`, the name AWS
    /// reports intrinsic failures with (`States.IntrinsicFailure` is reserved).
    public func evaluate(
        input: JSONValue, context: JSONValue, random: inout SeededGenerator
    ) throws(StatesError) -> JSONValue {
        var values: [JSONValue] = []
        for argument in arguments {
            values.append(try argument.evaluate(input: input, context: context, random: &random, in: function))
        }
        return try function.apply(to: values, arguments: arguments, random: &random)
    }
}

extension IntrinsicArgument {
    func evaluate(
        input: JSONValue, context: JSONValue, random: inout SeededGenerator, in function: IntrinsicFunction
    ) throws(StatesError) -> JSONValue {
        switch self {
        case .string(let s, _): return .string(s)
        case .number(let n): return .number(n)
        case .bool(let b): return .bool(b)
        case .null: return .null
        case .path(let path):
            guard let value = path.select(input: input, context: context) else {
                throw .runtime(
                    "The JSONPath '\(path.text)' specified as an argument of \(function.fullName) could not be found "
                        + "in the input \(String(decoding: input.serialized, as: UTF8.self))")
            }
            return value
        case .call(let call): return try call.evaluate(input: input, context: context, random: &random)
        }
    }
}

extension IntrinsicFunction {
    func fail(_ reason: String) -> StatesError { .runtime("\(fullName): \(reason)") }

    func integer(_ v: JSONValue, _ what: String) throws(StatesError) -> Int {
        guard case .number(let d) = v, d == d.rounded(), abs(d) < 1e15 else {
            throw fail("\(what) must be an integer, not \(v.shortDescription)")
        }
        return Int(d)
    }

    func string(_ v: JSONValue, _ what: String) throws(StatesError) -> String {
        guard case .string(let s) = v else { throw fail("\(what) must be a string, not \(v.kind)") }
        return s
    }

    func array(_ v: JSONValue, _ what: String) throws(StatesError) -> [JSONValue] {
        guard case .array(let a) = v else { throw fail("\(what) must be an array, not \(v.kind)") }
        return a
    }

    /// The largest input Base64Encode, Base64Decode and Hash accept (AWS: 10,000 characters).
    static let maxStringInput = 10_000
    /// The most items ArrayRange may produce (AWS: 1,000).
    static let maxRangeItems = 1_000

    func apply(
        to v: [JSONValue], arguments: [IntrinsicArgument], random: inout SeededGenerator
    ) throws(StatesError) -> JSONValue {
        switch self {
        case .format:
            return .string(try format(v, arguments: arguments))
        case .stringToJson:
            let s = try string(v[0], "the argument")
            do {
                return try JSONValue.parse(s)
            } catch {
                throw fail("the argument is not JSON text: \(error)")
            }
        case .jsonToString:
            return .string(String(decoding: v[0].serialized, as: UTF8.self))
        case .array:
            return .array(v)
        case .arrayPartition:
            let a = try array(v[0], "the first argument")
            let size = try integer(v[1], "the chunk size")
            guard size > 0 else { throw fail("the chunk size must be greater than 0, not \(size)") }
            return .array(stride(from: 0, to: a.count, by: size).map { .array(Array(a[$0..<min($0 + size, a.count)])) })
        case .arrayContains:
            return .bool(try array(v[0], "the first argument").contains(v[1]))
        case .arrayRange:
            let start = try integer(v[0], "the start")
            let end = try integer(v[1], "the end")
            let step = try integer(v[2], "the step")
            guard step != 0 else { throw fail("the step must not be 0") }
            var out: [JSONValue] = []
            var i = start
            while step > 0 ? i <= end : i >= end {
                out.append(.number(Double(i)))
                guard out.count <= Self.maxRangeItems else {
                    throw fail("the range has more than \(Self.maxRangeItems) items")
                }
                i += step
            }
            return .array(out)
        case .arrayGetItem:
            let a = try array(v[0], "the first argument")
            let index = try integer(v[1], "the index")
            guard index >= 0, index < a.count else {
                throw fail("the index \(index) is outside the array's bounds (0..<\(a.count))")
            }
            return a[index]
        case .arrayLength:
            return .number(Double(try array(v[0], "the argument").count))
        case .arrayUnique:
            var seen: Set<JSONValue> = []
            return .array(try array(v[0], "the argument").filter { seen.insert($0).inserted })
        case .base64Encode:
            let s = try string(v[0], "the argument")
            guard s.count <= Self.maxStringInput else {
                throw fail("the input is longer than \(Self.maxStringInput) characters")
            }
            return .string(Base64.encode(Array(s.utf8)))
        case .base64Decode:
            let s = try string(v[0], "the argument")
            guard s.count <= Self.maxStringInput else {
                throw fail("the input is longer than \(Self.maxStringInput) characters")
            }
            guard let bytes = Base64.decode(s) else { throw fail("the argument is not valid base64") }
            return .string(String(decoding: bytes, as: UTF8.self))
        case .hash:
            let data = try v[0].hashInput(for: self)
            let name = try string(v[1], "the algorithm")
            guard let algorithm = Digest.Algorithm(rawValue: name) else {
                throw fail(
                    "the algorithm must be one of \(Digest.Algorithm.allCases.map(\.rawValue).joined(separator: ", ")), "
                        + "not \(JSONText.quoteShortened(name))")
            }
            guard data.count <= Self.maxStringInput else {
                throw fail("the input is longer than \(Self.maxStringInput) characters")
            }
            return .string(Digest.hex(algorithm, Array(data.utf8)))
        case .jsonMerge:
            guard case .object(var a) = v[0], case .object(let b) = v[1] else {
                throw fail("the first two arguments must be objects")
            }
            guard v[2] == .bool(false) else {
                throw fail("the third argument must be false (deep merge is not supported)")
            }
            for (k, value) in b { a[k] = value }
            return .object(a)
        case .mathRandom:
            let start = try integer(v[0], "the start")
            let end = try integer(v[1], "the end")
            guard start < end else { throw fail("the start (\(start)) must be less than the end (\(end))") }
            if v.count == 3 {
                var seeded = SeededGenerator(seed: UInt64(bitPattern: Int64(try integer(v[2], "the seed"))))
                return .number(Double(Int.random(in: start..<end, using: &seeded)))
            }
            return .number(Double(Int.random(in: start..<end, using: &random)))
        case .mathAdd:
            let a = try integer(v[0], "the first argument")
            let b = try integer(v[1], "the second argument")
            let range = Int(Int32.min)...Int(Int32.max)
            guard range.contains(a), range.contains(b) else {
                throw fail("the arguments must be within \(Int32.min) and \(Int32.max)")
            }
            return .number(Double(a + b))
        case .stringSplit:
            let s = try string(v[0], "the first argument")
            let delimiters = Set(try string(v[1], "the delimiter"))
            return .array(s.split(whereSeparator: { delimiters.contains($0) }).map { .string(String($0)) })
        case .uuid:
            return .string(UUIDv4.make(using: &random))
        }
    }

    func format(_ v: [JSONValue], arguments: [IntrinsicArgument]) throws(StatesError) -> String {
        let raw: String
        switch arguments[0] {
        case .string(_, let r): raw = r
        default: raw = try string(v[0], "the template")
        }
        var out = ""
        var next = 1
        var chars = raw.makeIterator()
        let escapes = arguments[0].isLiteralString
        while let c = chars.next() {
            if escapes, c == "\\", let e = chars.next() {
                out.append(e)
            } else if c == "{" {
                guard let close = chars.next(), close == "}" else {
                    throw fail("a { in the template must be a {} placeholder or be escaped as \\{")
                }
                guard next < v.count else {
                    throw fail("the template has more {} placeholders than arguments (\(v.count - 1))")
                }
                switch v[next] {
                case .string(let s): out += s
                case .number, .bool, .null: out += String(decoding: v[next].serialized, as: UTF8.self)
                default:
                    throw fail(
                        "a placeholder's argument must be a string, number, boolean or null, not \(v[next].kind)")
                }
                next += 1
            } else {
                out.append(c)
            }
        }
        guard next == v.count else {
            throw fail("the template has \(next - 1) {} placeholders but \(v.count - 1) arguments follow it")
        }
        return out
    }
}

extension IntrinsicArgument {
    var isLiteralString: Bool {
        if case .string = self { return true }
        return false
    }
}

extension JSONValue {
    /// What `States.Hash` hashes: a string as itself, any other value as its JSON text.
    func hashInput(for function: IntrinsicFunction) throws(StatesError) -> String {
        if case .string(let s) = self { return s }
        if case .null = self { throw function.fail("the data to hash must not be null") }
        return String(decoding: serialized, as: UTF8.self)
    }
}
