/// SQS's rules for a queue name: 1–80 characters of letters, digits, `-` and `_`; a FIFO queue's ends in `.fifo`
/// (which counts towards the 80).
public enum QueueName {
    public static let maxLength = 80

    /// Checks `name`; returns whether it names a FIFO queue.
    @discardableResult
    public static func validate(_ name: String) throws(SQSError) -> Bool {
        let fifo = name.hasSuffix(".fifo")
        let stem = fifo ? name.dropLast(5) : Substring(name)
        guard !stem.isEmpty, name.count <= maxLength,
            stem.unicodeScalars.allSatisfy({
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_")
            })
        else {
            throw .invalidParameterValue(
                "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length: \(name.prefix(100))"
            )
        }
        return fifo
    }
}
