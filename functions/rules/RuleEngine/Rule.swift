/// One entry of a rule set: if `condition` holds for an organisation on the evaluation date, the rule fires
/// with `outcome` and `reason`.
public struct Rule: Sendable, Hashable {
    public let id: String
    public let condition: Condition
    public let outcome: Outcome
    public let reason: String

    public init(id: String, condition: Condition, outcome: Outcome, reason: String) {
        self.id = id
        self.condition = condition
        self.outcome = outcome
        self.reason = reason
    }
}
