/// The comparisons a rule condition can make between a fact and a value.
public enum ComparisonOperator: String, Sendable, Hashable, CaseIterable {
    case equal = "=="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    /// The fact equals one of the values in a list.
    case isIn = "in"

    /// Whether the operator orders its operands (and so cannot apply to booleans or lists).
    var isOrdering: Bool {
        switch self {
        case .less, .lessOrEqual, .greater, .greaterOrEqual: true
        case .equal, .notEqual, .isIn: false
        }
    }

    static var spellings: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
