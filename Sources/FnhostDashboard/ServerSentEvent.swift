/// One event of a `text/event-stream` (the HTML standard's server-sent events), framed: an optional id (a
/// reconnecting browser sends the last one back as `Last-Event-ID`), an optional event name, the data split into
/// one `data:` line per line, an optional reconnection delay, and the blank line that ends the event.
public struct ServerSentEvent: Sendable, Equatable {
    public var id: String?
    public var event: String?
    public var data: String
    /// How long a browser waits before reconnecting after the stream ends, in milliseconds.
    public var retryMilliseconds: Int?

    public init(id: String? = nil, event: String? = nil, data: String, retryMilliseconds: Int? = nil) {
        self.id = id
        self.event = event
        self.data = data
        self.retryMilliseconds = retryMilliseconds
    }

    /// A comment line, which browsers ignore: sent to keep a quiet stream's connection (and any proxy) alive.
    public static let keepAlive = ": keep-alive\n\n"

    /// The event as it goes on the wire. A line break inside `id` or `event` would end the field early, so those
    /// are cut at the first one; the data's lines (`\n`, `\r\n` or `\r`) each become a `data:` line.
    public var encoded: String {
        var text = ""
        if let retryMilliseconds { text += "retry: \(max(0, retryMilliseconds))\n" }
        if let id { text += "id: \(Self.singleLine(id))\n" }
        if let event { text += "event: \(Self.singleLine(event))\n" }
        let lines = data.split(omittingEmptySubsequences: false, whereSeparator: Self.isLineBreak)
        for line in lines { text += "data: \(line)\n" }
        return text + "\n"
    }

    private static func singleLine(_ s: String) -> Substring {
        s.prefix { !isLineBreak($0) }
    }

    /// `\r\n` is one `Character` in Swift.
    private static func isLineBreak(_ c: Character) -> Bool { c == "\n" || c == "\r" || c == "\r\n" }
}
