import FnhostWire

/// A client's mistake (a malformed id, an impossible date, an organisation that does not exist) as the 4xx answer a
/// function gives when API Gateway called it: API Gateway turns every function error into
/// `500 {"message":"Internal Server Error"}`, which tells the caller nothing and looks like a crash.
///
/// The answer is API Gateway's response format (payload format 2.0, also read by 1.0):
/// `{"statusCode": 400, "headers": {"content-type": "application/json"}, "body": "…", "isBase64Encoded": false}`,
/// whose body names the field and the reason:
/// `{"message": "Bad Request", "field": "date", "reason": "date \"2026-13-45\" is not a real day …",
/// "errorType": "InvalidDate"}`.
public struct GatewayClientError: Sendable, Equatable {
    /// 400–499.
    public let statusCode: Int
    /// The request's field at fault (`orgId`, `date`): a path parameter or a query string parameter.
    public let field: String
    /// What is wrong with it, for a person.
    public let reason: String
    /// The error type a direct (Invoke API) caller gets for the same mistake, so both can be matched.
    public let errorType: String

    /// A client error; a `statusCode` outside 400–499 is taken as 400 (a 5xx is never a client's mistake).
    public init(statusCode: Int, field: String, reason: String, errorType: String) {
        self.statusCode = (400..<500).contains(statusCode) ? statusCode : 400
        self.field = field
        self.reason = reason
        self.errorType = errorType
    }

    /// `400 Bad Request` for `error` (its message is the reason, its type the error type).
    public static func badRequest(field: String, _ error: HandlerError) -> GatewayClientError {
        GatewayClientError(statusCode: 400, field: field, reason: error.message, errorType: error.type)
    }

    /// `404 Not Found` for `error`: the thing the field names does not exist.
    public static func notFound(field: String, _ error: HandlerError) -> GatewayClientError {
        GatewayClientError(statusCode: 404, field: field, reason: error.message, errorType: error.type)
    }

    /// The reason phrase that `message` carries, as API Gateway's own refusals do (`{"message":"Not Found"}`).
    var message: String {
        switch statusCode {
        case 400: "Bad Request"
        case 404: "Not Found"
        case 409: "Conflict"
        case 422: "Unprocessable Content"
        default: "Client Error"
        }
    }

    /// The function's answer: API Gateway's response object, as JSON.
    public var response: [UInt8] {
        let body = JSONValue.object([
            "message": .string(message), "field": .string(field), "reason": .string(reason),
            "errorType": .string(errorType),
        ])
        return JSONValue.object([
            "statusCode": .number(Double(statusCode)),
            "headers": .object(["content-type": .string("application/json")]),
            "body": .string(String(decoding: body.serialized, as: UTF8.self)),
            "isBase64Encoded": .bool(false),
        ]).serialized
    }

    /// Whether `event` came from API Gateway's HTTP API (payload format 2.0: `version` "2.0", a `routeKey` and
    /// `requestContext.http`) or from a REST API (payload format 1.0: `httpMethod` and a `requestContext`).
    /// Anything else (a direct invocation, another function calling) is not a gateway event.
    public static func isGatewayEvent(_ event: [UInt8]) -> Bool {
        guard case .object(let fields)? = try? JSONValue.parse(event),
            case .object(let context)? = fields["requestContext"]
        else { return false }
        if case .string("2.0")? = fields["version"], case .string? = fields["routeKey"], case .object? = context["http"]
        {
            return true
        }
        if case .string? = fields["httpMethod"] { return true }
        return false
    }
}
