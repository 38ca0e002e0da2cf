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

    @Test func monthArithmeticClampsToTheMonthsLastDay() {
        #expect(CalendarDate(iso: "2026-01-31")!.adding(months: 1).description == "2026-02-28")
        #expect(CalendarDate(iso: "2026-03-31")!.adding(months: -1).description == "2026-02-28")
        #expect(CalendarDate(iso: "2026-12-15")!.adding(months: 1).description == "2027-01-15")
        #expect(CalendarDate(iso: "2026-01-15")!.adding(months: -1).description == "2025-12-15")
    }

    @Test func dayArithmeticCrossesMonthsAndYears() {
        #expect(CalendarDate(iso: "2026-12-31")!.adding(days: 1).description == "2027-01-01")
        #expect(CalendarDate(iso: "2024-03-01")!.adding(days: -1).description == "2024-02-29")
        #expect(CalendarDate(iso: "2026-03-01")!.adding(days: 60).description == "2026-04-30")
    }

    @Test func plusPeriodOnAFactShiftsThatFactsDate() throws {
        let rules = try Fixtures.ruleSet(Fixtures.oneRule(
            #"{"fact": "coverageCheck", "op": ">=", "value": {"fact": "contractStart", "plus": {"months": 1, "days": 1}}}"#
        ))
        let facts: [String: JSONValue] = ["contractStart": .string("2026-01-31"), "coverageCheck": .string("2026-03-01")]
        // 2026-01-31 + 1 month = 2026-02-28, + 1 day = 2026-03-01.
        #expect(try rules.evaluate(facts: facts, on: Fixtures.evaluationDate).firedRuleIDs == ["r1"])
    }

    @Test func isoDatesRoundTripThroughDaysSinceEpoch() {
        for text in ["1970-01-01", "2000-02-29", "2024-12-31", "2026-03-01", "1969-12-31", "0001-01-01", "9999-12-31"] {
            let date = CalendarDate(iso: text)!
            #expect(date.description == text)
            #expect(CalendarDate(daysSinceEpoch: date.daysSinceEpoch) == date)
        }
        #expect(CalendarDate(iso: "1970-01-01")!.daysSinceEpoch == 0)
        #expect(CalendarDate(iso: "2026-03-01")!.daysSinceEpoch == 20_513)
    }

    @Test(arguments: ["2025-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "26-03-01", "2026/03/01", "2026-3-1", "", "2026-03-01T00:00"])
    func impossibleOrMalformedDatesAreRejected(_ text: String) {
        #expect(CalendarDate(iso: text) == nil)
    }

    @Test func isoDateStringsCompareAsDates() throws {
        let rules = try Fixtures.ruleSet(Fixtures.oneRule(#"{"fact": "contractEnd", "op": "<", "value": "2026-03-01"}"#))
        #expect(try rules.evaluate(facts: ["contractEnd": .string("2026-02-28")], on: Fixtures.evaluationDate).firedRuleIDs == ["r1"])
        #expect(try rules.evaluate(facts: ["contractEnd": .string("2026-03-01")], on: Fixtures.evaluationDate).firedRuleIDs == [])
    }
}
