import FnhostWire
import RuleEngine

/// The `rules` function's answer: `{"decision", "reasons": [{"ruleId", "outcome", "reason"}], "rulesetVersion",
/// "evaluatedOn"}`.
struct RulesAnswer: Encodable {
    let decision: Outcome
    let reasons: [FiredRule]
    let rulesetVersion: String
    let evaluatedOn: String

    init(_ d: Decision) {
        decision = d.outcome
        reasons = d.reasons
        rulesetVersion = d.rulesetVersion
        evaluatedOn = d.evaluatedOn.description
    }
}
