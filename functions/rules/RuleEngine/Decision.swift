import FnhostWire

/// The result of evaluating a rule set for one organisation on one date: the strongest outcome among the
/// rules that fired, and every one of them, so that a reviewer sees all the reasons at once.
public struct Decision: Sendable, Hashable {
    public let outcome: Outcome
    /// Every rule that fired, in rule-set order; the default reason alone when none fired.
    public let reasons: [FiredRule]
    public let rulesetVersion: String
    public let evaluatedOn: CalendarDate

    public init(outcome: Outcome, reasons: [FiredRule], rulesetVersion: String, evaluatedOn: CalendarDate) {
        self.outcome = outcome
        self.reasons = reasons
        self.rulesetVersion = rulesetVersion
        self.evaluatedOn = evaluatedOn
    }

    /// The ids of the rules that fired (without the default).
    public var firedRuleIDs: [String] {
        reasons.map(\.ruleID).filter { $0 != RuleSet.defaultRuleID }
    }
}
