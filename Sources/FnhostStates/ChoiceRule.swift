import FnhostWire

/// A Choice rule: a comparison of the input's `Variable` with a value or another path, a type test, or `And`/`Or`/
/// `Not` of rules (https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html).
public indirect enum ChoiceRule: Hashable, Sendable {
    case and([ChoiceRule])
    case or([ChoiceRule])
    case not(ChoiceRule)
    case comparison(variable: JSONPath, ChoiceOperator, ChoiceOperand)
}

/// What a comparison compares the variable with: a literal, or the value at another path (the `…Path` operators).
public enum ChoiceOperand: Hashable, Sendable {
    case value(JSONValue)
    case path(JSONPath)
}

/// Every comparison operator; the `…Path` forms share these, with a ``ChoiceOperand/path(_:)`` operand.
public enum ChoiceOperator: String, Hashable, Sendable, CaseIterable {
    case stringEquals = "StringEquals"
    case stringLessThan = "StringLessThan"
    case stringGreaterThan = "StringGreaterThan"
    case stringLessThanEquals = "StringLessThanEquals"
    case stringGreaterThanEquals = "StringGreaterThanEquals"
    case stringMatches = "StringMatches"
    case numericEquals = "NumericEquals"
    case numericLessThan = "NumericLessThan"
    case numericGreaterThan = "NumericGreaterThan"
    case numericLessThanEquals = "NumericLessThanEquals"
    case numericGreaterThanEquals = "NumericGreaterThanEquals"
    case booleanEquals = "BooleanEquals"
    case timestampEquals = "TimestampEquals"
    case timestampLessThan = "TimestampLessThan"
    case timestampGreaterThan = "TimestampGreaterThan"
    case timestampLessThanEquals = "TimestampLessThanEquals"
    case timestampGreaterThanEquals = "TimestampGreaterThanEquals"
    case isNull = "IsNull"
    case isPresent = "IsPresent"
    case isNumeric = "IsNumeric"
    case isString = "IsString"
    case isBoolean = "IsBoolean"
    case isTimestamp = "IsTimestamp"

    /// Whether the operator has a `…Path` form (every comparison but `StringMatches` and the type tests).
    var hasPathForm: Bool { !isTypeTest && self != .stringMatches }

    var isTypeTest: Bool {
        switch self {
        case .isNull, .isPresent, .isNumeric, .isString, .isBoolean, .isTimestamp: true
        default: false
        }
    }

    enum Family { case string, numeric, boolean, timestamp, typeTest }

    var family: Family {
        if isTypeTest { return .typeTest }
        if rawValue.hasPrefix("String") { return .string }
        if rawValue.hasPrefix("Numeric") { return .numeric }
        if rawValue.hasPrefix("Boolean") { return .boolean }
        return .timestamp
    }

    /// The literal operand this operator takes, if `value` is not of that type.
    func operandProblem(_ value: JSONValue) -> String? {
        switch (family, value) {
        case (.string, .string(let s)):
            if self == .stringMatches, !StringPattern.isValid(s) { return "an invalid pattern" }
            return nil
        case (.numeric, .number), (.boolean, .bool), (.typeTest, .bool): return nil
        case (.timestamp, .string(let s)):
            return Timestamp(rfc3339: s) == nil ? "a valid RFC 3339 timestamp (2016-03-14T01:59:00Z)" : nil
        case (.string, _): return "a string"
        case (.numeric, _): return "a number"
        case (.timestamp, _): return "a timestamp string"
        default: return "a boolean"
        }
    }
}

extension ChoiceRule {
    /// Whether the rule holds for `input`. A variable (or `…Path` operand) that matches nothing is `States.Runtime`,
    /// as on AWS, except for `IsPresent`, which exists to test that; a value of the wrong type is simply false.
    public func holds(input: JSONValue, context: JSONValue) throws(StatesError) -> Bool {
        switch self {
        case .and(let rules):
            for r in rules where !(try r.holds(input: input, context: context)) { return false }
            return true
        case .or(let rules):
            for r in rules where try r.holds(input: input, context: context) { return true }
            return false
        case .not(let r):
            return !(try r.holds(input: input, context: context))
        case .comparison(let variable, let op, let operand):
            let value = variable.select(input: input, context: context)
            if op == .isPresent {
                guard case .value(.bool(let expected)) = operand else { return false }
                return (value != nil) == expected
            }
            guard let value else {
                throw .runtime(
                    "Invalid path '\(variable.text)': The choice state's condition path references an invalid value.")
            }
            let other: JSONValue
            switch operand {
            case .value(let v): other = v
            case .path(let p):
                guard let v = p.select(input: input, context: context) else {
                    throw .runtime(
                        "Invalid path '\(p.text)': The choice state's condition path references an invalid value.")
                }
                other = v
            }
            return op.compare(value, other)
        }
    }
}

extension ChoiceOperator {
    func compare(_ a: JSONValue, _ b: JSONValue) -> Bool {
        func order<T: Comparable>(_ x: T, _ y: T) -> Bool {
            switch self {
            case .stringEquals, .numericEquals, .timestampEquals: x == y
            case .stringLessThan, .numericLessThan, .timestampLessThan: x < y
            case .stringGreaterThan, .numericGreaterThan, .timestampGreaterThan: x > y
            case .stringLessThanEquals, .numericLessThanEquals, .timestampLessThanEquals: x <= y
            default: x >= y
            }
        }
        switch family {
        case .typeTest:
            guard case .bool(let expected) = b else { return false }
            let actual: Bool
            switch self {
            case .isNull: actual = a == .null
            case .isNumeric: if case .number = a { actual = true } else { actual = false }
            case .isString: if case .string = a { actual = true } else { actual = false }
            case .isBoolean: if case .bool = a { actual = true } else { actual = false }
            default:
                if case .string(let s) = a { actual = Timestamp(rfc3339: s) != nil } else { actual = false }
            }
            return actual == expected
        case .string:
            guard case .string(let x) = a, case .string(let y) = b else { return false }
            if self == .stringMatches { return StringPattern.matches(x, pattern: y) }
            // By UTF-16 code units, as Java's String.compareTo (Step Functions' own runtime) orders them.
            let equal = x.utf16.elementsEqual(y.utf16)
            let less = x.utf16.lexicographicallyPrecedes(y.utf16)
            switch self {
            case .stringEquals: return equal
            case .stringLessThan: return less
            case .stringGreaterThan: return !less && !equal
            case .stringLessThanEquals: return less || equal
            default: return !less
            }
        case .numeric:
            guard case .number(let x) = a, case .number(let y) = b else { return false }
            return order(x, y)
        case .boolean:
            guard case .bool(let x) = a, case .bool(let y) = b else { return false }
            return x == y
        case .timestamp:
            guard case .string(let x) = a, case .string(let y) = b, let tx = Timestamp(rfc3339: x),
                let ty = Timestamp(rfc3339: y)
            else { return false }
            return order(tx, ty)
        }
    }
}

/// `StringMatches` patterns: `*` matches any run of characters, `\*` a literal star, `\\` a literal backslash.
enum StringPattern {
    enum Piece: Equatable {
        case literal(Character)
        case star
    }

    static func pieces(_ pattern: String) -> [Piece]? {
        var out: [Piece] = []
        var it = pattern.makeIterator()
        while let c = it.next() {
            if c == "\\" {
                guard let e = it.next(), e == "*" || e == "\\" else { return nil }
                out.append(.literal(e))
            } else if c == "*" {
                out.append(.star)
            } else {
                out.append(.literal(c))
            }
        }
        return out
    }

    static func isValid(_ pattern: String) -> Bool { pieces(pattern) != nil }

    /// Greedy-free wildcard matching in O(n·m) worst case (no backtracking blow-up).
    static func matches(_ text: String, pattern: String) -> Bool {
        guard let p = pieces(pattern) else { return false }
        let t = Array(text)
        var ti = 0
        var pi = 0
        var starP = -1
        var starT = 0
        while ti < t.count {
            if pi < p.count, case .literal(let c) = p[pi], c == t[ti] {
                ti += 1
                pi += 1
            } else if pi < p.count, p[pi] == .star {
                starP = pi
                starT = ti
                pi += 1
            } else if starP >= 0 {
                pi = starP + 1
                starT += 1
                ti = starT
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == .star { pi += 1 }
        return pi == p.count
    }
}
