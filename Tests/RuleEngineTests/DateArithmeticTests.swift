import FnhostWire
import RuleEngine
import Testing

/// Calendar dates and the "date minus 2 years" arithmetic the audit rule depends on.
@Suite("Date arithmetic")
struct DateArithmeticTests {
    static let auditRule = Fixtures.oneRule(
        #"{"fact": "lastAuditDate", "op": "<", "value": {"date": "evaluation", "minus": {"years": 2}}}"#
    )

    private func auditOverdue(lastAudit: String, on date: String) throws -> Bool {
        let rules = try Fixtures.ruleSet(Self.auditRule)
        let decision = try rules.evaluate(facts: ["lastAuditDate": .string(lastAudit)], on: CalendarDate(iso: date)!)
        return decision.firedRuleIDs == ["r1"]
    }

    @Test func auditExactlyTwoYearsAgoIsNotOverdue() throws {
        #expect(try !auditOverdue(lastAudit: "2024-03-01", on: "2026-03-01"))
    }

    @Test func auditTwoYearsAndOneDayAgoIsOverdue() throws {
        #expect(try auditOverdue(lastAudit: "2024-02-29", on: "2026-03-01"))
    }

    @Test func twoYearsBeforeALeapDayClampsToTheEndOfFebruary() throws {
        // 2028-02-29 minus 2 years is 2026-02-28: an audit that day is exactly 2 years old.
        #expect(try !auditOverdue(lastAudit: "2026-02-28", on: "2028-02-29"))
        #expect(try auditOverdue(lastAudit: "2026-02-27", on: "2028-02-29"))
        #expect(CalendarDate(iso: "2028-02-29")!.adding(years: -2).description == "2026-02-28")
    }

    @Test func plusPeriodOnAFactShiftsThatFactsDate() throws {
        let rules = try Fixtures.ruleSet(
            Fixtures.oneRule(
                #"{"fact": "coverageCheck", "op": ">=", "value": {"fact": "contractStart", "plus": {"months": 1, "days": 1}}}"#
            ))
        let facts: [String: JSONValue] = [
            "contractStart": .string("2026-01-31"), "coverageCheck": .string("2026-03-01"),
        ]
        // 2026-01-31 + 1 month = 2026-02-28, + 1 day = 2026-03-01.
        #expect(try rules.evaluate(facts: facts, on: Fixtures.evaluationDate).firedRuleIDs == ["r1"])
    }

    @Test func isoDateStringsCompareAsDates() throws {
        let rules = try Fixtures.ruleSet(
            Fixtures.oneRule(#"{"fact": "contractEnd", "op": "<", "value": "2026-03-01"}"#))
        #expect(
            try rules.evaluate(facts: ["contractEnd": .string("2026-02-28")], on: Fixtures.evaluationDate).firedRuleIDs
                == ["r1"])
        #expect(
            try rules.evaluate(facts: ["contractEnd": .string("2026-03-01")], on: Fixtures.evaluationDate).firedRuleIDs
                == [])
    }
}
