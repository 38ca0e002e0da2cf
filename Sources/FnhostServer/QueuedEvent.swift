import FnhostStore
import FnhostWire
import Foundation

/// An accepted asynchronous (`Event`) invocation, as `fnhost dead-letters list --json` prints it (and as the
/// files of fnhost's older folder store held it, which the store imports).
public struct QueuedEvent: Codable, Sendable, Equatable {
    public var id: String
    public var function: String
    /// The event, base64 (it is JSON, but kept byte for byte).
    public var payload: String
    /// Unix epoch milliseconds when it was accepted.
    public var acceptedAt: Int64
    /// Attempts made so far.
    public var attempts: Int
    /// The last function error, once there is one.
    public var lastError: FunctionError?
    /// When it became a dead letter.
    public var failedAt: Int64?

    public init(id: String, function: String, payload: [UInt8], acceptedAt: Int64) {
        self.id = id
        self.function = function
        self.payload = Data(payload).base64EncodedString()
        self.acceptedAt = acceptedAt
        self.attempts = 0
    }

    public var payloadBytes: [UInt8] { Data(base64Encoded: payload).map(Array.init) ?? [] }

    /// The event as the store keeps it.
    public var record: AsyncEventRecord {
        AsyncEventRecord(
            id: id, function: function, payload: payloadBytes, acceptedAt: acceptedAt, attempts: attempts,
            errorType: lastError?.errorType, errorMessage: lastError?.errorMessage, failedAt: failedAt)
    }

    public init(record: AsyncEventRecord) {
        self.init(id: record.id, function: record.function, payload: record.payload, acceptedAt: record.acceptedAt)
        attempts = record.attempts
        if record.errorType != nil || record.errorMessage != nil {
            lastError = FunctionError(errorMessage: record.errorMessage ?? "", errorType: record.errorType ?? "")
        }
        failedAt = record.failedAt
    }
}
