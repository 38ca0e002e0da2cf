extension GatewayEvent.RequestContext {
    /// The event's `requestContext.http`: the request line and the client, as API Gateway reports them.
    public struct HTTP: Codable, Sendable, Equatable {
        public var method: String
        public var path: String
        public var protocolVersion: String
        public var sourceIP: String
        public var userAgent: String

        enum CodingKeys: String, CodingKey {
            case method, path
            case protocolVersion = "protocol"
            case sourceIP = "sourceIp"
            case userAgent
        }

        public init(method: String, path: String, protocolVersion: String, sourceIP: String, userAgent: String) {
            self.method = method
            self.path = path
            self.protocolVersion = protocolVersion
            self.sourceIP = sourceIP
            self.userAgent = userAgent
        }

        func write(to writer: inout JSONWriter) {
            writer.beginObject()
            writer.member("method", method)
            writer.member("path", path)
            writer.member("protocol", protocolVersion)
            writer.member("sourceIp", sourceIP)
            writer.member("userAgent", userAgent)
            writer.endObject()
        }
    }
}
