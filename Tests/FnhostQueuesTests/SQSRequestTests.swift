import FnhostQueues
import FnhostWire
import Testing

/// The AWS JSON 1.0 request decoder and the receive's answer, without I/O.
@Suite("SQS requests and answers")
struct SQSRequestTests {
    static func request(_ target: String, _ body: String) throws(SQSError) -> SQSRequest {
        try SQSRequest(target: target, body: Array(body.utf8))
    }

    static func refusal(_ body: () throws -> Void) -> SQSError? {
        do { try body() } catch let error as SQSError { return error } catch { return nil }
        return nil
    }

    @Test("The target names the operation; an unknown one is UnknownOperationException")
    func operations() throws {
        #expect(try Self.request("AmazonSQS.SendMessage", "{}").operation == .sendMessage)
        #expect(try Self.request("AmazonSQS.ListQueues", "").operation == .listQueues)
        #expect(Self.refusal { _ = try Self.request("AmazonSQS.Nope", "{}") }?.name == "UnknownOperationException")
        #expect(Self.refusal { _ = try Self.request("AWSStepFunctions.StartExecution", "{}") } != nil)
    }

    @Test("A body that is not a JSON object is a SerializationException, not a crash")
    func malformedBodies() {
        for body in ["{", "[]", "\"x\"", "{\"QueueUrl\":1,", "nul"] {
            let error = Self.refusal { _ = try Self.request("AmazonSQS.SendMessage", body) }
            #expect(error?.name == "SerializationException", "\(body)")
            #expect(error?.status == 400)
        }
    }

    @Test("Typed accessors: missing, wrong type and out of range each get SQS's error")
    func accessors() throws {
        let r = try Self.request(
            "AmazonSQS.ReceiveMessage",
            #"{"QueueUrl":"http://127.0.0.1:1/000000000000/orders","MaxNumberOfMessages":11,"WaitTimeSeconds":"5","AttributeNames":["All"]}"#
        )
        #expect(try r.queueName() == "orders")
        #expect(try r.strings("AttributeNames") == ["All"])
        #expect(Self.refusal { _ = try r.integer("MaxNumberOfMessages", in: 1...10) }?.name == "InvalidParameterValue")
        #expect(Self.refusal { _ = try r.integer("WaitTimeSeconds", in: 0...20) }?.name == "SerializationException")
        #expect(Self.refusal { _ = try r.requiredString("MessageBody") }?.name == "MissingParameter")
        #expect(try r.integer("VisibilityTimeout", in: 0...10) == nil)
        let unknown = try Self.request("AmazonSQS.DeleteQueue", #"{"QueueUrl":"nothing"}"#)
        #expect(Self.refusal { _ = try unknown.queueName() }?.queryCode == "AWS.SimpleQueueService.NonExistentQueue")
    }

    @Test("Batch entries: empty, more than 10, repeated and malformed ids are refused with SQS's batch errors")
    func batches() throws {
        func entries(_ json: String) -> SQSError? {
            Self.refusal {
                _ = try Self.request("AmazonSQS.DeleteMessageBatch", #"{"Entries":\#(json)}"#).entries()
            }
        }
        #expect(entries("[]")?.name == "EmptyBatchRequest")
        let eleven = (0..<11).map { #"{"Id":"e\#($0)"}"# }.joined(separator: ",")
        #expect(entries("[\(eleven)]")?.name == "TooManyEntriesInBatchRequest")
        #expect(entries(#"[{"Id":"a"},{"Id":"a"}]"#)?.name == "BatchEntryIdsNotDistinct")
        #expect(entries(#"[{"Id":"a b"}]"#)?.name == "InvalidBatchEntryId")
        #expect(entries(#"[{"ReceiptHandle":"x"}]"#)?.name == "MissingParameter")
        let ok = try Self.request("AmazonSQS.DeleteMessageBatch", #"{"Entries":[{"Id":"a"},{"Id":"b-2"}]}"#).entries()
        #expect(ok.map(\.id) == ["a", "b-2"])
    }

    @Test("Message attributes decode, refuse bad names and types, and digest as AWS's SDKs check")
    func messageAttributes() throws {
        let r = try Self.request(
            "AmazonSQS.SendMessage",
            #"{"MessageAttributes":{"kind":{"DataType":"String","StringValue":"x"},"n":{"DataType":"Number","StringValue":"42"},"b":{"DataType":"Binary","BinaryValue":"AAEC"}}}"#
        )
        let attributes = try r.messageAttributes()
        #expect(attributes["b"]?.binaryValue == [0, 1, 2])
        // Computed independently with Python's hashlib over AWS's documented encoding.
        #expect(SQSMessageAttribute.md5(attributes) == "10632e12a1b85794a6621ea336ac8ae1")
        #expect(SQSMessageAttribute.stored(SQSMessageAttribute.encode(attributes)) == attributes)
        for bad in [
            #"{"AWS.x":{"DataType":"String","StringValue":"x"}}"#, #"{"a..b":{"DataType":"String","StringValue":"x"}}"#,
            #"{"a":{"DataType":"Text","StringValue":"x"}}"#, #"{"a":{"DataType":"String"}}"#,
            #"{"a":{"DataType":"Number","StringValue":"ten"}}"#,
        ] {
            let error = Self.refusal {
                _ = try Self.request("AmazonSQS.SendMessage", #"{"MessageAttributes":\#(bad)}"#).messageAttributes()
            }
            #expect(error?.name == "InvalidParameterValue", "\(bad)")
        }
    }

    @Test("A received message carries MD5OfBody and only the system and message attributes asked for")
    func receivedMessage() {
        let m = SQSReceivedMessage(
            messageID: "m", receipt: "1-00", body: "hello",
            attributes: ["kind": SQSMessageAttribute(dataType: "String", stringValue: "x")], sentAt: 1000,
            firstReceivedAt: 2000, receiveCount: 3, groupID: "g", deduplicationID: "d", sequence: 7)
        guard case .object(let all) = m.json(systemAttributes: ["All"], messageAttributeNames: ["All"]) else {
            Issue.record("not an object")
            return
        }
        #expect(all["MD5OfBody"] == .string("5d41402abc4b2a76b9719d911017c592"))
        guard case .object(let system)? = all["Attributes"] else {
            Issue.record("no Attributes")
            return
        }
        #expect(system["ApproximateReceiveCount"] == .string("3"))
        #expect(system["SentTimestamp"] == .string("1000"))
        #expect(system["ApproximateFirstReceiveTimestamp"] == .string("2000"))
        #expect(system["SequenceNumber"] == .string("00000000000000000007"))
        #expect(all["MessageAttributes"] != nil && all["MD5OfMessageAttributes"] != nil)
        guard case .object(let few) = m.json(systemAttributes: ["SentTimestamp"], messageAttributeNames: ["other"])
        else { return }
        #expect(few["Attributes"] == .object(["SentTimestamp": .string("1000")]))
        #expect(few["MessageAttributes"] == nil)
    }
}
