import FnhostWire
import LambdaRuntime
import RuleEngine

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A validated `rules` event: the organisation's facts and the evaluation date.
struct RulesRequest {
    let facts: [String: JSONValue]
    let date: CalendarDate

    private static let shape = #"{"organisation": {...facts...}, "date": "YYYY-MM-DD"}"#

    /// Reads the event, refusing anything malformed with an `InvalidEvent` or `InvalidDate` error. An API Gateway
    /// HTTP API event (`POST /rules/evaluate`) carries the same object as its JSON body.
    init(event received: JSONValue) throws(HandlerError) {
        let event = try Self.unwrappingGateway(received)
        guard case .object(let fields) = event else {
            throw HandlerError(
                type: "InvalidEvent", message: "the event must be a JSON object \(Self.shape), found \(event.kind)")
        }
        guard let organisation = fields["organisation"] else {
            throw HandlerError(
                type: "InvalidEvent", message: "the event has no \"organisation\"; expected \(Self.shape)")
        }
        guard case .object(let facts) = organisation else {
            throw HandlerError(
                type: "InvalidEvent",
                message: "\"organisation\" must be an object of facts, found \(organisation.kind)"
            )
        }
        self.facts = facts
        switch fields["date"] {
        case nil, .null?:
            date = Self.todayUTC()
        case .string(let text)?:
            guard let parsed = CalendarDate(iso: text) else {
                throw HandlerError(
                    type: "InvalidDate", message: "date \"\(text)\" is not a real day written YYYY-MM-DD")
            }
            date = parsed
        case let other?:
            throw HandlerError(type: "InvalidDate", message: "date must be a string YYYY-MM-DD, found \(other.kind)")
        }
    }

    /// The JSON body of an API Gateway HTTP API event; any other event as it is.
    static func unwrappingGateway(_ event: JSONValue) throws(HandlerError) -> JSONValue {
        guard case .object(let outer) = event, outer["version"] == .string("2.0"), outer["requestContext"] != nil else {
            return event
        }
        guard case .string(let body)? = outer["body"] else {
            throw HandlerError(type: "InvalidEvent", message: "the request has no body; POST \(Self.shape)")
        }
        do { return try JSONValue.parse(body) } catch {
            throw HandlerError(type: "InvalidEvent", message: "the request body is not JSON: \(error)")
        }
    }

    static func todayUTC() -> CalendarDate {
        CalendarDate(epochMilliseconds: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }
}
