import FnhostQueues
import FnhostWire

/// SQS's JSON request decoder under the fuzzer (`sqs`): the first NUL splits the `X-Amz-Target` value from the body.
/// Any input is either refused with an `SQSError` that has a name and a message, or decoded into a request whose
/// parameters every typed accessor reads without trapping.
enum SQSFuzzEntry {
    static func request(_ input: [UInt8]) {
        let parts = input.split(separator: 0, maxSplits: 1, omittingEmptySubsequences: false)
        let target = String(decoding: parts[0], as: UTF8.self)
        let body = parts.count > 1 ? Array(parts[1]) : []
        let request: SQSRequest
        do {
            request = try SQSRequest(target: target, body: body)
        } catch {
            check(error)
            return
        }
        precondition(
            SQSRequest.targetPrefix + request.operation.rawValue == target, "a decoded request names its target")
        accessors(request)
        if let entries = try? request.entries() {
            precondition((1...SQSLimits.maxBatchEntries).contains(entries.count), "a batch has 1 to 10 entries")
            precondition(Set(entries.map(\.id)).count == entries.count, "batch entry ids are distinct")
            for (_, entry) in entries { accessors(entry) }
        }
    }

    static func accessors(_ request: SQSRequest) {
        for name in ["QueueName", "QueueUrl", "MessageBody", "ReceiptHandle", "MessageGroupId", "NextToken"] {
            do { _ = try request.string(name) } catch { check(error) }
        }
        for name in ["MaxNumberOfMessages", "VisibilityTimeout", "WaitTimeSeconds", "DelaySeconds"] {
            do {
                if let n = try request.integer(name, in: 0...43_200) {
                    precondition((0...43_200).contains(n), "an integer parameter is in its range")
                }
            } catch { check(error) }
        }
        do { _ = try request.strings("AttributeNames") } catch { check(error) }
        do { _ = try request.stringMap("Attributes") } catch { check(error) }
        do { _ = try request.queueName() } catch { check(error) }
        do {
            let attributes = try request.messageAttributes()
            precondition(attributes.count <= SQSMessageAttribute.maxAttributes, "at most 10 message attributes")
            // What decodes, stores and reads back the same.
            let again = SQSMessageAttribute.stored(SQSMessageAttribute.encode(attributes))
            precondition(again == attributes, "message attributes survive the store's encoding")
            _ = SQSMessageAttribute.md5(attributes)
        } catch { check(error) }
        if let body = try? request.string("MessageBody") {
            do { try SQSLimits.checkBody(body, maximumMessageSize: 1_048_576) } catch { check(error) }
        }
    }

    static func check(_ error: SQSError) {
        precondition(!error.name.isEmpty && !error.message.isEmpty, "a refusal has a name and a message")
        precondition(error.status == 400, "a refused request is the sender's fault")
    }
}
