/// Why a valid rule set could not be evaluated for the facts it was given. The engine never treats a missing
/// or ill-typed fact as "condition false": that would silently turn bad input into an ELIGIBLE decision.
public struct EvaluationError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Facts the rules read are absent (or null); `neededBy` lists the rules that read them.
        case missingFacts([String], neededBy: [String])
        /// A fact whose JSON type the rules cannot compare (an object).
        case unsupportedFact(name: String, found: String)
        /// A value used as a date is not `YYYY-MM-DD`.
        case notADate(String)
        /// Two values of kinds the operator cannot compare (a number with a string, `<` on booleans ...).
        case incomparable(op: ComparisonOperator, left: String, right: String)
    }

    /// The rule being evaluated, nil when the problem was found before any rule ran.
    public let ruleID: String?
    public let kind: Kind

    public init(ruleID: String?, kind: Kind) {
        self.ruleID = ruleID
        self.kind = kind
    }

    /// The Lambda `errorType` a handler should report.
    public var errorType: String {
        if case .missingFacts = kind { return "MissingFact" }
        return "RuleEvaluationError"
    }

    public var description: String {
        let prefix = ruleID.map { "rule \"\($0)\": " } ?? ""
        switch kind {
        case .missingFacts(let names, let rules):
            let list = names.joined(separator: ", ")
            return prefix + "missing fact\(names.count == 1 ? "" : "s") \(list) in the organisation "
                + "(needed by rule\(rules.count == 1 ? "" : "s") \(rules.joined(separator: ", ")))"
        case .unsupportedFact(let name, let found):
            return prefix + "fact \(name) is \(found); rules compare strings, numbers, booleans, dates and lists"
        case .notADate(let what):
            return prefix + "\(what) is not a YYYY-MM-DD date"
        case .incomparable(let op, let left, let right):
            return prefix + "cannot compare \(left) \(op.rawValue) \(right)"
        }
    }
}
