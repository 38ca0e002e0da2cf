/// A Redis URL that cannot be used: the URL and the reason, with an example of the right form.
public struct RedisURLError: Error, Sendable, Equatable, CustomStringConvertible {
    public var url: String
    public var reason: String

    public init(url: String, reason: String) {
        self.url = url
        self.reason = reason
    }

    public var description: String { "bad Redis URL '\(url)': \(reason)" }
}
