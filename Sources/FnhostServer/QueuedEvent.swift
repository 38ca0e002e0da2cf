import FnhostWire
import Foundation

/// An accepted asynchronous (`Event`) invocation, as it is kept on disk until it succeeds or is dead-lettered.
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
    /// When it landed in the dead-letter store.
    public var failedAt: Int64?

    public init(id: String, function: String, payload: [UInt8], acceptedAt: Int64) {
        self.id = id
        self.function = function
        self.payload = Data(payload).base64EncodedString()
        self.acceptedAt = acceptedAt
        self.attempts = 0
    }

    public var payloadBytes: [UInt8] { Data(base64Encoded: payload).map(Array.init) ?? [] }
}
