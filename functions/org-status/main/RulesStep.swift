import FnhostWire
import LambdaRuntime
import RuleEngine
import Tracing

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How org-status gets its decision from the rules: by invoking the `rules` function (as built, one more Lambda hop)
/// or, `merged`, by evaluating the same rule set in-process with the same RuleEngine code, linked as a library.
///
/// Chosen by `FNHOST_ORG_STATUS_RULES` (`invoke`, the default, or `merged`); the `merged` design of
/// `fnhost experiment architectures` sets it. Merged, the rule set is read once at Init from `FNHOST_RULES_FILE`
/// (default: `../rules/rules.json` beside this function's folder); an edit needs a new worker.
enum RulesStep: Sendable {
    case invoke
    case merged(RuleSet, source: String)

    static let variable = "FNHOST_ORG_STATUS_RULES"

    init(context: InitContext) throws(HandlerError) {
        switch context.environment[Self.variable] ?? "invoke" {
        case "invoke", "": self = .invoke
        case "merged":
            let path = context.environment["FNHOST_RULES_FILE"] ?? context.path("../rules/rules.json")
            let bytes: [UInt8]
            do { bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path))) } catch {
                throw HandlerError(type: "InvalidRuleSet", message: "cannot read the rule set \(path): \(error)")
            }
            do { self = .merged(try RuleSet(jsonBytes: bytes, source: path), source: path) } catch {
                throw HandlerError(type: "InvalidRuleSet", message: error.description)
            }
            context.log("rules merged into org-status: \(path)")
        case let other:
            throw HandlerError(
                type: "InvalidConfiguration", message: "\(Self.variable) must be invoke or merged, got \"\(other)\"")
        }
    }

    /// `invoke` or `merged`, for the trace.
    var mode: String {
        switch self {
        case .invoke: "invoke"
        case .merged: "merged"
        }
    }

    /// The rules' verdict on an organisation on a date, by whichever way this worker was set up.
    func verdict(for organisation: Organisation, date: CalendarDate, context: LambdaContext) async throws
        -> RulesVerdict
    {
        switch self {
        case .invoke:
            // The call as this function sees it (encoding, the round trip, decoding); the host adds the callee's own
            // spans beside it. A function error from rules is rethrown with the callee's errorType and message.
            return try await withSpan("invoke rules", ofKind: .client) { span in
                span.attributes["faas.invoked_name"] = "rules"
                return try await context.invoke(
                    "rules", payload: RulesCall(organisation: organisation, date: date.description),
                    as: RulesVerdict.self)
            }
        case .merged(let ruleSet, _):
            let facts: [String: JSONValue]
            guard case .object(let object) = try JSONValue.parse(Array(JSONEncoder().encode(organisation))) else {
                throw HandlerError(type: "InvalidEvent", message: "organisation facts are not an object")
            }
            facts = object
            do {
                let decision = try ruleSet.evaluate(facts: facts, on: date)
                return RulesVerdict(
                    decision: decision.outcome.rawValue,
                    reasons: decision.reasons.map {
                        RuleReason(ruleId: $0.ruleID, outcome: $0.outcome.rawValue, reason: $0.reason)
                    },
                    rulesetVersion: decision.rulesetVersion, evaluatedOn: decision.evaluatedOn.description)
            } catch {
                throw HandlerError(type: error.errorType, message: error.description)
            }
        }
    }
}
