/// SQS's limits on what a request may carry, checked before anything is stored: message bodies, batch entries,
/// receive parameters. Each refusal is the error SQS gives.
public enum SQSLimits {
    public static let maxBatchEntries = 10
    public static let maxReceiveMessages = 10
    public static let maxWaitTimeSeconds = 20
    public static let maxVisibilityTimeout = 43_200
    public static let maxDelaySeconds = 900

    /// A message body: not empty, at most the queue's `MaximumMessageSize` in UTF-8 bytes, and only the characters
    /// SQS allows (#x9, #xA, #xD, #x20–#xD7FF, #xE000–#xFFFD, #x10000–#x10FFFF).
    public static func checkBody(_ body: String, maximumMessageSize: Int) throws(SQSError) {
        if body.isEmpty { throw .missingParameter("MessageBody") }
        let bytes = body.utf8.count
        if bytes > maximumMessageSize {
            throw .invalidParameterValue(
                "One or more parameters are invalid. Reason: Message must be shorter than \(maximumMessageSize) bytes.")
        }
        for scalar in body.unicodeScalars where !isAllowed(scalar) {
            throw .invalidMessageContents(
                "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF (found #x\(String(scalar.value, radix: 16, uppercase: true)))"
            )
        }
    }

    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    /// A batch's entry ids: 1–10 entries, each id 1–80 letters, digits, `-` or `_`, no id twice.
    public static func checkBatch(ids: [String]) throws(SQSError) {
        if ids.isEmpty { throw .emptyBatchRequest() }
        if ids.count > maxBatchEntries { throw .tooManyEntriesInBatchRequest(ids.count) }
        var seen: Set<String> = []
        for id in ids {
            guard !id.isEmpty, id.count <= 80,
                id.unicodeScalars.allSatisfy({
                    $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_")
                })
            else { throw .invalidBatchEntryId(id) }
            guard seen.insert(id).inserted else { throw .batchEntryIdsNotDistinct(id) }
        }
    }

    /// The sum of a batch's bodies: at most the queue's `MaximumMessageSize` (1 MiB by default).
    public static func checkBatchSize(_ bytes: Int, maximumMessageSize: Int) throws(SQSError) {
        if bytes > maximumMessageSize { throw .batchRequestTooLong(bytes, limit: maximumMessageSize) }
    }

    /// An integer parameter of a request in its range (`MaxNumberOfMessages`, `WaitTimeSeconds`, …).
    public static func check(_ name: String, _ value: Int, _ range: ClosedRange<Int>) throws(SQSError) {
        guard range.contains(value) else { throw SQSRequest.ParameterErrors.outOfRange(name, value, range) }
    }
}
