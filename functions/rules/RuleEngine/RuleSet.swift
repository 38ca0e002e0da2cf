import FnhostWire

/// A versioned, ordered list of eligibility rules, kept as data (JSON) so that policy changes are edits to a
/// file rather than to code. Loading validates everything up front; evaluating reports every rule that fired
/// and decides by the strongest outcome.
///
/// ```json
/// {
///   "version": "2026.03",
///   "default": {"reason": "no rule fired: organisation in good standing"},
///   "rules": [
///     {"id": "terminated", "condition": {"fact": "status", "op": "==", "value": "TERMINATED"},
///      "outcome": "INELIGIBLE", "reason": "organisation terminated"}
///   ]
/// }
/// ```
public struct RuleSet: Sendable, Hashable {
    /// The rule id the default reason is reported under; no rule may use it.
    public static let defaultRuleID = "default"
    public static let standardDefaultReason = "no rule fired: organisation in good standing"

    public let version: String
    public let rules: [Rule]
    /// The reason given with ELIGIBLE when no rule fires.
    public let defaultReason: String

    /// Builds a rule set from rules written in code, with the same id checks a file gets.
    public init(
        version: String, rules: [Rule], defaultReason: String = RuleSet.standardDefaultReason,
        source: String = "<code>"
    ) throws(RuleSetError) {
        var firstIndex: [String: Int] = [:]
        for (i, rule) in rules.enumerated() {
            if rule.id.isEmpty { throw RuleSetError(source: source, ruleIndex: i, field: "id", reason: .empty) }
            if rule.id == Self.defaultRuleID {
                throw RuleSetError(
                    source: source, ruleIndex: i, ruleID: rule.id, field: "id", reason: .reservedID(rule.id))
            }
            if let first = firstIndex[rule.id] {
                throw RuleSetError(
                    source: source, ruleIndex: i, ruleID: rule.id, field: "id",
                    reason: .duplicateID(rule.id, firstIndex: first)
                )
            }
            firstIndex[rule.id] = i
        }
        self.version = version
        self.rules = rules
        self.defaultReason = defaultReason
    }

    /// Parses and validates a rule set document. `source` names it in errors (usually the file's path).
    public init(json text: String, source: String) throws(RuleSetError) {
        try self.init(jsonBytes: Array(text.utf8), source: source)
    }

    /// Parses and validates a rule set document given as UTF-8 bytes.
    public init(jsonBytes bytes: [UInt8], source: String) throws(RuleSetError) {
        let document: JSONValue
        do {
            document = try JSONValue.parse(bytes)
        } catch {
            throw RuleSetError(source: source, reason: .malformedJSON(error))
        }
        var decoder = RuleSetDecoder(source: source)
        self = try decoder.decode(document)
    }

    /// Every fact some rule reads.
    public var referencedFacts: Set<String> {
        rules.reduce(into: Set<String>()) { $0.formUnion($1.condition.referencedFacts) }
    }

    /// Evaluates every rule against an organisation's facts on `date`.
    ///
    /// Throws ``EvaluationError`` when a fact the rules read is missing or null, or a value cannot be compared;
    /// never answers from partial facts.
    public func evaluate(facts: [String: JSONValue], on date: CalendarDate) throws(EvaluationError) -> Decision {
        var missing = Set<String>()
        var neededBy: [String] = []
        for rule in rules {
            let absent = rule.condition.referencedFacts.filter { (facts[$0] ?? .null) == .null }
            if !absent.isEmpty {
                missing.formUnion(absent)
                neededBy.append(rule.id)
            }
        }
        if !missing.isEmpty {
            throw EvaluationError(ruleID: nil, kind: .missingFacts(missing.sorted(), neededBy: neededBy))
        }

        var fired: [FiredRule] = []
        for rule in rules {
            let evaluator = ConditionEvaluator(facts: facts, date: date, ruleID: rule.id)
            if try evaluator.holds(rule.condition) {
                fired.append(FiredRule(ruleID: rule.id, outcome: rule.outcome, reason: rule.reason))
            }
        }
        guard let strongest = fired.map(\.outcome).max() else {
            return Decision(
                outcome: .eligible,
                reasons: [FiredRule(ruleID: Self.defaultRuleID, outcome: .eligible, reason: defaultReason)],
                rulesetVersion: version, evaluatedOn: date
            )
        }
        return Decision(outcome: strongest, reasons: fired, rulesetVersion: version, evaluatedOn: date)
    }
}
