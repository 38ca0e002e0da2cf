/// An HTTP response as the gateway produces it, independent of any HTTP library: the function's answer mapped by
/// API Gateway's rules, or one of API Gateway's own error answers. `fnhost serve` converts it to its server's type.
public struct GatewayHTTPResponse: Sendable, Equatable, CustomStringConvertible {
    /// The status code, always within 100–599.
    public var status: Int
    /// Header fields in order; names are HTTP tokens and values hold no control characters (tab aside).
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The values of every header named `name`, compared case-insensitively, in order.
    public func headerValues(_ name: String) -> [String] {
        let wanted = name.lowercased()
        return headers.filter { $0.name.lowercased() == wanted }.map(\.value)
    }

    /// The body as text (invalid UTF-8 repaired), for logs and tests.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    public static func == (a: GatewayHTTPResponse, b: GatewayHTTPResponse) -> Bool {
        a.status == b.status && a.body == b.body && a.headers.count == b.headers.count
            && zip(a.headers, b.headers).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    public var description: String {
        let fields = headers.map { "\($0.name): \($0.value)" }.joined(separator: "; ")
        return "\(status) [\(fields)] \(body.count) bytes"
    }

    /// API Gateway's own answers, with its exact JSON bodies.
    static func gatewayMessage(_ status: Int, _ message: String, extraHeaders: [(name: String, value: String)] = [])
        -> GatewayHTTPResponse
    {
        GatewayHTTPResponse(
            status: status, headers: [("content-type", "application/json")] + extraHeaders,
            body: Array("{\"message\":\"\(message)\"}".utf8))
    }

    /// 404 `{"message":"Not Found"}`: no route matches the request (API Gateway's answer).
    public static let notFound = gatewayMessage(404, "Not Found")

    /// 405 `{"message":"Method Not Allowed"}` with `allow`: a route matches the path but not the method. (API Gateway
    /// itself answers 404 here; fnhost is more helpful.)
    public static func methodNotAllowed(allowed: [String]) -> GatewayHTTPResponse {
        gatewayMessage(405, "Method Not Allowed", extraHeaders: [("allow", allowed.joined(separator: ", "))])
    }

    /// 413 `{"message":"Request Entity Too Large"}`: the request is over `GatewayLimits.maxRequestBytes`.
    public static let payloadTooLarge = gatewayMessage(413, "Request Entity Too Large")

    /// 500 `{"message":"Internal Server Error"}`: the function failed; API Gateway hides the function's error.
    public static let internalServerError = gatewayMessage(500, "Internal Server Error")

    /// 502 `{"message":"Internal Server Error"}`: the function's answer could not be mapped to a response.
    public static let badGateway = gatewayMessage(502, "Internal Server Error")

    /// 503 `{"message":"Service Unavailable"}`: the function could not be reached or timed out at the gateway.
    public static let serviceUnavailable = gatewayMessage(503, "Service Unavailable")
}
