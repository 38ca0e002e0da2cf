import FnhostWire
import LambdaRuntime
import RuleEngine

/// The `rules` function: evaluates the eligibility rule set (`rules.json`, kept as data next to it) for one
/// organisation's facts on a date.
///
/// Event: `{"organisation": {...facts...}, "date": "2026-03-01"}` (date optional: today, UTC).
/// Answer: `{"decision", "reasons": [{"ruleId", "outcome", "reason"}], "rulesetVersion", "evaluatedOn"}`.
/// The rule file is read at Init and re-read whenever it changes on disk, so editing it changes decisions
/// without a rebuild or a restart.
@main
struct RulesFunction: LambdaHandler {
    let ruleFile: RuleSetFile

    init(context: InitContext) async throws {
        let path = context.path("rules.json")
        do {
            ruleFile = try RuleSetFile(path: path)
        } catch {
            throw HandlerError(type: "InvalidRuleSet", message: error.description)
        }
        let ruleSet = ruleFile.loaded
        context.log("loaded \(ruleSet.rules.count) rules, version \(ruleSet.version), from \(path)")
    }

    func handle(_ event: JSONValue, context: LambdaContext) async throws -> RulesAnswer {
        let request = try RulesRequest(event: event)
        let ruleSet: RuleSet
        do {
            let current = try ruleFile.current()
            if current.reloaded {
                context.log(
                    "rules.json changed: now \(current.ruleSet.rules.count) rules, version \(current.ruleSet.version)")
            }
            ruleSet = current.ruleSet
        } catch {
            throw HandlerError(type: "InvalidRuleSet", message: error.description)
        }
        do {
            let decision = try ruleSet.evaluate(facts: request.facts, on: request.date)
            return RulesAnswer(decision)
        } catch {
            throw HandlerError(type: error.errorType, message: error.description)
        }
    }
}
