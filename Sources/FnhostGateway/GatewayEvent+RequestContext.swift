extension GatewayEvent {
    /// The event's `requestContext`: where the request came from and how API Gateway saw it.
    public struct RequestContext: Codable, Sendable, Equatable {
        public var accountID: String
        public var apiID: String
        public var domainName: String
        public var domainPrefix: String
        public var http: HTTP
        public var requestID: String
        public var routeKey: String
        public var stage: String
        /// `22/Nov/2026:00:05:34 +0000`.
        public var time: String
        /// Milliseconds since 1970-01-01T00:00:00Z.
        public var timeEpoch: Int64

        enum CodingKeys: String, CodingKey {
            case accountID = "accountId"
            case apiID = "apiId"
            case domainName, domainPrefix, http
            case requestID = "requestId"
            case routeKey, stage, time, timeEpoch
        }

        public init(
            accountID: String, apiID: String, domainName: String, domainPrefix: String, http: HTTP,
            requestID: String, routeKey: String, stage: String, time: String, timeEpoch: Int64
        ) {
            self.accountID = accountID
            self.apiID = apiID
            self.domainName = domainName
            self.domainPrefix = domainPrefix
            self.http = http
            self.requestID = requestID
            self.routeKey = routeKey
            self.stage = stage
            self.time = time
            self.timeEpoch = timeEpoch
        }

        func write(to writer: inout JSONWriter) {
            writer.beginObject()
            writer.member("accountId", accountID)
            writer.member("apiId", apiID)
            writer.member("domainName", domainName)
            writer.member("domainPrefix", domainPrefix)
            writer.key("http")
            http.write(to: &writer)
            writer.member("requestId", requestID)
            writer.member("routeKey", routeKey)
            writer.member("stage", stage)
            writer.member("time", time)
            writer.member("timeEpoch", timeEpoch)
            writer.endObject()
        }
    }
}
