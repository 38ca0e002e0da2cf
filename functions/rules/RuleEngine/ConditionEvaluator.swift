import FnhostWire

/// Evaluates one rule's condition against an organisation's facts on a date.
///
/// Every branch of `all`/`any` is evaluated (no short-circuit), so that a type error anywhere in a rule is
/// reported on every input rather than only on the inputs that happen to reach it.
struct ConditionEvaluator {
    let facts: [String: JSONValue]
    let date: CalendarDate
    let ruleID: String

    func holds(_ condition: Condition) throws(EvaluationError) -> Bool {
        switch condition {
        case .comparison(let fact, let op, let operand):
            let left = try resolve(.fact(fact))
            let right = try resolve(operand)
            return try compare(left, op, right)
        case .all(let items):
            var result = true
            for item in items where try !holds(item) { result = false }
            return result
        case .any(let items):
            var result = false
            for item in items where try holds(item) { result = true }
            return result
        case .not(let inner):
            return try !holds(inner)
        }
    }

    // MARK: Resolving operands

    private func resolve(_ operand: Operand) throws(EvaluationError) -> ResolvedValue {
        switch operand {
        case .literal(let v):
            return try ResolvedValue(json: v, label: v.shortDescription, ruleID: ruleID)
        case .list(let items):
            var values: [ResolvedValue] = []
            for item in items { values.append(try resolve(item)) }
            return ResolvedValue(kind: .list(values), label: operand.description)
        case .fact(let name):
            guard let value = facts[name], value != .null else {
                throw EvaluationError(ruleID: ruleID, kind: .missingFacts([name], neededBy: [ruleID]))
            }
            return try ResolvedValue(
                json: value, label: "\(name) (\(value.shortDescription))", ruleID: ruleID, factName: name)
        case .evaluationDate:
            return ResolvedValue(kind: .date(date), label: "date (\(date))")
        case .date(let d):
            return ResolvedValue(kind: .date(d), label: d.description)
        case .shifted(let base, let period, let backwards):
            let resolved = try resolve(base)
            guard let start = resolved.asDate else {
                throw EvaluationError(ruleID: ruleID, kind: .notADate(resolved.label))
            }
            let sign = backwards ? -1 : 1
            let shifted = start.adding(
                years: sign * period.years, months: sign * period.months, days: sign * period.days)
            return ResolvedValue(kind: .date(shifted), label: "\(operand) (\(shifted))")
        }
    }

    // MARK: Comparing

    private func compare(_ left: ResolvedValue, _ op: ComparisonOperator, _ right: ResolvedValue)
        throws(EvaluationError) -> Bool
    {
        if op == .isIn {
            guard case .list(let candidates) = right.kind else {
                throw EvaluationError(ruleID: ruleID, kind: .incomparable(op: op, left: left.label, right: right.label))
            }
            var found = false
            for candidate in candidates where try order(left, candidate, op) == 0 { found = true }
            return found
        }
        let ordering = try order(left, right, op)
        switch op {
        case .equal: return ordering == 0
        case .notEqual: return ordering != 0
        case .less: return ordering < 0
        case .lessOrEqual: return ordering <= 0
        case .greater: return ordering > 0
        case .greaterOrEqual: return ordering >= 0
        case .isIn: return false  // handled above
        }
    }

    /// -1, 0 or 1; throws when the two values are of kinds that `op` cannot compare.
    private func order(_ left: ResolvedValue, _ right: ResolvedValue, _ op: ComparisonOperator) throws(EvaluationError)
        -> Int
    {
        func sign<T: Comparable>(_ a: T, _ b: T) -> Int { a < b ? -1 : (a == b ? 0 : 1) }
        let mismatch = EvaluationError(
            ruleID: ruleID, kind: .incomparable(op: op, left: left.label, right: right.label))
        switch (left.kind, right.kind) {
        case (.number(let a), .number(let b)):
            return sign(a, b)
        case (.bool(let a), .bool(let b)):
            if op.isOrdering { throw mismatch }
            return a == b ? 0 : 1
        case (.date(let a), .date(let b)):
            return sign(a, b)
        case (.date(let a), .string):
            guard let b = right.asDate else { throw EvaluationError(ruleID: ruleID, kind: .notADate(right.label)) }
            return sign(a, b)
        case (.string, .date(let b)):
            guard let a = left.asDate else { throw EvaluationError(ruleID: ruleID, kind: .notADate(left.label)) }
            return sign(a, b)
        case (.string(let a), .string(let b)):
            // Two ISO dates compare as dates; anything else as text.
            if let da = left.asDate, let db = right.asDate { return sign(da, db) }
            return sign(a, b)
        default:
            throw mismatch
        }
    }
}
