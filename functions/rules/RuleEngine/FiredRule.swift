/// A rule that fired during an evaluation (or the rule set's default when none did): what a caller shows
/// to explain a decision.
public struct FiredRule: Sendable, Hashable, Codable {
    public let ruleID: String
    public let outcome: Outcome
    public let reason: String

    public init(ruleID: String, outcome: Outcome, reason: String) {
        self.ruleID = ruleID
        self.outcome = outcome
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case ruleID = "ruleId"
        case outcome
        case reason
    }
}
