import FnhostQueues
import FnhostWire
import Testing

/// SQS's rules without I/O: names, attributes, redrive policies, limits and the errors' wire shapes.
@Suite("SQS rules")
struct QueueRulesTests {
    @Test(
        "Queue names: 1–80 letters, digits, - and _; .fifo marks a FIFO queue; anything else is InvalidParameterValue")
    func queueNames() throws {
        #expect(try QueueName.validate("orders") == false)
        #expect(try QueueName.validate("orders_v2-dlq.fifo") == true)
        #expect(try QueueName.validate(String(repeating: "a", count: 80)) == false)
        for bad in ["", ".fifo", "orders.v2", "ordres/x", String(repeating: "a", count: 81), "naïve"] {
            #expect(throws: SQSError.self, "\(bad)") { try QueueName.validate(bad) }
            do { try QueueName.validate(bad) } catch { #expect(error.name == "InvalidParameterValue") }
        }
    }

    @Test("A new queue has SQS's defaults; CreateQueue's attributes set them within their ranges")
    func defaultsAndRanges() throws {
        let plain = try QueueAttributes.forNewQueue(name: "q", attributes: [:])
        #expect(
            plain.map == [
                "DelaySeconds": "0", "MaximumMessageSize": "1048576", "MessageRetentionPeriod": "345600",
                "ReceiveMessageWaitTimeSeconds": "0", "VisibilityTimeout": "30",
            ])
        let set = try QueueAttributes.forNewQueue(
            name: "q",
            attributes: ["VisibilityTimeout": "43200", "DelaySeconds": "900", "MessageRetentionPeriod": "60"])
        #expect(set.visibilityTimeout == 43_200 && set.delaySeconds == 900 && set.messageRetentionPeriod == 60)
        for (name, value) in [
            ("VisibilityTimeout", "43201"), ("DelaySeconds", "-1"), ("MaximumMessageSize", "1023"),
            ("MessageRetentionPeriod", "59"), ("ReceiveMessageWaitTimeSeconds", "21"), ("VisibilityTimeout", "ten"),
        ] {
            do {
                _ = try QueueAttributes.forNewQueue(name: "q", attributes: [name: value])
                Issue.record("\(name)=\(value) was accepted")
            } catch {
                #expect(error.name == "InvalidAttributeValue", "\(name)=\(value): \(error)")
            }
        }
    }

    @Test("SetQueueAttributes applies all or nothing; unknown names are InvalidAttributeName; FifoQueue is fixed")
    func applyIsAllOrNothing() throws {
        var queue = try QueueAttributes.forNewQueue(name: "q", attributes: [:])
        #expect(throws: SQSError.invalidAttributeName("Colour")) {
            try queue.apply(["VisibilityTimeout": "5", "Colour": "blue"])
        }
        #expect(queue.visibilityTimeout == 30, "a refused map changes nothing")
        #expect(throws: SQSError.invalidAttributeName("FifoQueue")) { try queue.apply(["FifoQueue": "true"]) }
        #expect(throws: SQSError.invalidAttributeName("ContentBasedDeduplication")) {
            try queue.apply(["ContentBasedDeduplication": "true"])
        }
        try queue.apply(["VisibilityTimeout": "5"])
        #expect(queue.visibilityTimeout == 5)

        var fifo = try QueueAttributes.forNewQueue(name: "q.fifo", attributes: ["FifoQueue": "true"])
        try fifo.apply(["ContentBasedDeduplication": "true"])
        #expect(fifo.map["FifoQueue"] == "true" && fifo.map["ContentBasedDeduplication"] == "true")
        #expect(throws: SQSError.self) { try QueueAttributes.forNewQueue(name: "q", attributes: ["FifoQueue": "true"]) }
        #expect(throws: SQSError.self) {
            try QueueAttributes.forNewQueue(name: "q.fifo", attributes: ["FifoQueue": "false"])
        }
    }

    @Test("RedrivePolicy: a JSON map of an SQS ARN and maxReceiveCount 1–1000 (number or string); written back as JSON")
    func redrivePolicy() throws {
        let arn = "arn:aws:sqs:us-east-1:000000000000:orders-dlq"
        let policy = try RedrivePolicy(attribute: #"{"deadLetterTargetArn":"\#(arn)","maxReceiveCount":"5"}"#)
        #expect(policy == RedrivePolicy(deadLetterTargetArn: arn, maxReceiveCount: 5))
        #expect(try RedrivePolicy(attribute: policy.attribute) == policy)
        #expect(
            try JSONValue.parse(policy.attribute)
                == .object(["deadLetterTargetArn": .string(arn), "maxReceiveCount": .number(5)]))
        #expect(!policy.movesToDeadLetterQueue(receiveCount: 4))
        #expect(policy.movesToDeadLetterQueue(receiveCount: 5), "received 5 times: the 6th receive moves it")
        for bad in [
            "not json", #"{"maxReceiveCount":5}"#,
            #"{"deadLetterTargetArn":"arn:aws:sns:us-east-1:1:x","maxReceiveCount":5}"#,
            #"{"deadLetterTargetArn":"\#(arn)","maxReceiveCount":0}"#,
            #"{"deadLetterTargetArn":"\#(arn)","maxReceiveCount":1001}"#,
            #"{"deadLetterTargetArn":"\#(arn)","maxReceiveCount":2.5}"#,
            #"{"deadLetterTargetArn":"\#(arn)","maxReceiveCount":5,"extra":1}"#,
        ] {
            do {
                _ = try RedrivePolicy(attribute: bad)
                Issue.record("accepted \(bad)")
            } catch {
                #expect(error.name == "InvalidAttributeValue")
            }
        }
    }

    @Test("ARNs and queue URLs name the queue; anything else names none")
    func arnsAndURLs() {
        #expect(QueueARN("arn:aws:sqs:eu-west-1:123456789012:jobs")?.name == "jobs")
        #expect(
            QueueARN("arn:aws:sqs:eu-west-1:123456789012:jobs")?.description
                == "arn:aws:sqs:eu-west-1:123456789012:jobs")
        #expect(QueueARN("arn:aws:sqs:eu-west-1::jobs") == nil)
        #expect(QueueARN("arn:aws:lambda:eu-west-1:1:function:f") == nil)
        #expect(QueueARN.name(fromURL: "http://127.0.0.1:9000/000000000000/jobs.fifo") == "jobs.fifo")
        #expect(QueueARN.name(fromURL: "https://sqs.us-east-1.amazonaws.com/123456789012/jobs") == "jobs")
        #expect(QueueARN.name(fromURL: "jobs") == nil)
        #expect(QueueARN.name(fromURL: "http://127.0.0.1:9000/000000000000/bad.name") == nil)
    }

    @Test("Bodies: not empty, within MaximumMessageSize in UTF-8 bytes, only SQS's characters")
    func bodies() throws {
        try SQSLimits.checkBody("héllo\t\n", maximumMessageSize: 1024)
        try SQSLimits.checkBody(String(repeating: "a", count: 1024), maximumMessageSize: 1024)
        #expect(throws: SQSError.missingParameter("MessageBody")) {
            try SQSLimits.checkBody("", maximumMessageSize: 1024)
        }
        do {
            try SQSLimits.checkBody(String(repeating: "é", count: 513), maximumMessageSize: 1024)
            Issue.record("1,026 bytes accepted under a 1,024 limit")
        } catch { #expect(error.name == "InvalidParameterValue") }
        do {
            try SQSLimits.checkBody("a\u{1}b", maximumMessageSize: 1024)
            Issue.record("a control character accepted")
        } catch { #expect(error.name == "InvalidMessageContents") }
    }

    @Test("Batches: 1–10 entries with distinct ids of letters, digits, - and _ (AWS's batch errors, legacy codes too)")
    func batches() throws {
        try SQSLimits.checkBatch(ids: (0..<10).map { "id-\($0)" })
        #expect(throws: SQSError.emptyBatchRequest()) { try SQSLimits.checkBatch(ids: []) }
        #expect(throws: SQSError.tooManyEntriesInBatchRequest(11)) {
            try SQSLimits.checkBatch(ids: (0..<11).map { "e\($0)" })
        }
        #expect(throws: SQSError.batchEntryIdsNotDistinct("a")) { try SQSLimits.checkBatch(ids: ["a", "b", "a"]) }
        #expect(throws: SQSError.invalidBatchEntryId("a b")) { try SQSLimits.checkBatch(ids: ["a b"]) }
        #expect(SQSError.emptyBatchRequest().queryErrorHeader == "AWS.SimpleQueueService.EmptyBatchRequest;Sender")
        #expect(throws: SQSError.self) { try SQSLimits.check("MaxNumberOfMessages", 11, 1...10) }
    }

    @Test("An error is AWS JSON 1.0's shape: __type com.amazonaws.sqs#Name, message, and the legacy code header")
    func errorShape() throws {
        let error = SQSError.queueDoesNotExist()
        #expect(error.status == 400)
        #expect(error.queryErrorHeader == "AWS.SimpleQueueService.NonExistentQueue;Sender")
        #expect(
            try JSONValue.parse(error.jsonBody)
                == .object([
                    "__type": .string("com.amazonaws.sqs#QueueDoesNotExist"),
                    "message": .string("The specified queue does not exist."),
                ]))
        let quoted = SQSError.invalidParameterValue("a \"quoted\"\nline")
        #expect(try JSONValue.parse(quoted.jsonBody) != .null)
        #expect(SQSError.queueNameExists("q").queryCode == "QueueAlreadyExists")
    }
}
