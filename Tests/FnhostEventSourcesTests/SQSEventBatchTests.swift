import FnhostEventSources
import FnhostQueues
import FnhostWire
import Testing

/// The SQS event a function receives is Lambda's, field for field.
@Suite struct SQSEventBatchTests {
    @Test func aStandardMessageHasLambdasFields() throws {
        let m = SQSReceivedMessage(
            messageID: "059f36b4-87a3-44ab-83d2-661975830a7d", receipt: "1-abc", body: "Test message.",
            attributes: ["kind": SQSMessageAttribute(dataType: "String", stringValue: "x")], sentAt: 1_545_082_649_183,
            firstReceivedAt: 1_545_082_649_185, receiveCount: 1)
        let event = try JSONValue.parse(
            SQSEventBatch.event([m], queueARN: "arn:aws:sqs:us-east-1:000000000000:q", region: "us-east-1"))
        guard case .object(let top) = event, case .array(let records)? = top["Records"],
            case .object(let r)? = records.first
        else { Issue.record("no record: \(event)"); return }
        #expect(
            Set(r.keys) == [
                "messageId", "receiptHandle", "body", "attributes", "messageAttributes", "md5OfBody",
                "md5OfMessageAttributes", "eventSource", "eventSourceARN", "awsRegion",
            ])
        #expect(r["eventSource"] == .string("aws:sqs"))
        // AWS's own sample event: "Test message." has md5OfBody e4e68fb7…
        #expect(r["md5OfBody"] == .string("e4e68fb7bd0e697a0ae8f1bb342846b3"))
        #expect(
            r["attributes"]
                == .object([
                    "ApproximateReceiveCount": .string("1"), "SentTimestamp": .string("1545082649183"),
                    "SenderId": .string("000000000000"), "ApproximateFirstReceiveTimestamp": .string("1545082649185"),
                ]))
        #expect(
            r["messageAttributes"]
                == .object([
                    "kind": .object([
                        "stringValue": .string("x"), "stringListValues": .array([]), "binaryListValues": .array([]),
                        "dataType": .string("String"),
                    ])
                ]))
    }

    @Test func aFIFOMessageCarriesItsGroupDeduplicationIdAndSequence() throws {
        let m = SQSReceivedMessage(
            messageID: "m", receipt: "r", body: "b", attributes: [:], sentAt: 1, firstReceivedAt: 2, receiveCount: 3,
            groupID: "g", deduplicationID: "d", sequence: 42)
        guard case .object(let r) = SQSEventBatch.record(m, queueARN: "arn", region: "us-east-1"),
            case .object(let a)? = r["attributes"]
        else { Issue.record("no attributes"); return }
        #expect(a["MessageGroupId"] == .string("g") && a["MessageDeduplicationId"] == .string("d"))
        #expect(a["SequenceNumber"] == .string("00000000000000000042"))
        #expect(r["md5OfMessageAttributes"] == nil)
    }
}
