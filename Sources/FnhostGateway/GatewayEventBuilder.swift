import FnhostWire

/// Turns an HTTP request and the route it matched into the function's API Gateway payload-2.0 event. It holds the
/// few values API Gateway would know about the API itself; everything else comes from the request.
public struct GatewayEventBuilder: Sendable {
    /// `requestContext.accountId`: fnhost's fixed fake account.
    public var accountID: String
    /// `requestContext.apiId`.
    public var apiID: String
    /// `requestContext.stage`.
    public var stage: String
    /// `requestContext.domainName` when the request carries no `Host` header.
    public var defaultDomainName: String

    public init(apiID: String = "fnhost", defaultDomainName: String = "localhost") {
        self.accountID = ARN.accountID
        self.apiID = apiID
        self.stage = "$default"
        self.defaultDomainName = defaultDomainName
    }

    /// The event for `request`, which matched `routeKey` with `pathParameters` (from `RouteLookup.matched`).
    ///
    /// - `headers`: names lower-cased; a repeated header's values joined with `,` in the order received; `cookie`
    ///   is left out because it moves to `cookies`.
    /// - `cookies`: every `Cookie` header split on `;`, each piece trimmed, empty pieces dropped; omitted when none.
    /// - `queryStringParameters`: decoded, repeats joined with `,`, omitted when none (see `QueryString`).
    /// - `pathParameters`: omitted when the route has none.
    /// - `body` and `isBase64Encoded`: see `BodyEncoding.encode`: UTF-8 text as is, binary as base64, empty omitted.
    /// - `requestContext.domainName` is the `Host` header (or `defaultDomainName`); `domainPrefix` is its first
    ///   label without a port; `http.path` is the raw path; `userAgent` is the `User-Agent` header or empty.
    public func event(
        for request: GatewayHTTPRequest, routeKey: String, pathParameters: [String: String], requestID: String
    ) -> GatewayEvent {
        var headers: [String: String] = [:]
        var cookies: [String] = []
        for (name, value) in request.headers {
            let lower = name.lowercased()
            if lower == "cookie" {
                cookies += value.split(separator: ";").map { String($0).trimmingASCIIWhitespace() }.filter {
                    !$0.isEmpty
                }
                continue
            }
            if let existing = headers[lower] {
                headers[lower] = existing + "," + value
            } else {
                headers[lower] = value
            }
        }
        let (body, isBase64) = BodyEncoding.encode(
            request.body, contentType: headers["content-type"], contentEncoding: headers["content-encoding"])
        let domainName = headers["host"] ?? defaultDomainName
        let context = GatewayEvent.RequestContext(
            accountID: accountID, apiID: apiID, domainName: domainName,
            domainPrefix: Self.domainPrefix(of: domainName),
            http: .init(
                method: request.method, path: request.rawPath, protocolVersion: request.protocolVersion,
                sourceIP: request.sourceIP, userAgent: headers["user-agent"] ?? ""),
            requestID: requestID, routeKey: routeKey, stage: stage,
            time: CommonLogTime.format(epochMilliseconds: request.timeEpochMilliseconds),
            timeEpoch: request.timeEpochMilliseconds)
        return GatewayEvent(
            routeKey: routeKey, rawPath: request.rawPath, rawQueryString: request.rawQueryString,
            cookies: cookies.isEmpty ? nil : cookies, headers: headers,
            queryStringParameters: QueryString.parameters(request.rawQueryString), requestContext: context,
            body: body, pathParameters: pathParameters.isEmpty ? nil : pathParameters, isBase64Encoded: isBase64)
    }

    /// The first label of a host name without its port: `api.example.com:443` gives `api`, `localhost:9000` gives
    /// `localhost`, `[::1]:9000` gives `[::1]`.
    static func domainPrefix(of domainName: String) -> String {
        if domainName.hasPrefix("["), let close = domainName.firstIndex(of: "]") {
            return String(domainName[...close])
        }
        let label = domainName.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let host = label.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return String(host)
    }
}
