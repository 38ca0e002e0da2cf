#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LambdaRuntime
import RuleEngine

/// A validated `rules` event: the organisation's facts and the evaluation date.
struct RulesRequest {
    let facts: [String: JSONValue]
    let date: CalendarDate

    private static let shape = #"{"organisation": {...facts...}, "date": "YYYY-MM-DD"}"#

    /// Reads the event, refusing anything malformed with an `InvalidEvent` or `InvalidDate` error.
    init(event: JSONValue) throws(HandlerError) {
        guard case .object(let fields) = event else {
            throw HandlerError(type: "InvalidEvent", message: "the event must be a JSON object \(Self.shape), found \(event.kindDescription)")
        }
        guard let organisation = fields["organisation"] else {
            throw HandlerError(type: "InvalidEvent", message: "the event has no \"organisation\"; expected \(Self.shape)")
        }
        guard case .object(let facts) = organisation else {
            throw HandlerError(
                type: "InvalidEvent",
                message: "\"organisation\" must be an object of facts, found \(organisation.kindDescription)"
            )
        }
        self.facts = facts
        switch fields["date"] {
        case nil, .null?:
            date = Self.todayUTC()
        case .string(let text)?:
            guard let parsed = CalendarDate(iso: text) else {
                throw HandlerError(type: "InvalidDate", message: "date \"\(text)\" is not a real day written YYYY-MM-DD")
            }
            date = parsed
        case let other?:
            throw HandlerError(type: "InvalidDate", message: "date must be a string YYYY-MM-DD, found \(other.kindDescription)")
        }
    }

    static func todayUTC() -> CalendarDate {
        let seconds = Date().timeIntervalSince1970
        return CalendarDate(daysSinceEpoch: Int((seconds / 86_400).rounded(.down)))
    }
}
