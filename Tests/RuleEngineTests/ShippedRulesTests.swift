import FnhostWire
import RuleEngine
import Testing

/// The rule file the `rules` function ships with: it loads, and each rule fires on the facts it is about.
@Suite("Shipped rules.json")
struct ShippedRulesTests {
    @Test func shippedRuleFileLoadsAndCoversTheDocumentedRules() throws {
        let rules = try Fixtures.shippedRules()
        #expect(!rules.version.isEmpty)
        let ids = Set(rules.rules.map(\.id))
        for required in [
            "terminated", "contract-expired", "contract-not-started", "suspended", "pending",
            "balance-over-limit", "tax-id-unverified", "audit-overdue", "no-members",
        ] {
            #expect(ids.contains(required), "rules.json lacks rule \(required)")
        }
    }

    @Test func organisationInGoodStandingIsEligibleWithTheDefaultReason() throws {
        let decision = try Fixtures.shippedRules().evaluate(facts: Fixtures.goodStanding, on: Fixtures.evaluationDate)
        #expect(decision.outcome == .eligible)
        #expect(decision.firedRuleIDs.isEmpty)
        #expect(
            decision.reasons == [
                FiredRule(ruleID: "default", outcome: .eligible, reason: "no rule fired: organisation in good standing")
            ])
        #expect(decision.evaluatedOn.description == "2026-03-01")
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let rule: String
        let changes: [String: JSONValue]
        let outcome: Outcome
        var testDescription: String { rule }
    }

    static let cases: [Case] = [
        Case(rule: "terminated", changes: ["status": .string("TERMINATED")], outcome: .ineligible),
        Case(rule: "contract-expired", changes: ["contractEnd": .string("2026-02-28")], outcome: .ineligible),
        Case(rule: "contract-not-started", changes: ["contractStart": .string("2026-03-02")], outcome: .ineligible),
        Case(rule: "suspended", changes: ["status": .string("SUSPENDED")], outcome: .review),
        Case(rule: "pending", changes: ["status": .string("PENDING")], outcome: .review),
        Case(rule: "unknown-status", changes: ["status": .string("DORMANT")], outcome: .review),
        Case(rule: "balance-over-limit", changes: ["outstandingBalance": .number(10000.01)], outcome: .review),
        Case(rule: "tax-id-unverified", changes: ["taxIdVerified": .bool(false)], outcome: .review),
        Case(rule: "audit-overdue", changes: ["lastAuditDate": .string("2024-02-29")], outcome: .review),
        Case(rule: "no-members", changes: ["memberCount": .number(0)], outcome: .review),
        Case(
            rule: "contract-dates-inverted",
            changes: ["contractStart": .string("2026-01-01"), "contractEnd": .string("2025-12-31")],
            outcome: .ineligible  // an inverted contract has also expired: the stronger outcome wins
        ),
        Case(rule: "renewal-due", changes: ["contractEnd": .string("2026-04-30")], outcome: .eligible),
    ]

    @Test(arguments: cases)
    func eachShippedRuleFiresOnItsFacts(_ c: Case) throws {
        let decision = try Fixtures.shippedRules().evaluate(
            facts: Fixtures.facts(c.changes), on: Fixtures.evaluationDate)
        #expect(decision.firedRuleIDs.contains(c.rule), "fired: \(decision.firedRuleIDs)")
        #expect(decision.outcome == c.outcome)
    }

    @Test func eachShippedRuleHasACaseHere() throws {
        let tested = Set(Self.cases.map(\.rule))
        for rule in try Fixtures.shippedRules().rules {
            #expect(tested.contains(rule.id), "add a test case for shipped rule \(rule.id)")
        }
    }

    @Test func rulesDoNotFireJustInsideTheirThresholds() throws {
        let rules = try Fixtures.shippedRules()
        let edge = Fixtures.facts([
            "outstandingBalance": .number(10000),  // "> 10000" is strict
            "contractEnd": .string("2026-03-01"),  // ends today: not yet expired
            "contractStart": .string("2026-03-01"),  // starts today: started
            "lastAuditDate": .string("2024-03-01"),  // exactly 2 years: not overdue
            "memberCount": .number(1),
        ])
        let decision = try rules.evaluate(facts: edge, on: Fixtures.evaluationDate)
        #expect(decision.firedRuleIDs == ["renewal-due"])
        #expect(decision.outcome == .eligible)
    }
}
