import FnhostWire

/// A value an operand resolved to during evaluation, with a label naming where it came from for error messages.
struct ResolvedValue {
    enum Kind {
        case string(String)
        case number(Double)
        case bool(Bool)
        case date(CalendarDate)
        case list([ResolvedValue])
    }

    let kind: Kind
    let label: String

    init(kind: Kind, label: String) {
        self.kind = kind
        self.label = label
    }

    init(json: JSONValue, label: String, ruleID: String, factName: String? = nil) throws(EvaluationError) {
        self.label = label
        switch json {
        case .string(let s): kind = .string(s)
        case .number(let d): kind = .number(d)
        case .bool(let b): kind = .bool(b)
        case .array(let items):
            var values: [ResolvedValue] = []
            for item in items {
                values.append(
                    try ResolvedValue(json: item, label: item.shortDescription, ruleID: ruleID, factName: factName))
            }
            kind = .list(values)
        case .null, .object:
            throw EvaluationError(
                ruleID: ruleID, kind: .unsupportedFact(name: factName ?? label, found: json.kind)
            )
        }
    }

    /// The value as a date, if it is one or is a `YYYY-MM-DD` string.
    var asDate: CalendarDate? {
        switch kind {
        case .date(let d): d
        case .string(let s): CalendarDate(iso: s)
        default: nil
        }
    }
}
