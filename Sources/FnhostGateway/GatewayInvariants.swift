import FnhostWire

/// What every output of the gateway must satisfy, whatever the input: checked by the property tests and by the fuzz
/// entry, so that a violation is found by a machine before a client meets it.
public enum GatewayInvariants {
    /// Problems with a response: a status outside 100–599, a header name that is not a token, a header value with a
    /// control character, or no `content-type`.
    public static func problems(in response: GatewayHTTPResponse) -> [String] {
        var problems: [String] = []
        if !(100...599).contains(response.status) { problems.append("status \(response.status) is outside 100–599") }
        for (name, value) in response.headers {
            if !HeaderSyntax.isValidName(name) {
                problems.append("header name \(JSONText.quoteShortened(name)) is not a token")
            }
            if !HeaderSyntax.isValidValue(value) {
                problems.append("header \(JSONText.quoteShortened(name)) has a control character")
            }
        }
        if response.headerValues("content-type").isEmpty { problems.append("no content-type") }
        return problems
    }

    /// Problems with an event's JSON: not valid JSON, not an object, or `version` is not first and `"2.0"`.
    public static func problems(inEventJSON bytes: [UInt8]) -> [String] {
        let scanner = JSONScanner(bytes)
        if let reason = scanner.validationError() { return ["the event is not JSON: \(reason)"] }
        guard let members = scanner.members(ofObjectAt: scanner.skipWhitespace(from: 0)) else {
            return ["the event is not a JSON object"]
        }
        guard let first = members.first, first.name == "version", scanner.string(in: first.value) == "2.0" else {
            return ["the event does not start with \"version\": \"2.0\""]
        }
        let required = ["routeKey", "rawPath", "rawQueryString", "headers", "requestContext", "isBase64Encoded"]
        let names = Set(members.map(\.name))
        return required.filter { !names.contains($0) }.map { "the event has no \($0)" }
    }
}
