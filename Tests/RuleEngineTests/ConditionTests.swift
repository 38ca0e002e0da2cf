import FnhostWire
import RuleEngine
import Testing

/// The expression language: each operator, combinators, and fact-to-fact comparison.
@Suite("Conditions")
struct ConditionTests {
    private func fires(_ condition: String, _ facts: [String: JSONValue]) throws -> Bool {
        let rules = try Fixtures.ruleSet(Fixtures.oneRule(condition))
        return try rules.evaluate(facts: facts, on: Fixtures.evaluationDate).firedRuleIDs == ["r1"]
    }

    @Test func numericComparisonsUseEveryOperator() throws {
        let n: [String: JSONValue] = ["memberCount": .number(10)]
        #expect(try fires(#"{"fact": "memberCount", "op": "==", "value": 10}"#, n))
        #expect(try !fires(#"{"fact": "memberCount", "op": "!=", "value": 10}"#, n))
        #expect(try fires(#"{"fact": "memberCount", "op": "<", "value": 11}"#, n))
        #expect(try fires(#"{"fact": "memberCount", "op": "<=", "value": 10}"#, n))
        #expect(try !fires(#"{"fact": "memberCount", "op": ">", "value": 10}"#, n))
        #expect(try fires(#"{"fact": "memberCount", "op": ">=", "value": 10}"#, n))
    }

    @Test func inMatchesAnyListedValue() throws {
        let cond = #"{"fact": "region", "op": "in", "value": ["US-WEST", "US-EAST"]}"#
        #expect(try fires(cond, ["region": .string("US-EAST")]))
        #expect(try !fires(cond, ["region": .string("EU-WEST")]))
    }

    @Test func allAnyAndNotCombineConditions() throws {
        let facts: [String: JSONValue] = ["status": .string("ACTIVE"), "memberCount": .number(0)]
        #expect(
            try fires(
                #"{"all": [{"fact": "status", "op": "==", "value": "ACTIVE"}, {"fact": "memberCount", "op": "==", "value": 0}]}"#,
                facts))
        #expect(
            try !fires(
                #"{"all": [{"fact": "status", "op": "==", "value": "ACTIVE"}, {"fact": "memberCount", "op": ">", "value": 0}]}"#,
                facts))
        #expect(
            try fires(
                #"{"any": [{"fact": "status", "op": "==", "value": "PENDING"}, {"fact": "memberCount", "op": "==", "value": 0}]}"#,
                facts))
        #expect(
            try !fires(
                #"{"any": [{"fact": "status", "op": "==", "value": "PENDING"}, {"fact": "memberCount", "op": ">", "value": 0}]}"#,
                facts))
        #expect(try fires(#"{"not": {"fact": "status", "op": "==", "value": "PENDING"}}"#, facts))
    }

    @Test func aFactCanBeComparedWithAnotherFact() throws {
        let cond = #"{"fact": "contractEnd", "op": "<", "value": {"fact": "contractStart"}}"#
        #expect(try fires(cond, ["contractStart": .string("2026-01-01"), "contractEnd": .string("2025-12-31")]))
        #expect(try !fires(cond, ["contractStart": .string("2025-01-01"), "contractEnd": .string("2025-12-31")]))
    }

    @Test func booleansCompareForEqualityOnly() throws {
        #expect(try fires(#"{"fact": "taxIdVerified", "op": "==", "value": false}"#, ["taxIdVerified": .bool(false)]))
        #expect(try fires(#"{"fact": "taxIdVerified", "op": "!=", "value": false}"#, ["taxIdVerified": .bool(true)]))
    }

    @Test func fixedDateLiteralsCompareWithDateFacts() throws {
        let cond = #"{"fact": "lastAuditDate", "op": ">=", "value": {"date": "2025-01-01"}}"#
        #expect(try fires(cond, ["lastAuditDate": .string("2025-01-01")]))
        #expect(try !fires(cond, ["lastAuditDate": .string("2024-12-31")]))
    }

    @Test func factsNotReadByAnyRuleMayBeAbsentOrOfAnyType() throws {
        let facts: [String: JSONValue] = [
            "memberCount": .number(0), "extra": .object(["nested": .null]), "note": .null,
        ]
        #expect(try fires(#"{"fact": "memberCount", "op": "==", "value": 0}"#, facts))
    }

    @Test func referencedFactsListsEveryFactARuleReads() throws {
        let rules = try Fixtures.shippedRules()
        #expect(
            rules.referencedFacts == [
                "status", "contractStart", "contractEnd", "outstandingBalance", "taxIdVerified", "lastAuditDate",
                "memberCount",
            ])
    }
}
