import FnhostWire

/// A filter expression inside a JSONPath (`[?(@.price < 10 && @.category == 'fiction')]`): comparisons of `@`
/// (the candidate) or `$` paths with literals or other paths, existence tests (`[?(@.isbn)]`), `!`, `&&`, `||`
/// and parentheses, the subset of Jayway JsonPath (the implementation Step Functions uses) that ASL examples use.
public indirect enum JSONPathFilter: Hashable, Sendable {
    case exists(JSONPathFilterOperand)
    case compare(JSONPathFilterOperand, ComparisonOperator, JSONPathFilterOperand)
    case not(JSONPathFilter)
    case and(JSONPathFilter, JSONPathFilter)
    case or(JSONPathFilter, JSONPathFilter)

    /// `==`, `!=`, `<`, `<=`, `>`, `>=`.
    public enum ComparisonOperator: String, Hashable, Sendable {
        case equal = "=="
        case notEqual = "!="
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
    }

    func holds(on candidate: JSONValue, root: JSONValue) -> Bool {
        switch self {
        case .exists(let operand): return operand.value(candidate: candidate, root: root) != nil
        case .not(let inner): return !inner.holds(on: candidate, root: root)
        case .and(let a, let b): return a.holds(on: candidate, root: root) && b.holds(on: candidate, root: root)
        case .or(let a, let b): return a.holds(on: candidate, root: root) || b.holds(on: candidate, root: root)
        case .compare(let l, let op, let r):
            guard let a = l.value(candidate: candidate, root: root), let b = r.value(candidate: candidate, root: root)
            else { return op == .notEqual }
            switch op {
            case .equal: return a == b
            case .notEqual: return a != b
            default:
                let order: Int
                switch (a, b) {
                case (.number(let x), .number(let y)): order = x < y ? -1 : (x > y ? 1 : 0)
                case (.string(let x), .string(let y)): order = x < y ? -1 : (x > y ? 1 : 0)
                default: return false
                }
                switch op {
                case .less: return order < 0
                case .lessOrEqual: return order <= 0
                case .greater: return order > 0
                default: return order >= 0
                }
            }
        }
    }
}

/// One side of a filter comparison: a literal, a path from the candidate (`@…`) or from the input (`$…`).
public enum JSONPathFilterOperand: Hashable, Sendable {
    case literal(JSONValue)
    case relative([JSONPath.Segment])
    case absolute([JSONPath.Segment])

    func value(candidate: JSONValue, root: JSONValue) -> JSONValue? {
        switch self {
        case .literal(let v): return v
        case .relative(let segments), .absolute(let segments):
            var nodes: [JSONValue]
            if case .relative = self { nodes = [candidate] } else { nodes = [root] }
            for s in segments { nodes = JSONPath.apply(s, to: nodes, root: root) }
            let definite = segments.allSatisfy {
                if case .child = $0 { return true }
                if case .index = $0 { return true }
                return false
            }
            if definite { return nodes.first }
            return nodes.isEmpty ? nil : .array(nodes)
        }
    }
}
