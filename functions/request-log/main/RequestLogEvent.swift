import FnhostWire
import LambdaRuntime

/// The request-log event, `{"requestId", "orgId", "memberId", "date"}` (every field a non-empty string), sent by the
/// eligibility orchestrator directly or as the JSON body of `POST /request-log` through the gateway.
struct RequestLogEvent {
    let requestID: String
    let orgID: String
    let memberID: String
    let date: String

    private static let shape = #"{"requestId": "…", "orgId": "ORG-0042", "memberId": "M-000042", "date": "2026-03-01"}"#

    init(event received: JSONValue) throws(HandlerError) {
        var event = received
        if case .object(let outer) = received, outer["version"] == .string("2.0"), outer["requestContext"] != nil {
            guard case .string(let body)? = outer["body"] else {
                throw HandlerError(type: "InvalidEvent", message: "the request has no body; POST \(Self.shape)")
            }
            do { event = try JSONValue.parse(body) } catch {
                throw HandlerError(type: "InvalidEvent", message: "the request body is not JSON: \(error)")
            }
        }
        guard case .object(let fields) = event else {
            throw HandlerError(type: "InvalidEvent", message: "the event must be an object \(Self.shape)")
        }
        func text(_ name: String) throws(HandlerError) -> String {
            guard case .string(let value)? = fields[name], !value.isEmpty, value.utf8.count <= 256 else {
                throw HandlerError(
                    type: "InvalidEvent",
                    message: "\"\(name)\" must be a non-empty string (at most 256 bytes); send \(Self.shape)")
            }
            return value
        }
        requestID = try text(RequestLogRecord.Field.requestID)
        orgID = try text(RequestLogRecord.Field.orgID)
        memberID = try text(RequestLogRecord.Field.memberID)
        date = try text(RequestLogRecord.Field.date)
    }
}
