import FnhostWire

/// Why a rule set was refused at load time, pointing at the file, the rule (index and id), the field and the
/// reason, so that whoever edited the file can fix it without reading the engine.
///
/// Example: `rules.json: rules[5] (id "audit-overdue"), field "condition.value.minus.years": must be a whole
/// number from 0 to 1000, found -2`.
public struct RuleSetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong with the field.
    public enum Reason: Sendable, Equatable {
        /// The file could not be read at all.
        case unreadable(String)
        case malformedJSON(JSONSyntaxError)
        /// A required field is absent.
        case missingField
        /// A field is present but of the wrong JSON type.
        case wrongType(expected: String, found: String)
        /// A field the format does not define (usually a typo).
        case unknownField
        case unknownOperator(String)
        case unknownOutcome(String)
        /// A date literal that is not a real `YYYY-MM-DD` day.
        case malformedDate(String)
        /// Two rules share an id; `firstIndex` is the earlier one.
        case duplicateID(String, firstIndex: Int)
        /// An id the engine keeps for itself (`default`).
        case reservedID(String)
        /// An empty string or list where content is required.
        case empty
        /// A `plus`/`minus` period that is not whole, non-negative years, months and days.
        case invalidPeriod(String)
        /// A condition object that is none, or more than one, of `all`, `any`, `not`, `fact`/`op`/`value`.
        case unrecognisedCondition([String])
        /// An operator used with a value it cannot take (`in` without a list, `<` with a boolean ...).
        case operatorMismatch(String)
    }

    /// Where the rule set came from (a file path, or a name for in-memory text).
    public let source: String
    /// 0-based position of the rule in `rules`, nil for a problem outside the rules.
    public let ruleIndex: Int?
    /// The rule's id when it could be read.
    public let ruleID: String?
    /// The field's path, relative to the rule when there is one (`condition.all[1].op`), else to the document;
    /// empty for the document as a whole.
    public let field: String
    public let reason: Reason

    public init(source: String, ruleIndex: Int? = nil, ruleID: String? = nil, field: String = "", reason: Reason) {
        self.source = source
        self.ruleIndex = ruleIndex
        self.ruleID = ruleID
        self.field = field
        self.reason = reason
    }

    public var description: String {
        var location = source + ":"
        if let ruleIndex {
            location += " rules[\(ruleIndex)]"
            if let ruleID { location += " (id \"\(ruleID)\")" }
            if !field.isEmpty { location += "," }
        }
        if !field.isEmpty { location += " field \"\(field)\"" }
        return location + ": " + explanation
    }

    /// The reason in words.
    public var explanation: String {
        switch reason {
        case .unreadable(let why): "cannot read the rule set: \(why)"
        case .malformedJSON(let e): "not valid JSON at \(e)"
        case .missingField: "is required but missing"
        case .wrongType(let expected, let found): "must be \(expected), found \(found)"
        case .unknownField: "is not a known field (check the spelling)"
        case .unknownOperator(let op): "unknown operator \"\(op)\" (expected one of \(ComparisonOperator.spellings))"
        case .unknownOutcome(let o):
            "unknown outcome \"\(o)\" (expected one of \(Outcome.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .malformedDate(let text): "\"\(text)\" is not a date: write YYYY-MM-DD (a real day) or \"evaluation\""
        case .duplicateID(let id, let first): "duplicate rule id \"\(id)\", already used by rules[\(first)]"
        case .reservedID(let id): "the rule id \"\(id)\" is reserved for the default reason; choose another"
        case .empty: "must not be empty"
        case .invalidPeriod(let detail): detail
        case .unrecognisedCondition(let keys):
            "a condition must be exactly one of {\"all\": [...]}, {\"any\": [...]}, {\"not\": {...}} or "
                + "{\"fact\", \"op\", \"value\"}; found keys "
                + (keys.isEmpty ? "none" : keys.map { "\"\($0)\"" }.joined(separator: ", "))
        case .operatorMismatch(let detail): detail
        }
    }
}
