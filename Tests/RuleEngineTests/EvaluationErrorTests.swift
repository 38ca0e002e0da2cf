import FnhostWire
import RuleEngine
import Testing

/// Bad facts are errors, never a silent "condition false" (which would make bad input look ELIGIBLE).
@Suite("Evaluation errors")
struct EvaluationErrorTests {
    @Test func missingFactIsAnErrorNamingTheFactAndTheRulesThatNeedIt() throws {
        let rules = try Fixtures.shippedRules()
        var facts = Fixtures.goodStanding
        facts["lastAuditDate"] = nil
        let error = #expect(throws: EvaluationError.self) {
            try rules.evaluate(facts: facts, on: Fixtures.evaluationDate)
        }
        #expect(error?.kind == .missingFacts(["lastAuditDate"], neededBy: ["audit-overdue"]))
        #expect(error?.errorType == "MissingFact")
        #expect(error?.description.contains("missing fact lastAuditDate") == true)
    }

    @Test func everyMissingFactIsListedAtOnce() throws {
        let rules = try Fixtures.shippedRules()
        let error = #expect(throws: EvaluationError.self) {
            try rules.evaluate(facts: ["status": .string("ACTIVE")], on: Fixtures.evaluationDate)
        }
        guard case .missingFacts(let names, _)? = error?.kind else {
            Issue.record("expected missingFacts, got \(String(describing: error))")
            return
        }
        #expect(
            names == [
                "contractEnd", "contractStart", "lastAuditDate", "memberCount", "outstandingBalance", "taxIdVerified",
            ])
    }

    @Test func nullFactCountsAsMissing() throws {
        let rules = try Fixtures.ruleSet(Fixtures.oneRule(#"{"fact": "memberCount", "op": "==", "value": 0}"#))
        let error = #expect(throws: EvaluationError.self) {
            try rules.evaluate(facts: ["memberCount": .null], on: Fixtures.evaluationDate)
        }
        #expect(error?.kind == .missingFacts(["memberCount"], neededBy: ["r1"]))
    }

    @Test func comparingANumberWithAStringIsATypeError() throws {
        let rules = try Fixtures.ruleSet(
            Fixtures.oneRule(#"{"fact": "outstandingBalance", "op": ">", "value": 10000}"#))
        let error = #expect(throws: EvaluationError.self) {
            try rules.evaluate(facts: ["outstandingBalance": .string("lots")], on: Fixtures.evaluationDate)
        }
        #expect(error?.ruleID == "r1")
        #expect(error?.errorType == "RuleEvaluationError")
        guard case .incomparable(let op, _, _)? = error?.kind else {
            Issue.record("expected incomparable, got \(String(describing: error))")
            return
        }
        #expect(op == .greater)
    }

    @Test func booleanFactWrittenAsAStringIsATypeError() throws {
        let rules = try Fixtures.ruleSet(Fixtures.oneRule(#"{"fact": "taxIdVerified", "op": "==", "value": false}"#))
        #expect(throws: EvaluationError.self) {
            try rules.evaluate(facts: ["taxIdVerified": .string("false")], on: Fixtures.evaluationDate)
        }
    }

    @Test func nonDateFactComparedWithADateIsAnError() throws {
        let rules = try Fixtures.ruleSet(
            Fixtures.oneRule(#"{"fact": "contractEnd", "op": "<", "value": {"date": "evaluation"}}"#))
        let error = #expect(throws: EvaluationError.self) {
            try rules.evaluate(facts: ["contractEnd": .string("next spring")], on: Fixtures.evaluationDate)
        }
        #expect(error?.kind == .notADate("contractEnd (\"next spring\")"))
    }

    @Test func dateArithmeticOnANonDateFactIsAnError() throws {
        let rules = try Fixtures.ruleSet(
            Fixtures.oneRule(
                #"{"fact": "lastAuditDate", "op": "<", "value": {"fact": "contractStart", "plus": {"days": 1}}}"#
            ))
        let error = #expect(throws: EvaluationError.self) {
            try rules.evaluate(
                facts: ["lastAuditDate": .string("2025-01-01"), "contractStart": .number(2025)],
                on: Fixtures.evaluationDate
            )
        }
        #expect(error?.kind == .notADate("contractStart (2025)"))
    }

    @Test func objectValuedFactIsRejected() throws {
        let rules = try Fixtures.ruleSet(Fixtures.oneRule(#"{"fact": "region", "op": "==", "value": "US-WEST"}"#))
        let error = #expect(throws: EvaluationError.self) {
            try rules.evaluate(facts: ["region": .object(["code": .string("US-WEST")])], on: Fixtures.evaluationDate)
        }
        #expect(error?.kind == .unsupportedFact(name: "region", found: "an object"))
    }

    @Test func typeErrorsInUntakenBranchesAreStillReported() throws {
        let rules = try Fixtures.ruleSet(
            Fixtures.oneRule(
                #"{"any": [{"fact": "status", "op": "==", "value": "ACTIVE"}, {"fact": "memberCount", "op": ">", "value": 0}]}"#
            ))
        #expect(throws: EvaluationError.self) {
            try rules.evaluate(
                facts: ["status": .string("ACTIVE"), "memberCount": .string("ten")], on: Fixtures.evaluationDate)
        }
    }
}
