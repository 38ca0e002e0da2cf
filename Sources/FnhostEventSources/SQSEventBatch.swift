import FnhostQueues
import FnhostWire

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The event Lambda hands a function for a batch of SQS messages, in Lambda's exact shape:
/// `{"Records":[{"messageId", "receiptHandle", "body", "attributes": {ApproximateReceiveCount, SentTimestamp,
/// SenderId, ApproximateFirstReceiveTimestamp, and for FIFO SequenceNumber, MessageGroupId,
/// MessageDeduplicationId}, "messageAttributes": {name: {stringValue, binaryValue, stringListValues,
/// binaryListValues, dataType}}, "md5OfBody", "eventSource": "aws:sqs", "eventSourceARN", "awsRegion"}]}`.
public enum SQSEventBatch {
    /// The event for `messages` (in batch order) received from the queue `queueARN`.
    public static func event(_ messages: [SQSReceivedMessage], queueARN: String, region: String) -> [UInt8] {
        JSONValue.object(["Records": .array(messages.map { record($0, queueARN: queueARN, region: region) })])
            .serialized
    }

    /// One record.
    public static func record(_ m: SQSReceivedMessage, queueARN: String, region: String) -> JSONValue {
        var attributes: [String: JSONValue] = [
            "ApproximateReceiveCount": .string(String(m.receiveCount)),
            "SentTimestamp": .string(String(m.sentAt)),
            "SenderId": .string(ARN.accountID),
            "ApproximateFirstReceiveTimestamp": .string(String(m.firstReceivedAt)),
        ]
        if let group = m.groupID { attributes["MessageGroupId"] = .string(group) }
        if let deduplication = m.deduplicationID { attributes["MessageDeduplicationId"] = .string(deduplication) }
        if let sequence = m.sequence {
            attributes["SequenceNumber"] = .string(SQSReceivedMessage.sequenceNumber(sequence))
        }
        var out: [String: JSONValue] = [
            "messageId": .string(m.messageID), "receiptHandle": .string(m.receipt), "body": .string(m.body),
            "attributes": .object(attributes),
            "messageAttributes": .object(m.attributes.mapValues(messageAttribute)),
            "md5OfBody": .string(Digest.hex(.md5, Array(m.body.utf8))), "eventSource": .string("aws:sqs"),
            "eventSourceARN": .string(queueARN), "awsRegion": .string(region),
        ]
        if !m.attributes.isEmpty { out["md5OfMessageAttributes"] = .string(SQSMessageAttribute.md5(m.attributes)) }
        return .object(out)
    }

    /// A message attribute as Lambda's SQS event writes it (lower camel case, list fields always present).
    static func messageAttribute(_ a: SQSMessageAttribute) -> JSONValue {
        var fields: [String: JSONValue] = [
            "dataType": .string(a.dataType), "stringListValues": .array([]), "binaryListValues": .array([]),
        ]
        if let value = a.stringValue { fields["stringValue"] = .string(value) }
        if let bytes = a.binaryValue { fields["binaryValue"] = .string(Data(bytes).base64EncodedString()) }
        return .object(fields)
    }
}
