import FnhostWire
import LambdaRuntime

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension CalendarDate {
    /// The event's `date`, or today (UTC) when it is absent; `InvalidDate` when it is not a real `YYYY-MM-DD` day.
    public static func fromEvent(_ text: String?) throws(HandlerError) -> CalendarDate {
        guard let text else {
            return CalendarDate(epochMilliseconds: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
        }
        guard let date = CalendarDate(iso: text) else {
            throw HandlerError(
                type: "InvalidDate",
                message: "date \(JSONText.quoteShortened(text)) is not a real day written YYYY-MM-DD (e.g. 2026-03-01)")
        }
        return date
    }
}
