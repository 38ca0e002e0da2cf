import FnhostWire
import Foundation
import RuleEngine
import Testing

/// How fired rules combine into one decision.
@Suite("Decisions")
struct DecisionTests {
    @Test func strongestOutcomeWinsRegardlessOfRuleOrder() throws {
        let rules = try Fixtures.shippedRules()
        // REVIEW (balance) and INELIGIBLE (terminated) together: INELIGIBLE.
        let both = Fixtures.facts(["status": .string("TERMINATED"), "outstandingBalance": .number(50_000)])
        #expect(try rules.evaluate(facts: both, on: Fixtures.evaluationDate).outcome == .ineligible)

        // The same with the INELIGIBLE rule last in the file.
        let reversed = try Fixtures.ruleSet(
            """
            {"version": "t", "rules": [
              {"id": "a", "condition": {"fact": "memberCount", "op": ">", "value": 0}, "outcome": "ELIGIBLE", "reason": "has members"},
              {"id": "b", "condition": {"fact": "memberCount", "op": ">", "value": 1}, "outcome": "REVIEW", "reason": "many"},
              {"id": "c", "condition": {"fact": "memberCount", "op": ">", "value": 2}, "outcome": "INELIGIBLE", "reason": "too many"},
              {"id": "d", "condition": {"fact": "memberCount", "op": ">", "value": 3}, "outcome": "REVIEW", "reason": "lots"}
            ]}
            """)
        let decision = try reversed.evaluate(facts: ["memberCount": .number(10)], on: Fixtures.evaluationDate)
        #expect(decision.outcome == .ineligible)
    }

    @Test func everyFiredRuleIsReportedInRuleSetOrder() throws {
        let rules = try Fixtures.shippedRules()
        let troubled = Fixtures.facts([
            "status": .string("SUSPENDED"),
            "outstandingBalance": .number(20_000),
            "taxIdVerified": .bool(false),
            "lastAuditDate": .string("2020-06-30"),
            "contractEnd": .string("2025-12-31"),
        ])
        let decision = try rules.evaluate(facts: troubled, on: Fixtures.evaluationDate)
        #expect(decision.outcome == .ineligible)
        #expect(
            decision.reasons == [
                FiredRule(ruleID: "contract-expired", outcome: .ineligible, reason: "contract expired"),
                FiredRule(ruleID: "suspended", outcome: .review, reason: "organisation suspended"),
                FiredRule(ruleID: "balance-over-limit", outcome: .review, reason: "balance over limit"),
                FiredRule(ruleID: "tax-id-unverified", outcome: .review, reason: "tax id not verified"),
                FiredRule(ruleID: "audit-overdue", outcome: .review, reason: "audit overdue"),
            ])
        #expect(decision.rulesetVersion == rules.version)
    }

    @Test func eligibleRulesThatFireReplaceTheDefaultReason() throws {
        let rules = try Fixtures.ruleSet(
            Fixtures.oneRule(#"{"fact": "region", "op": "==", "value": "US-WEST"}"#, outcome: "ELIGIBLE"))
        let decision = try rules.evaluate(facts: ["region": .string("US-WEST")], on: Fixtures.evaluationDate)
        #expect(decision.outcome == .eligible)
        #expect(decision.reasons == [FiredRule(ruleID: "r1", outcome: .eligible, reason: "because")])
    }

    @Test func customDefaultReasonIsUsedWhenNoRuleFires() throws {
        let rules = try Fixtures.ruleSet(
            """
            {"version": "t", "default": {"reason": "all clear"},
             "rules": [{"id": "r1", "condition": {"fact": "memberCount", "op": "==", "value": 0}, "outcome": "REVIEW", "reason": "empty"}]}
            """)
        let decision = try rules.evaluate(facts: ["memberCount": .number(3)], on: Fixtures.evaluationDate)
        #expect(decision.reasons == [FiredRule(ruleID: "default", outcome: .eligible, reason: "all clear")])
    }

    @Test func firedRulesEncodeAsRuleIdOutcomeAndReason() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(FiredRule(ruleID: "audit-overdue", outcome: .review, reason: "audit overdue"))
        #expect(
            String(decoding: data, as: UTF8.self)
                == #"{"outcome":"REVIEW","reason":"audit overdue","ruleId":"audit-overdue"}"#)
    }

    @Test func outcomesAreOrderedByStrength() {
        #expect(Outcome.eligible < .review)
        #expect(Outcome.review < .ineligible)
        #expect([Outcome.review, .ineligible, .eligible].max() == .ineligible)
    }
}
