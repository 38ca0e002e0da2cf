/// An SQS queue's ARN, `arn:aws:sqs:REGION:ACCOUNT:NAME`, and the URL fnhost gives the queue:
/// `http://HOST:PORT/ACCOUNT/NAME` (as AWS's own `https://sqs.REGION.amazonaws.com/ACCOUNT/NAME`).
public struct QueueARN: Sendable, Equatable, CustomStringConvertible {
    public var region: String
    public var account: String
    public var name: String

    public init(region: String, account: String, name: String) {
        self.region = region
        self.account = account
        self.name = name
    }

    /// Parses an ARN; nil when it is not an SQS queue's.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[1].hasPrefix("aws"), parts[2] == "sqs", !parts[3].isEmpty,
            !parts[4].isEmpty, (try? QueueName.validate(String(parts[5]))) != nil
        else { return nil }
        self.init(region: String(parts[3]), account: String(parts[4]), name: String(parts[5]))
    }

    public var description: String { "arn:aws:sqs:\(region):\(account):\(name)" }

    /// The queue's name from a queue URL (its last path segment, any host); nil when there is none.
    public static func name(fromURL url: String) -> String? {
        let segments = url.split(separator: "/", omittingEmptySubsequences: true)
        guard segments.count >= 2, let last = segments.last else { return nil }
        let name = String(last.split(separator: "?").first ?? last)
        return (try? QueueName.validate(name)) != nil ? name : nil
    }
}
