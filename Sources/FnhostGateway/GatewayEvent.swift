/// The event a function receives for an HTTP request in API-gateway mode: API Gateway HTTP API's payload format 2.0,
/// so that handlers written for API Gateway (and the AWS libraries that parse its events) run unchanged.
///
/// Optional members are omitted from the JSON when nil: `cookies`, `queryStringParameters`, `pathParameters`,
/// `body`; `stageVariables` is never sent.
public struct GatewayEvent: Codable, Sendable, Equatable {
    public var version: String
    public var routeKey: String
    public var rawPath: String
    public var rawQueryString: String
    public var cookies: [String]?
    public var headers: [String: String]
    public var queryStringParameters: [String: String]?
    public var requestContext: RequestContext
    public var body: String?
    public var pathParameters: [String: String]?
    public var isBase64Encoded: Bool

    public init(
        routeKey: String, rawPath: String, rawQueryString: String, cookies: [String]?, headers: [String: String],
        queryStringParameters: [String: String]?, requestContext: RequestContext, body: String?,
        pathParameters: [String: String]?, isBase64Encoded: Bool
    ) {
        self.version = "2.0"
        self.routeKey = routeKey
        self.rawPath = rawPath
        self.rawQueryString = rawQueryString
        self.cookies = cookies
        self.headers = headers
        self.queryStringParameters = queryStringParameters
        self.requestContext = requestContext
        self.body = body
        self.pathParameters = pathParameters
        self.isBase64Encoded = isBase64Encoded
    }

    /// The event as JSON, members in API Gateway's order (object members sorted by name), ready to be the
    /// invocation's payload.
    public func jsonBytes() -> [UInt8] {
        var writer = JSONWriter(reservingCapacity: 1024 + (body?.utf8.count ?? 0))
        writer.beginObject()
        writer.member("version", version)
        writer.member("routeKey", routeKey)
        writer.member("rawPath", rawPath)
        writer.member("rawQueryString", rawQueryString)
        if let cookies { writer.member("cookies", cookies) }
        writer.member("headers", headers)
        if let queryStringParameters { writer.member("queryStringParameters", queryStringParameters) }
        writer.key("requestContext")
        requestContext.write(to: &writer)
        if let body { writer.member("body", body) }
        if let pathParameters { writer.member("pathParameters", pathParameters) }
        writer.member("isBase64Encoded", isBase64Encoded)
        writer.endObject()
        return writer.bytes
    }
}
