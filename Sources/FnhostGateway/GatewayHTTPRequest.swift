/// An HTTP request as the gateway sees it, independent of any HTTP library: `fnhost serve` converts its server's
/// request into this, so that the mapping to an API Gateway event stays a pure function that tests can drive.
public struct GatewayHTTPRequest: Sendable {
    /// The method as received, such as `GET` (compared exactly: HTTP methods are case-sensitive).
    public var method: String
    /// The path as received, still percent-encoded, without the query string; it should start with `/`.
    public var rawPath: String
    /// The query string as received, still percent-encoded, without the `?`; empty when there is none.
    public var rawQueryString: String
    /// Header fields in the order received; names in any case, repeated names allowed. Include `Host` (or the
    /// HTTP/2 `:authority`, as `host`): it becomes `requestContext.domainName`.
    public var headers: [(name: String, value: String)]
    /// The body bytes (empty when there is none).
    public var body: [UInt8]
    /// The client's address, such as `127.0.0.1`.
    public var sourceIP: String
    /// The protocol, such as `HTTP/1.1`.
    public var protocolVersion: String
    /// When the request arrived, in milliseconds since 1970-01-01T00:00:00Z.
    public var timeEpochMilliseconds: Int64

    public init(
        method: String, rawPath: String, rawQueryString: String = "", headers: [(name: String, value: String)] = [],
        body: [UInt8] = [], sourceIP: String = "127.0.0.1", protocolVersion: String = "HTTP/1.1",
        timeEpochMilliseconds: Int64
    ) {
        self.method = method
        self.rawPath = rawPath
        self.rawQueryString = rawQueryString
        self.headers = headers
        self.body = body
        self.sourceIP = sourceIP
        self.protocolVersion = protocolVersion
        self.timeEpochMilliseconds = timeEpochMilliseconds
    }

    /// The values of every header named `name` (case-insensitive), joined with `,` as API Gateway joins repeated
    /// headers; nil when there is none.
    public func headerValue(_ name: String) -> String? {
        let wanted = name.lowercased()
        let values = headers.filter { $0.name.lowercased() == wanted }.map(\.value)
        return values.isEmpty ? nil : values.joined(separator: ",")
    }
}
