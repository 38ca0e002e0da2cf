import FnhostWire
import LambdaRuntime
import ReferenceData

/// A validated eligibility request, `{"orgId": "ORG-0042", "memberId": "M-000042", "date": "2026-03-01"}`, sent
/// directly or as the JSON body of `POST /eligibility` through the gateway. Every field is required and checked
/// before any branch is called: a bad request costs no hop.
struct EligibilityRequest {
    let orgID: String
    let memberID: String
    let date: CalendarDate
    /// Whether the event came through API Gateway (the answer then carries an HTTP status).
    let viaGateway: Bool

    static let organisationFormat = IdentifierFormat(prefix: "ORG-", digits: 4)
    static let memberFormat = IdentifierFormat(prefix: "M-", digits: 6)
    static let shape = #"{"orgId": "ORG-0042", "memberId": "M-000042", "date": "2026-03-01"}"#

    /// Whether an event is an API Gateway HTTP API (payload format 2.0) event.
    static func isGatewayEvent(_ event: JSONValue) -> Bool {
        guard case .object(let outer) = event else { return false }
        return outer["version"] == .string("2.0") && outer["requestContext"] != nil
    }

    /// Reads and checks the event; `InvalidEvent`, `InvalidOrgId`, `InvalidMemberId` or `InvalidDate` otherwise.
    init(event received: JSONValue) throws(HandlerError) {
        viaGateway = Self.isGatewayEvent(received)
        var event = received
        if viaGateway, case .object(let outer) = received {
            guard case .string(let body)? = outer["body"], !body.isEmpty else {
                throw HandlerError(type: "InvalidEvent", message: "the request has no body; POST \(Self.shape)")
            }
            do { event = try JSONValue.parse(body) } catch {
                throw HandlerError(type: "InvalidEvent", message: "the request body is not JSON: \(error)")
            }
        }
        guard case .object(let fields) = event else {
            throw HandlerError(
                type: "InvalidEvent", message: "the event must be a JSON object \(Self.shape), found \(event.kind)")
        }
        orgID = try Self.identifier(fields, "orgId", Self.organisationFormat, "InvalidOrgId", "an organisation id")
        memberID = try Self.identifier(fields, "memberId", Self.memberFormat, "InvalidMemberId", "a member id")
        switch fields["date"] {
        case .string(let text)?:
            guard let parsed = CalendarDate(iso: text) else {
                throw HandlerError(
                    type: "InvalidDate", message: "date \"\(text)\" is not a real day written YYYY-MM-DD")
            }
            date = parsed
        case nil, .null?:
            throw HandlerError(type: "InvalidDate", message: "the event has no date; send \(Self.shape)")
        case let other?:
            throw HandlerError(type: "InvalidDate", message: "date must be a string YYYY-MM-DD, found \(other.kind)")
        }
    }

    private static func identifier(
        _ fields: [String: JSONValue], _ name: String, _ format: IdentifierFormat, _ errorType: String, _ noun: String
    ) throws(HandlerError) -> String {
        switch fields[name] {
        case .string(let id)?:
            guard format.matches(id) else {
                throw HandlerError(
                    type: errorType,
                    message:
                        "\"\(id)\" is not \(noun): expected \(format.prefix) and \(format.digits) digits, like \(format.example)"
                )
            }
            return id
        case nil, .null?:
            throw HandlerError(type: errorType, message: "the event has no \(name); send \(shape)")
        case let other?:
            throw HandlerError(
                type: errorType, message: "\(name) must be a string like \(format.example), found \(other.kind)")
        }
    }
}
