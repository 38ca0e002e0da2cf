import FnhostWire

/// Why a function's answer cannot become an HTTP response. API Gateway answers every one of these with 502; fnhost
/// does the same and logs this message so that the function's author can see what to change in the handler.
public enum GatewayAnswerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The answer is not one JSON value (or not UTF-8).
    case notJSON(reason: String)
    /// `statusCode` is present but is not an integer from 100 to 599.
    case invalidStatusCode(found: String)
    /// A member of the response object has the wrong type, such as `"body": 12`.
    case wrongType(field: String, expected: String, found: String)
    /// A header name that is not an HTTP token (empty, or with spaces, colons, control characters...).
    case invalidHeaderName(field: String, name: String)
    /// A header value with a line break or another control character (which would inject headers).
    case invalidHeaderValue(field: String, name: String)
    /// `isBase64Encoded` is true but `body` is not standard base64.
    case invalidBase64Body

    public var description: String {
        switch self {
        case .notJSON(let reason):
            return
                "the function's answer is not JSON (\(reason)); return a JSON value, such as {\"statusCode\": 200, \"body\": \"...\"}"
        case .invalidStatusCode(let found):
            return "statusCode must be an integer from 100 to 599, found \(found)"
        case .wrongType(let field, let expected, let found):
            return "\(field) must be \(expected), found \(found)"
        case .invalidHeaderName(let field, let name):
            return
                "\(field) has the header name \(JSONText.quoteShortened(name)), which is not a valid HTTP header name; use letters, digits and !#$%&'*+-.^_`|~ only"
        case .invalidHeaderValue(let field, let name):
            return
                "\(field).\(name) holds a line break or another control character, which an HTTP header cannot carry; remove it"
        case .invalidBase64Body:
            return "isBase64Encoded is true but body is not standard base64 (A–Z a–z 0–9 + /, = padding, no whitespace)"
        }
    }
}
