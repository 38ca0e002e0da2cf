import FnhostWire

/// An SQS refusal as AWS JSON 1.0 sends it: HTTP 400, `{"__type": "com.amazonaws.sqs#<Name>", "message": …}`, and the
/// `x-amzn-query-error: <legacy code>;Sender` header from which botocore takes `Error.Code` (the query protocol's
/// code, which older SDKs and scripts match on).
public struct SQSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The JSON error's shape name: `QueueDoesNotExist`, `InvalidAttributeValue`, …
    public var name: String
    /// The query protocol's code: `AWS.SimpleQueueService.NonExistentQueue`, `InvalidAttributeValue`, …
    public var queryCode: String
    public var message: String
    public var status: Int

    public init(name: String, queryCode: String? = nil, message: String, status: Int = 400) {
        self.name = name
        self.queryCode = queryCode ?? name
        self.message = message
        self.status = status
    }

    public var description: String { "\(queryCode): \(message)" }

    /// The JSON body of the answer.
    public var jsonBody: String {
        #"{"__type":"com.amazonaws.sqs#\#(name)","message":\#(JSONText.quote(message))}"#
    }

    /// The `x-amzn-query-error` header's value.
    public var queryErrorHeader: String { queryCode + ";Sender" }

    // MARK: The errors fnhost's queues give, with AWS's names and legacy codes

    /// An error whose legacy code is its name under `AWS.SimpleQueueService.` (the batch errors).
    static func legacyCoded(_ name: String, _ message: String) -> SQSError {
        SQSError(name: name, queryCode: "AWS.SimpleQueueService." + name, message: message)
    }

    public static func queueDoesNotExist() -> SQSError {
        SQSError(
            name: "QueueDoesNotExist", queryCode: "AWS.SimpleQueueService.NonExistentQueue",
            message: "The specified queue does not exist.")
    }

    public static func queueNameExists(_ name: String) -> SQSError {
        SQSError(
            name: "QueueNameExists", queryCode: "QueueAlreadyExists",
            message: "A queue already exists with the same name and a different value for attribute(s) of \(name)")
    }

    public static func invalidAttributeName(_ name: String) -> SQSError {
        SQSError(name: "InvalidAttributeName", message: "Unknown Attribute \(name).")
    }

    public static func invalidAttributeValue(_ message: String) -> SQSError {
        SQSError(name: "InvalidAttributeValue", message: message)
    }

    /// A parameter out of its range or malformed (AWS's generic `InvalidParameterValue`).
    public static func invalidParameterValue(_ message: String) -> SQSError {
        SQSError(name: "InvalidParameterValue", message: message)
    }

    public static func missingParameter(_ name: String) -> SQSError {
        SQSError(name: "MissingParameter", message: "The request must contain the parameter \(name).")
    }

    public static func invalidMessageContents(_ message: String) -> SQSError {
        SQSError(name: "InvalidMessageContents", message: message)
    }

    public static func receiptHandleIsInvalid(_ handle: String) -> SQSError {
        SQSError(
            name: "ReceiptHandleIsInvalid",
            message: "The input receipt handle \"\(handle.prefix(100))\" is not a valid receipt handle.")
    }

    public static func emptyBatchRequest() -> SQSError {
        .legacyCoded("EmptyBatchRequest", "There should be at least one entry in the request.")
    }

    public static func tooManyEntriesInBatchRequest(_ count: Int) -> SQSError {
        .legacyCoded(
            "TooManyEntriesInBatchRequest", "Maximum number of entries per request are 10. You have sent \(count).")
    }

    public static func batchEntryIdsNotDistinct(_ id: String) -> SQSError {
        .legacyCoded("BatchEntryIdsNotDistinct", "Id \(id) repeated.")
    }

    public static func invalidBatchEntryId(_ id: String) -> SQSError {
        .legacyCoded(
            "InvalidBatchEntryId",
            "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long: \(id.prefix(100))"
        )
    }

    public static func batchRequestTooLong(_ bytes: Int, limit: Int) -> SQSError {
        .legacyCoded(
            "BatchRequestTooLong", "Batch requests cannot be longer than \(limit) bytes. You have sent \(bytes) bytes.")
    }
}
