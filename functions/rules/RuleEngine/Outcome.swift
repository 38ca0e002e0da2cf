/// What a rule (and the whole evaluation) concludes about an organisation, ordered by strength so that the
/// strongest outcome among the rules that fired decides: `INELIGIBLE` over `REVIEW` over `ELIGIBLE`.
public enum Outcome: String, Sendable, Hashable, Comparable, CaseIterable, Codable {
    case eligible = "ELIGIBLE"
    case review = "REVIEW"
    case ineligible = "INELIGIBLE"

    var strength: Int {
        switch self {
        case .eligible: 0
        case .review: 1
        case .ineligible: 2
        }
    }

    public static func < (a: Outcome, b: Outcome) -> Bool { a.strength < b.strength }
}
