import FnhostWire

/// Turns a parsed rule-set document into a ``RuleSet``, checking every field and naming the first bad one.
struct RuleSetDecoder {
    let source: String
    private var ruleIndex: Int?
    private var ruleID: String?

    init(source: String) { self.source = source }

    mutating func decode(_ document: JSONValue) throws(RuleSetError) -> RuleSet {
        guard case .object(let doc) = document else {
            throw fail("", .wrongType(expected: "an object with \"version\" and \"rules\"", found: document.kind))
        }
        try rejectUnknownFields(doc, allowed: ["version", "description", "default", "rules"], at: "")
        let version = try requiredString(doc, "version", at: "")
        if let d = doc["description"] {
            guard case .string = d else { throw fail("description", .wrongType(expected: "a string", found: d.kind)) }
        }
        var defaultReason = RuleSet.standardDefaultReason
        if let value = doc["default"] {
            guard case .object(let d) = value else {
                throw fail("default", .wrongType(expected: "an object with \"reason\"", found: value.kind))
            }
            try rejectUnknownFields(d, allowed: ["reason"], at: "default")
            defaultReason = try requiredString(d, "reason", at: "default")
        }
        guard let rulesValue = doc["rules"] else { throw fail("rules", .missingField) }
        guard case .array(let items) = rulesValue else {
            throw fail("rules", .wrongType(expected: "an array of rules", found: rulesValue.kind))
        }
        if items.isEmpty { throw fail("rules", .empty) }
        var rules: [Rule] = []
        var firstIndex: [String: Int] = [:]
        for (i, item) in items.enumerated() {
            ruleIndex = i
            ruleID = nil
            let rule = try decodeRule(item)
            if let first = firstIndex[rule.id] { throw fail("id", .duplicateID(rule.id, firstIndex: first)) }
            firstIndex[rule.id] = i
            rules.append(rule)
        }
        ruleIndex = nil
        ruleID = nil
        return try RuleSet(version: version, rules: rules, defaultReason: defaultReason, source: source)
    }

    private mutating func decodeRule(_ value: JSONValue) throws(RuleSetError) -> Rule {
        guard case .object(let fields) = value else {
            throw fail("", .wrongType(expected: "a rule object", found: value.kind))
        }
        let id = try requiredString(fields, "id", at: "")
        ruleID = id
        if id == RuleSet.defaultRuleID { throw fail("id", .reservedID(id)) }
        try rejectUnknownFields(fields, allowed: ["id", "description", "condition", "outcome", "reason"], at: "")
        if let d = fields["description"] {
            guard case .string = d else { throw fail("description", .wrongType(expected: "a string", found: d.kind)) }
        }
        guard let conditionValue = fields["condition"] else { throw fail("condition", .missingField) }
        let condition = try decodeCondition(conditionValue, at: "condition")
        let outcomeText = try requiredString(fields, "outcome", at: "")
        guard let outcome = Outcome(rawValue: outcomeText) else { throw fail("outcome", .unknownOutcome(outcomeText)) }
        let reason = try requiredString(fields, "reason", at: "")
        return Rule(id: id, condition: condition, outcome: outcome, reason: reason)
    }

    private func decodeCondition(_ value: JSONValue, at path: String) throws(RuleSetError) -> Condition {
        guard case .object(let fields) = value else {
            throw fail(path, .wrongType(expected: "a condition object", found: value.kind))
        }
        let forms = ["all", "any", "not", "fact"].filter { fields[$0] != nil }
        guard forms.count == 1, let form = forms.first else {
            throw fail(path, .unrecognisedCondition(fields.keys.sorted()))
        }
        switch form {
        case "all", "any":
            try rejectUnknownFields(fields, allowed: [form], at: path)
            let listPath = join(path, form)
            guard case .array(let items) = fields[form]! else {
                throw fail(listPath, .wrongType(expected: "an array of conditions", found: fields[form]!.kind))
            }
            if items.isEmpty { throw fail(listPath, .empty) }
            var conditions: [Condition] = []
            for (i, item) in items.enumerated() {
                conditions.append(try decodeCondition(item, at: "\(listPath)[\(i)]"))
            }
            return form == "all" ? .all(conditions) : .any(conditions)
        case "not":
            try rejectUnknownFields(fields, allowed: ["not"], at: path)
            return .not(try decodeCondition(fields["not"]!, at: join(path, "not")))
        default:
            return try decodeComparison(fields, at: path)
        }
    }

    private func decodeComparison(_ fields: [String: JSONValue], at path: String) throws(RuleSetError) -> Condition {
        try rejectUnknownFields(fields, allowed: ["fact", "op", "value"], at: path)
        let fact = try requiredString(fields, "fact", at: path)
        let opText = try requiredString(fields, "op", at: path)
        guard let op = ComparisonOperator(rawValue: opText) else {
            throw fail(join(path, "op"), .unknownOperator(opText))
        }
        guard let rawValue = fields["value"] else { throw fail(join(path, "value"), .missingField) }
        let valuePath = join(path, "value")
        let value = try decodeOperand(rawValue, at: valuePath)
        switch (op, value) {
        case (.isIn, .list), (.isIn, .fact):
            break
        case (.isIn, _):
            throw fail(
                valuePath,
                .operatorMismatch("operator \"in\" needs a list of values (or a fact holding one), found \(value)"))
        case (_, .list):
            throw fail(
                valuePath, .operatorMismatch("a list of values only goes with operator \"in\", not \"\(op.rawValue)\""))
        case (_, .literal(.bool)) where op.isOrdering:
            throw fail(valuePath, .operatorMismatch("operator \"\(op.rawValue)\" cannot order booleans; use == or !="))
        default:
            break
        }
        return .comparison(fact: fact, op: op, value: value)
    }

    private func decodeOperand(_ value: JSONValue, at path: String) throws(RuleSetError) -> Operand {
        switch value {
        case .string, .number, .bool:
            return .literal(value)
        case .null:
            throw fail(
                path, .wrongType(expected: "a string, number, boolean, list, {\"fact\"} or {\"date\"}", found: "null"))
        case .array(let items):
            if items.isEmpty { throw fail(path, .empty) }
            var operands: [Operand] = []
            for (i, item) in items.enumerated() {
                if case .array = item {
                    throw fail(
                        "\(path)[\(i)]", .wrongType(expected: "a single value (lists do not nest)", found: "an array"))
                }
                operands.append(try decodeOperand(item, at: "\(path)[\(i)]"))
            }
            return .list(operands)
        case .object(let fields):
            return try decodeReference(fields, at: path)
        }
    }

    /// `{"fact": NAME}` or `{"date": "evaluation" | "YYYY-MM-DD"}`, optionally with `plus` or `minus`.
    private func decodeReference(_ fields: [String: JSONValue], at path: String) throws(RuleSetError) -> Operand {
        try rejectUnknownFields(fields, allowed: ["fact", "date", "plus", "minus"], at: path)
        let base: Operand
        switch (fields["fact"], fields["date"]) {
        case (.some, .some), (nil, nil):
            throw fail(
                path,
                .wrongType(
                    expected: "exactly one of {\"fact\": NAME} or {\"date\": \"evaluation\" | \"YYYY-MM-DD\"}",
                    found: "keys " + fields.keys.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
                ))
        case (.some, nil):
            base = .fact(try requiredString(fields, "fact", at: path))
        case (nil, .some):
            let text = try requiredString(fields, "date", at: path)
            if text == "evaluation" {
                base = .evaluationDate
            } else if let date = CalendarDate(iso: text) {
                base = .date(date)
            } else {
                throw fail(join(path, "date"), .malformedDate(text))
            }
        }
        switch (fields["plus"], fields["minus"]) {
        case (.some, .some):
            throw fail(path, .invalidPeriod("give either \"plus\" or \"minus\", not both"))
        case (.some(let p), nil):
            return .shifted(base: base, period: try decodePeriod(p, at: join(path, "plus")), backwards: false)
        case (nil, .some(let p)):
            return .shifted(base: base, period: try decodePeriod(p, at: join(path, "minus")), backwards: true)
        case (nil, nil):
            return base
        }
    }

    private func decodePeriod(_ value: JSONValue, at path: String) throws(RuleSetError) -> DatePeriod {
        guard case .object(let fields) = value else {
            throw fail(path, .wrongType(expected: "a period such as {\"years\": 2}", found: value.kind))
        }
        try rejectUnknownFields(fields, allowed: ["years", "months", "days"], at: path)
        if fields.isEmpty {
            throw fail(path, .invalidPeriod("a period needs at least one of \"years\", \"months\", \"days\""))
        }
        func amount(_ unit: String) throws(RuleSetError) -> Int {
            guard let v = fields[unit] else { return 0 }
            guard case .number(let d) = v, d == d.rounded(), d >= 0, d <= 100_000 else {
                throw fail(
                    join(path, unit),
                    .invalidPeriod("must be a whole number from 0 to 100000, found \(v.shortDescription)"))
            }
            return Int(d)
        }
        return DatePeriod(years: try amount("years"), months: try amount("months"), days: try amount("days"))
    }

    // MARK: Helpers

    private func requiredString(_ fields: [String: JSONValue], _ key: String, at path: String) throws(RuleSetError)
        -> String
    {
        let fieldPath = join(path, key)
        guard let value = fields[key] else { throw fail(fieldPath, .missingField) }
        guard case .string(let s) = value else {
            throw fail(fieldPath, .wrongType(expected: "a string", found: value.kind))
        }
        if s.isEmpty { throw fail(fieldPath, .empty) }
        return s
    }

    private func rejectUnknownFields(_ fields: [String: JSONValue], allowed: Set<String>, at path: String)
        throws(RuleSetError)
    {
        if let unknown = fields.keys.filter({ !allowed.contains($0) }).sorted().first {
            throw fail(join(path, unknown), .unknownField)
        }
    }

    private func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : path + "." + key }

    private func fail(_ field: String, _ reason: RuleSetError.Reason) -> RuleSetError {
        RuleSetError(source: source, ruleIndex: ruleIndex, ruleID: ruleID, field: field, reason: reason)
    }
}
