import FnhostWire
import Testing

/// The one calendar-day type: parsing `YYYY-MM-DD`, day counts, and whole-year, month and day arithmetic.
@Suite("Calendar dates")
struct CalendarDateTests {
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

    @Test func isoDatesRoundTripThroughDaysSinceEpoch() {
        for text in ["1970-01-01", "2000-02-29", "2024-12-31", "2026-03-01", "1969-12-31", "0001-01-01", "9999-12-31"] {
            let date = CalendarDate(iso: text)!
            #expect(date.description == text)
            #expect(CalendarDate(daysSinceEpoch: date.daysSinceEpoch) == date)
        }
        #expect(CalendarDate(iso: "1970-01-01")!.daysSinceEpoch == 0)
        #expect(CalendarDate(iso: "2026-03-01")!.daysSinceEpoch == 20_513)
    }

    @Test(arguments: [
        "2025-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "26-03-01", "2026/03/01", "2026-3-1", "",
        "2026-03-01T00:00",
    ])
    func impossibleOrMalformedDatesAreRejected(_ text: String) {
        #expect(CalendarDate(iso: text) == nil)
    }

    @Test(arguments: [
        (Int64(0), "1970-01-01"), (86_399_999, "1970-01-01"), (86_400_000, "1970-01-02"), (-1, "1969-12-31"),
        (1_772_323_200_000, "2026-03-01"), (1_772_409_599_999, "2026-03-01"),
    ])
    func theUTCDayOfAnInstantFloorsTowardsThePast(_ ms: Int64, _ day: String) {
        #expect(CalendarDate(epochMilliseconds: ms).description == day)
    }
}
