import Testing

@testable import FnhostTemplate

/// EventBridge's rate and cron expressions: what is accepted, and when each fires next (UTC).
@Suite struct ScheduleExpressionTests {
    /// 2026-11-28 (a Saturday) 10:17:30 UTC.
    let saturday: Int64 = 1_795_861_050

    @Test func ratesFireEveryPeriodFromTheirOrigin() throws {
        let every5 = try ScheduleExpression("rate(5 minutes)")
        #expect(every5.next(after: 1_000, origin: 1_000) == 1_300)
        #expect(every5.next(after: 1_299, origin: 1_000) == 1_300)
        #expect(every5.next(after: 1_300, origin: 1_000) == 1_600)
        #expect(try ScheduleExpression("rate(1 day)").next(after: 0, origin: 0) == 86_400)
    }

    @Test(arguments: [
        "rate(1 minutes)", "rate(2 minute)", "rate(0 minutes)", "rate(5 weeks)", "every 5 minutes",
        "cron(0 12 * * * *)", "cron(0 12 ? * ? *)", "cron(0 12 * *)", "cron(61 * * * ? *)", "cron(0 12 L * ? *)",
        "cron(0 12 ? * 2#1 *)", "cron(5-1 * * * ? *)",
    ])
    func malformedExpressionsAreRefused(_ text: String) {
        #expect(throws: ScheduleExpression.Invalid.self) { try ScheduleExpression(text) }
    }

    @Test func aDailyCronFiresAtItsNextMinute() throws {
        let noon = try ScheduleExpression("cron(0 12 * * ? *)")
        // Saturday 12:00:00 the same day.
        #expect(noon.next(after: saturday, origin: 0) == 1_795_867_200)
        let sundayNoon: Int64 = 1_795_953_600
        #expect(noon.next(after: 1_795_867_200, origin: 0) == sundayNoon)
    }

    @Test func weekdaysSkipTheWeekend() throws {
        let quarterHours = try ScheduleExpression("cron(0/15 * ? * MON-FRI *)")
        // Monday 2026-11-30 00:00 UTC.
        #expect(quarterHours.next(after: saturday, origin: 0) == 1_795_996_800)
    }

    @Test func aYearWithNoMatchingDayGivesNone() throws {
        #expect(try ScheduleExpression("cron(0 0 30 FEB ? *)").next(after: saturday, origin: 0) == nil)
    }
}
