/// When a rule fires: a comparison of one fact with a value, or a combination of conditions.
///
/// In a rule file:
/// - `{"fact": "outstandingBalance", "op": ">", "value": 10000}`
/// - `{"all": [ ... ]}`, `{"any": [ ... ]}`, `{"not": { ... }}`
public indirect enum Condition: Sendable, Hashable, CustomStringConvertible {
    case comparison(fact: String, op: ComparisonOperator, value: Operand)
    case all([Condition])
    case any([Condition])
    case not(Condition)

    /// The facts this condition reads; every one must be present when it is evaluated.
    public var referencedFacts: Set<String> {
        switch self {
        case .comparison(let fact, _, let value): value.referencedFacts.union([fact])
        case .all(let items), .any(let items): items.reduce(into: Set<String>()) { $0.formUnion($1.referencedFacts) }
        case .not(let inner): inner.referencedFacts
        }
    }

    public var description: String {
        switch self {
        case .comparison(let fact, let op, let value): "\(fact) \(op.rawValue) \(value)"
        case .all(let items): "all(" + items.map(\.description).joined(separator: ", ") + ")"
        case .any(let items): "any(" + items.map(\.description).joined(separator: ", ") + ")"
        case .not(let inner): "not(\(inner))"
        }
    }
}
