/// The shape of a reference-data id: a fixed prefix and a fixed number of digits (`ORG-0042`, `M-000042`).
public struct IdentifierFormat: Sendable {
    public let prefix: String
    /// How many digits follow the prefix.
    public let digits: Int

    public init(prefix: String, digits: Int) {
        self.prefix = prefix
        self.digits = digits
    }

    /// `ORG-0042`-style text, for messages.
    public var example: String { prefix + String(repeating: "0", count: max(0, digits - 2)) + "42" }

    /// Whether `text` is the prefix followed by exactly `digits` ASCII digits.
    public func matches(_ text: String) -> Bool {
        guard text.hasPrefix(prefix) else { return false }
        let rest = text.utf8.dropFirst(prefix.utf8.count)
        return rest.count == digits && rest.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}
