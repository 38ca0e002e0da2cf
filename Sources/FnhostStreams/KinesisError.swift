import FnhostWire

/// A Kinesis refusal as AWS JSON 1.1 sends it: an HTTP status (400 for the caller's mistakes) and
/// `{"__type": "<Name>", "message": …}`, from which botocore takes `Error.Code`. The names are Kinesis' own, so a
/// script that catches `ResourceNotFoundException` or `ExpiredIteratorException` works against fnhost unchanged.
public struct KinesisError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `ResourceNotFoundException`, `InvalidArgumentException`, …
    public var name: String
    public var message: String
    public var status: Int

    public init(name: String, message: String, status: Int = 400) {
        self.name = name
        self.message = message
        self.status = status
    }

    public var description: String { "\(name): \(message)" }

    /// The JSON body of the answer.
    public var jsonBody: String {
        #"{"__type":\#(JSONText.quote(name)),"message":\#(JSONText.quote(message))}"#
    }

    // MARK: Kinesis' errors

    public static func resourceNotFound(stream: String) -> KinesisError {
        KinesisError(
            name: "ResourceNotFoundException",
            message: "Stream \(stream.prefix(128)) under account \(KinesisNames.account) not found.")
    }

    public static func resourceNotFound(shard: String, stream: String) -> KinesisError {
        KinesisError(
            name: "ResourceNotFoundException",
            message:
                "Shard \(shard.prefix(128)) in stream \(stream.prefix(128)) under account \(KinesisNames.account) does not exist"
        )
    }

    public static func resourceInUse(_ message: String) -> KinesisError {
        KinesisError(name: "ResourceInUseException", message: message)
    }

    public static func invalidArgument(_ message: String) -> KinesisError {
        KinesisError(name: "InvalidArgumentException", message: message)
    }

    /// A parameter that breaks the operation's constraints (length, pattern, range), as Kinesis' input validation
    /// reports it.
    public static func validation(_ message: String) -> KinesisError {
        KinesisError(name: "ValidationException", message: message)
    }

    public static func expiredIterator(createdAt: Int64, now: Int64) -> KinesisError {
        KinesisError(
            name: "ExpiredIteratorException",
            message: "Iterator expired. The iterator was created at time \(createdAt) while right now it is \(now) "
                + "which is further in the future than the tolerated delay of \(ShardIterator.lifetimeMs) milliseconds."
        )
    }

    public static func limitExceeded(_ message: String) -> KinesisError {
        KinesisError(name: "LimitExceededException", message: message)
    }

    /// A body that does not decode (not JSON, a parameter of the wrong type).
    public static func serialization(_ message: String) -> KinesisError {
        KinesisError(name: "SerializationException", message: message)
    }

    public static func unknownOperation(_ target: String) -> KinesisError {
        KinesisError(
            name: "UnknownOperationException", message: "The operation \(target.prefix(100)) is not valid for Kinesis.")
    }
}
