/// One HTTP route and the function it reaches, as a `RouteTable` holds it (and as `fnhost serve` lists them).
public struct GatewayRoute: Sendable, Hashable, CustomStringConvertible {
    public let key: RouteKey
    public let function: String

    public init(key: RouteKey, function: String) {
        self.key = key
        self.function = function
    }

    public var description: String { "\(key.text) -> \(function)" }
}
