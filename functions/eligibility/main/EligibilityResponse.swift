import FnhostWire

/// What the handler returns: the answer itself to a direct invoke; through API Gateway, the same answer (200) or a
/// client error (400, bad request) or a failed branch (502) as an HTTP response object, which the gateway passes on.
enum EligibilityResponse: Encodable, Sendable {
    case answer(EligibilityAnswer)
    case http(status: Int, errorType: String, message: String)

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .answer(let answer): try answer.encode(to: encoder)
        case .http(let status, let errorType, let message):
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(status, forKey: .statusCode)
            try c.encode(["content-type": "application/json"], forKey: .headers)
            try c.encode(
                "{\"errorType\":\(JSONText.quote(errorType)),\"message\":\(JSONText.quote(message))}", forKey: .body)
        }
    }

    private enum Keys: String, CodingKey { case statusCode, headers, body }
}
