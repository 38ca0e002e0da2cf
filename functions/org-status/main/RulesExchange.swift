/// What org-status sends to the `rules` function: `{"organisation": {...}, "date": "YYYY-MM-DD"}`.
struct RulesCall: Encodable {
    let organisation: Organisation
    let date: String
}

/// What the `rules` function answers: `{"decision", "reasons", "rulesetVersion", "evaluatedOn"}`.
struct RulesVerdict: Decodable {
    let decision: String
    let reasons: [RuleReason]
    let rulesetVersion: String
    let evaluatedOn: String
}

/// One reason of a decision, `{"ruleId", "outcome", "reason"}`, passed through to org-status's answer.
struct RuleReason: Codable {
    let ruleId: String
    let outcome: String
    let reason: String
}
