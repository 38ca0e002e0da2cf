/// A day in the proleptic Gregorian calendar, without time or time zone: the `date` of an event, the days in the
/// reference data and in rule conditions, the day in API Gateway's `requestContext.time`.
///
/// Events and rules speak in whole days (`contractEnd < date`), so comparing instants would only add time-zone
/// bugs. Written in plain Swift (Howard Hinnant's day-count algorithms) so that no worker needs a calendar library.
public struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Creates a date from its parts, or nil if there is no such day (2026-02-29) or the year is outside 1...9999.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...CalendarDate.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD`; nil for anything else, including impossible days such as `2025-02-29`.
    public init?(iso text: some StringProtocol) {
        let u = Array(text.utf8)
        guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var n = 0
            for i in range {
                guard u[i] >= UInt8(ascii: "0"), u[i] <= UInt8(ascii: "9") else { return nil }
                n = n * 10 + Int(u[i] - UInt8(ascii: "0"))
            }
            return n
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// The day `days` after 1970-01-01 (negative before it).
    public init(daysSinceEpoch days: Int) {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        month = m
        day = d
    }

    /// The UTC day of an instant given in milliseconds since 1970-01-01T00:00:00Z.
    public init(epochMilliseconds ms: Int64) {
        let (days, remainder) = ms.quotientAndRemainder(dividingBy: 86_400_000)
        self.init(daysSinceEpoch: Int(remainder < 0 ? days - 1 : days))
    }

    /// Days since 1970-01-01.
    public var daysSinceEpoch: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Moves by whole years and months first (clamping to the month's last day: 2024-02-29 minus 1 year is
    /// 2023-02-28), then by days. Negative amounts move backwards.
    public func adding(years: Int = 0, months: Int = 0, days: Int = 0) -> CalendarDate {
        let totalMonths = (year * 12 + (month - 1)) + years * 12 + months
        let y = totalMonths >= 0 ? totalMonths / 12 : (totalMonths - 11) / 12
        let m = totalMonths - y * 12 + 1
        let clampedYear = min(max(y, 1), 9999)
        let d = min(day, CalendarDate.daysIn(month: m, year: clampedYear))
        let shifted = CalendarDate(year: clampedYear, month: m, day: d) ?? self
        return days == 0 ? shifted : CalendarDate(daysSinceEpoch: shifted.daysSinceEpoch + days)
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        func pad(_ n: Int, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
