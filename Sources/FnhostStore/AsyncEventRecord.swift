/// One asynchronous (`Event`) invocation as the store keeps it: waiting or retrying while `failedAt` is nil, a dead
/// letter once it is set.
public struct AsyncEventRecord: Sendable, Equatable {
    public var id: String
    public var function: String
    public var payload: [UInt8]
    /// Unix epoch milliseconds when it was accepted.
    public var acceptedAt: Int64
    /// Attempts made so far.
    public var attempts: Int
    /// The last function error's type and message, once there is one.
    public var errorType: String?
    public var errorMessage: String?
    /// Unix epoch milliseconds when it became a dead letter.
    public var failedAt: Int64?

    public init(
        id: String, function: String, payload: [UInt8], acceptedAt: Int64, attempts: Int = 0,
        errorType: String? = nil, errorMessage: String? = nil, failedAt: Int64? = nil
    ) {
        self.id = id
        self.function = function
        self.payload = payload
        self.acceptedAt = acceptedAt
        self.attempts = attempts
        self.errorType = errorType
        self.errorMessage = errorMessage
        self.failedAt = failedAt
    }

    public var isDeadLetter: Bool { failedAt != nil }
}
