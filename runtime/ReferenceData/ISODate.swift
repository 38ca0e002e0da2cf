#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LambdaRuntime

/// A calendar day written `YYYY-MM-DD`, as events and the reference data carry it.
///
/// Validated once (a real day, not `2026-02-30`), then compared as text: for well-formed ISO days, text order is
/// date order, so nothing needs a calendar.
public struct ISODate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The day as `YYYY-MM-DD`.
    public let text: String

    /// nil unless `text` is exactly `YYYY-MM-DD` and names a real day.
    init?(_ text: String) {
        var text = text
        let valid = text.withUTF8 { u -> Bool in
            guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-") else { return false }
            func number(_ range: Range<Int>) -> Int? {
                var n = 0
                for i in range {
                    guard u[i] >= UInt8(ascii: "0"), u[i] <= UInt8(ascii: "9") else { return nil }
                    n = n * 10 + Int(u[i] - UInt8(ascii: "0"))
                }
                return n
            }
            guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return false }
            return year >= 1 && (1...12).contains(month) && day >= 1 && day <= Self.daysIn(month: month, year: year)
        }
        guard valid else { return nil }
        self.text = text
    }

    /// Today in UTC.
    static func todayUTC() -> ISODate {
        let days = Int((Date().timeIntervalSince1970 / 86_400).rounded(.down))
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ n: Int, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return ISODate("\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))")!
    }

    /// The event's `date`, or today (UTC) when it is absent; `InvalidDate` when it is not a real `YYYY-MM-DD` day.
    public static func fromEvent(_ text: String?) throws(HandlerError) -> ISODate {
        guard let text else { return todayUTC() }
        guard let date = ISODate(text) else {
            throw HandlerError(type: "InvalidDate", message: "date \"\(text)\" is not a real day written YYYY-MM-DD (e.g. 2026-03-01)")
        }
        return date
    }

    public var description: String { text }

    public static func < (a: ISODate, b: ISODate) -> Bool { a.text < b.text }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
