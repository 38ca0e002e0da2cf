import FnhostWire

/// The right-hand side of a comparison: a literal, a list (for `in`), another fact, or a date, optionally
/// shifted by a period ("the evaluation date minus 2 years").
///
/// In a rule file:
/// - `"TERMINATED"`, `10000`, `false`: a literal
/// - `["ACTIVE", "PENDING"]`: a list, only after `in`
/// - `{"fact": "contractStart"}`: another fact of the same organisation
/// - `{"date": "evaluation"}` or `{"date": "2026-01-01"}`: the evaluation date, or a fixed date
/// - `{"date": "evaluation", "minus": {"years": 2}}`, `{"fact": "contractEnd", "plus": {"days": 30}}`: shifted
public indirect enum Operand: Sendable, Hashable, CustomStringConvertible {
    case literal(JSONValue)
    case list([Operand])
    case fact(String)
    case evaluationDate
    case date(CalendarDate)
    /// `base` moved by `period`; `backwards` for `minus`.
    case shifted(base: Operand, period: DatePeriod, backwards: Bool)

    /// The facts this operand reads.
    public var referencedFacts: Set<String> {
        switch self {
        case .literal, .evaluationDate, .date: []
        case .fact(let name): [name]
        case .list(let items): items.reduce(into: Set<String>()) { $0.formUnion($1.referencedFacts) }
        case .shifted(let base, _, _): base.referencedFacts
        }
    }

    public var description: String {
        switch self {
        case .literal(let v): v.shortDescription
        case .list(let items): "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .fact(let name): name
        case .evaluationDate: "date"
        case .date(let d): d.description
        case .shifted(let base, let period, let backwards): "\(base) \(backwards ? "minus" : "plus") \(period)"
        }
    }
}
