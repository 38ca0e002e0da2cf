import FnhostQueues
import FnhostStore
import FnhostWire
import Foundation

/// SQS's operations on fnhost's store: each decoded request (`SQSRequest`) becomes the store calls it needs and an
/// answer in AWS JSON 1.0's shape, or an `SQSError`. Every change is committed before the call returns, so no 200
/// goes out before the message is on disk.
///
/// Durations (visibility timeouts, delays, retention, the five-minute deduplication window, long-poll waits) are
/// real seconds, whatever the host's time scale: they are part of the API's contract with the client (a boto3
/// caller that sets `VisibilityTimeout=2` sleeps 2 real seconds before it expects the message back), while the time
/// scale only compresses fnhost's own simulated delays.
struct SQSService: Sendable {
    static let account = "000000000000"
    static let region = "us-east-1"
    static let deduplicationWindowMs: Int64 = 5 * 60 * 1000

    let store: Store
    let arrivals = SQSArrivals()

    static func nowMs() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }

    /// Runs one operation; `baseURL` (`http://host:port`) is where the client reached fnhost, for queue URLs.
    func handle(_ request: SQSRequest, baseURL: String) async throws -> JSONValue {
        switch request.operation {
        case .createQueue: return try await createQueue(request, baseURL: baseURL)
        case .getQueueUrl:
            let name = try request.requiredString("QueueName")
            _ = try await load(name)
            return .object(["QueueUrl": .string(Self.url(baseURL, name))])
        case .listQueues: return try await listQueues(request, baseURL: baseURL)
        case .deleteQueue:
            let name = try request.queueName()
            guard try await store.deleteQueue(name) else { throw SQSError.queueDoesNotExist() }
            await arrivals.signal(name)
            return .object([:])
        case .purgeQueue:
            let name = try request.queueName()
            _ = try await load(name)
            try await store.purgeMessages(queue: name)
            return .object([:])
        case .getQueueAttributes: return try await getQueueAttributes(request)
        case .setQueueAttributes: return try await setQueueAttributes(request)
        case .sendMessage:
            let (name, attributes) = try await load(try request.queueName())
            let out = try await send(request, queue: name, attributes: attributes)
            await arrivals.signal(name)
            return .object(out)
        case .sendMessageBatch: return try await sendBatch(request)
        case .receiveMessage: return try await receive(request)
        case .deleteMessage:
            let (name, _) = try await load(try request.queueName())
            let receipt = try Self.receipt(try request.requiredString("ReceiptHandle"))
            // A handle of the right form that names no message any more is not an error (SQS: the delete is
            // idempotent); only a malformed one is.
            try await store.deleteMessage(queue: name, receipt: receipt)
            await arrivals.signal(name)
            return .object([:])
        case .deleteMessageBatch: return try await deleteBatch(request)
        case .changeMessageVisibility:
            let (name, _) = try await load(try request.queueName())
            try await changeVisibility(request, queue: name)
            await arrivals.signal(name)
            return .object([:])
        case .changeMessageVisibilityBatch: return try await changeVisibilityBatch(request)
        }
    }

    // MARK: Queues

    static func url(_ base: String, _ name: String) -> String { "\(base)/\(account)/\(name)" }

    static func arn(_ name: String) -> String { QueueARN(region: region, account: account, name: name).description }

    static func encode(_ attributes: QueueAttributes) -> String {
        String(decoding: JSONValue.object(attributes.map.mapValues(JSONValue.string)).serialized, as: UTF8.self)
    }

    static func decode(_ queue: StoredQueue) throws -> QueueAttributes {
        let request = SQSRequest(
            operation: .createQueue, parameters: ["A": (try? JSONValue.parse(queue.attributes)) ?? .object([:])])
        return try QueueAttributes.forNewQueue(name: queue.name, attributes: try request.stringMap("A"))
    }

    /// The queue and its attributes, or `QueueDoesNotExist`.
    func load(_ name: String) async throws -> (String, QueueAttributes) {
        guard let queue = try await store.queue(named: name) else { throw SQSError.queueDoesNotExist() }
        return (name, try Self.decode(queue))
    }

    /// A redrive policy's dead-letter queue must exist, and be FIFO exactly when the source queue is.
    func checkDeadLetterQueue(_ attributes: QueueAttributes) async throws {
        guard let policy = attributes.redrivePolicy else { return }
        guard let target = QueueARN(policy.deadLetterTargetArn),
            let queue = try await store.queue(named: target.name)
        else {
            throw SQSError.invalidParameterValue(
                "Value \(policy.attribute) for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist."
            )
        }
        if try Self.decode(queue).fifoQueue != attributes.fifoQueue {
            throw SQSError.invalidParameterValue(
                "Value \(policy.attribute) for parameter RedrivePolicy is invalid. Reason: Dead-letter queue must be same type of queue as the source."
            )
        }
    }

    func createQueue(_ request: SQSRequest, baseURL: String) async throws -> JSONValue {
        let name = try request.requiredString("QueueName")
        let given = try request.stringMap("Attributes")
        let attributes = try QueueAttributes.forNewQueue(name: name, attributes: given)
        try await checkDeadLetterQueue(attributes)
        let stored = try await store.createQueue(name, attributes: Self.encode(attributes), now: Self.nowMs())
        let existing = try Self.decode(stored).map
        let wanted = attributes.map
        for key in given.keys where wanted[key] != nil && wanted[key] != existing[key] {
            throw SQSError.queueNameExists(name)
        }
        return .object(["QueueUrl": .string(Self.url(baseURL, name))])
    }

    func listQueues(_ request: SQSRequest, baseURL: String) async throws -> JSONValue {
        let prefix = try request.string("QueueNamePrefix") ?? ""
        let limit = try request.integer("MaxResults", in: 1...1000)
        let after = try request.string("NextToken")
        var names = try await store.queues().map(\.name).filter { $0.hasPrefix(prefix) }
        if let after { names = names.filter { $0 > after } }
        var out: [String: JSONValue] = [:]
        let page = Array(names.prefix(limit ?? 1000))
        if !page.isEmpty { out["QueueUrls"] = .array(page.map { .string(Self.url(baseURL, $0)) }) }
        if let limit, names.count > limit, let last = page.last { out["NextToken"] = .string(last) }
        return .object(out)
    }

    /// The attributes GetQueueAttributes can name beyond the settable ones.
    static let readOnlyAttributes: Set<String> = [
        "QueueArn", "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
        "ApproximateNumberOfMessagesDelayed", "CreatedTimestamp", "LastModifiedTimestamp",
    ]

    func getQueueAttributes(_ request: SQSRequest) async throws -> JSONValue {
        let name = try request.queueName()
        guard let queue = try await store.queue(named: name) else { throw SQSError.queueDoesNotExist() }
        let attributes = try Self.decode(queue)
        let requested = try request.strings("AttributeNames")
        let settable = attributes.map
        for attribute in requested
        where attribute != "All" && !Self.readOnlyAttributes.contains(attribute) && settable[attribute] == nil
            && !["Policy", "RedriveAllowPolicy", "ContentBasedDeduplication", "FifoQueue"].contains(attribute)
        {
            throw SQSError.invalidAttributeName(attribute)
        }
        guard !requested.isEmpty else { return .object([:]) }
        let counts = try await store.messageCounts(queue: name, now: Self.nowMs())
        var all = settable
        all["QueueArn"] = Self.arn(name)
        all["ApproximateNumberOfMessages"] = String(counts.visible)
        all["ApproximateNumberOfMessagesNotVisible"] = String(counts.inFlight)
        all["ApproximateNumberOfMessagesDelayed"] = String(counts.delayed)
        all["CreatedTimestamp"] = String(queue.createdAt / 1000)
        all["LastModifiedTimestamp"] = String(queue.modifiedAt / 1000)
        let chosen = requested.contains("All") ? all : all.filter { requested.contains($0.key) }
        return .object(["Attributes": .object(chosen.mapValues(JSONValue.string))])
    }

    func setQueueAttributes(_ request: SQSRequest) async throws -> JSONValue {
        let (name, current) = try await load(try request.queueName())
        guard request.parameters["Attributes"] != nil else { throw SQSError.missingParameter("Attributes") }
        var attributes = current
        try attributes.apply(try request.stringMap("Attributes"))
        try await checkDeadLetterQueue(attributes)
        guard try await store.setQueueAttributes(name, attributes: Self.encode(attributes), now: Self.nowMs())
        else { throw SQSError.queueDoesNotExist() }
        await arrivals.signal(name)
        return .object([:])
    }

    // MARK: Sending

    /// Sends one message (SendMessage, or one entry of a batch); the answer's fields.
    func send(_ entry: SQSRequest, queue: String, attributes: QueueAttributes) async throws -> [String: JSONValue] {
        let body = try entry.requiredString("MessageBody")
        try SQSLimits.checkBody(body, maximumMessageSize: attributes.maximumMessageSize)
        let messageAttributes = try entry.messageAttributes()
        let size = body.utf8.count + messageAttributes.reduce(0) { $0 + $1.value.size(name: $1.key) }
        if size > attributes.maximumMessageSize {
            throw SQSError.invalidParameterValue(
                "One or more parameters are invalid. Reason: Message must be shorter than \(attributes.maximumMessageSize) bytes."
            )
        }
        let delay = try entry.integer("DelaySeconds", in: 0...SQSLimits.maxDelaySeconds)
        let group = try entry.string("MessageGroupId")
        var deduplication = try entry.string("MessageDeduplicationId")
        for (parameter, value) in [("MessageGroupId", group), ("MessageDeduplicationId", deduplication)] {
            if let value, value.isEmpty || value.count > 128 {
                throw SQSError.invalidParameterValue(
                    "Value \(value.prefix(200)) for parameter \(parameter) is invalid. Reason: must be 1 to 128 characters."
                )
            }
        }
        let now = Self.nowMs()
        let id = UUID().uuidString.lowercased()
        var out: [String: JSONValue] = [
            "MessageId": .string(id), "MD5OfMessageBody": .string(Digest.hex(.md5, Array(body.utf8))),
        ]
        if !messageAttributes.isEmpty {
            out["MD5OfMessageAttributes"] = .string(SQSMessageAttribute.md5(messageAttributes))
        }
        var message = StoredMessage(
            queue: queue, messageID: id, body: Array(body.utf8),
            attributes: messageAttributes.isEmpty ? nil : SQSMessageAttribute.encode(messageAttributes),
            groupID: group, sentAt: now, visibleAt: now + Int64(delay ?? attributes.delaySeconds) * 1000)
        guard attributes.fifoQueue else {
            if deduplication != nil {
                throw SQSError.invalidParameterValue(
                    "The request include parameter that is not valid for this queue type. Reason: MessageDeduplicationId is only valid for FIFO queues."
                )
            }
            try await store.sendMessage(message)
            return out
        }
        guard group != nil else { throw SQSError.missingParameter("MessageGroupId") }
        if delay != nil {
            throw SQSError.invalidParameterValue(
                "Value \(delay ?? 0) for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type."
            )
        }
        if deduplication == nil {
            guard attributes.contentBasedDeduplication else {
                throw SQSError.invalidParameterValue(
                    "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly"
                )
            }
            deduplication = Digest.hex(.sha256, Array(body.utf8))
        }
        message.deduplicationID = deduplication
        let sent = try await store.sendFIFOMessage(message, windowMs: Self.deduplicationWindowMs)
        out["MessageId"] = .string(sent.messageID)
        out["SequenceNumber"] = .string(SQSReceivedMessage.sequenceNumber(sent.sequence))
        return out
    }

    func sendBatch(_ request: SQSRequest) async throws -> JSONValue {
        let (name, attributes) = try await load(try request.queueName())
        let entries = try request.entries()
        let total = entries.reduce(0) { sum, entry in
            sum + ((try? entry.entry.string("MessageBody"))?.utf8.count ?? 0)
        }
        // The sum is limited to 1 MiB whatever the queue's own limit for one message.
        try SQSLimits.checkBatchSize(total, maximumMessageSize: 1_048_576)
        var successful: [JSONValue] = []
        var failed: [JSONValue] = []
        for (id, entry) in entries {
            do {
                var out = try await send(entry, queue: name, attributes: attributes)
                out["Id"] = .string(id)
                successful.append(.object(out))
            } catch let error as SQSError {
                failed.append(Self.failure(id, error))
            }
        }
        if !successful.isEmpty { await arrivals.signal(name) }
        return .object(["Successful": .array(successful), "Failed": .array(failed)])
    }

    static func failure(_ id: String, _ error: SQSError) -> JSONValue {
        .object([
            "Id": .string(id), "SenderFault": .bool(true), "Code": .string(error.name),
            "Message": .string(error.message),
        ])
    }

    // MARK: Receiving

    func receive(_ request: SQSRequest) async throws -> JSONValue {
        var (name, attributes) = try await load(try request.queueName())
        let limit = try request.integer("MaxNumberOfMessages", in: 1...SQSLimits.maxReceiveMessages) ?? 1
        let visibility = try request.integer("VisibilityTimeout", in: 0...SQSLimits.maxVisibilityTimeout)
        let wait =
            try request.integer("WaitTimeSeconds", in: 0...SQSLimits.maxWaitTimeSeconds)
            ?? attributes.receiveMessageWaitTimeSeconds
        let system = Set(try request.strings("AttributeNames") + request.strings("MessageSystemAttributeNames"))
        for attribute in system where !SQSReceivedMessage.systemAttributeNames.contains(attribute) {
            throw SQSError.invalidAttributeName(attribute)
        }
        let names = try request.strings("MessageAttributeNames")
        let deadline = Self.nowMs() + Int64(wait) * 1000
        while true {
            let generation = await arrivals.generation(name)
            let now = Self.nowMs()
            let messages = try await take(
                name, attributes: attributes, limit: limit, visibility: visibility ?? attributes.visibilityTimeout,
                now: now)
            if !messages.isEmpty {
                return .object([
                    "Messages": .array(
                        messages.map { $0.json(systemAttributes: system, messageAttributeNames: names) })
                ])
            }
            if now >= deadline { return .object([:]) }
            // Long polling: sleep until a send (or a delete, a visibility change) on this queue signals, or until
            // the next hidden message becomes visible, or the wait ends — never a busy loop over the database.
            let next = try await store.nextVisibleAt(queue: name, now: now)
            await arrivals.wait(name, since: generation, untilMs: min(deadline, next ?? deadline))
            (name, attributes) = try await load(name)
        }
    }

    /// One receive as SQS does it (retention, redrive to the dead-letter queue, FIFO groups), without waiting:
    /// `ReceiveMessage` and the event source mappings' pollers both take messages through it.
    func take(
        _ name: String, attributes: QueueAttributes, limit: Int, visibility: Int, now: Int64
    ) async throws -> [SQSReceivedMessage] {
        var deadLetter: (queue: String, maxReceiveCount: Int)?
        if let policy = attributes.redrivePolicy, let target = QueueARN(policy.deadLetterTargetArn),
            try await store.queue(named: target.name) != nil
        {
            deadLetter = (target.name, policy.maxReceiveCount)
        }
        let messages = try await store.receive(
            queue: name, limit: limit, visibilityMs: Int64(visibility) * 1000, now: now, fifo: attributes.fifoQueue,
            retentionMs: Int64(attributes.messageRetentionPeriod) * 1000, deadLetter: deadLetter)
        if let deadLetter { await arrivals.signal(deadLetter.queue) }
        let fifo = attributes.fifoQueue
        return messages.map {
            SQSReceivedMessage(
                messageID: $0.messageID, receipt: $0.receipt ?? "", body: String(decoding: $0.body, as: UTF8.self),
                attributes: $0.attributes.map(SQSMessageAttribute.stored) ?? [:], sentAt: $0.sentAt,
                firstReceivedAt: $0.firstReceivedAt ?? now, receiveCount: $0.receiveCount, groupID: $0.groupID,
                deduplicationID: fifo ? $0.deduplicationID : nil, sequence: fifo ? $0.sequence : nil)
        }
    }

    // MARK: Deleting and visibility

    /// A receipt handle as fnhost makes them (`<sequence>-<32 hex digits>`), or `ReceiptHandleIsInvalid`.
    static func receipt(_ handle: String) throws -> String {
        let parts = handle.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].allSatisfy(\.isASCII), parts[0].allSatisfy(\.isNumber),
            parts[1].count == 32, parts[1].allSatisfy({ $0.isHexDigit && !$0.isUppercase })
        else { throw SQSError.receiptHandleIsInvalid(handle) }
        return handle
    }

    func deleteBatch(_ request: SQSRequest) async throws -> JSONValue {
        let (name, _) = try await load(try request.queueName())
        var valid: [(id: String, receipt: String)] = []
        var failed: [JSONValue] = []
        for (id, entry) in try request.entries() {
            do {
                valid.append((id, try Self.receipt(try entry.requiredString("ReceiptHandle"))))
            } catch let error as SQSError {
                failed.append(Self.failure(id, error))
            }
        }
        // One commit for the whole batch.
        _ = try await store.deleteMessages(queue: name, receipts: valid.map(\.receipt))
        await arrivals.signal(name)
        return .object([
            "Successful": .array(valid.map { .object(["Id": .string($0.id)]) }), "Failed": .array(failed),
        ])
    }

    func changeVisibility(_ entry: SQSRequest, queue: String) async throws {
        let receipt = try Self.receipt(try entry.requiredString("ReceiptHandle"))
        guard let timeout = try entry.integer("VisibilityTimeout", in: 0...SQSLimits.maxVisibilityTimeout) else {
            throw SQSError.missingParameter("VisibilityTimeout")
        }
        guard
            try await store.changeVisibility(
                queue: queue, receipt: receipt, visibleAt: Self.nowMs() + Int64(timeout) * 1000)
        else { throw SQSError.receiptHandleIsInvalid(receipt) }
    }

    func changeVisibilityBatch(_ request: SQSRequest) async throws -> JSONValue {
        let (name, _) = try await load(try request.queueName())
        var successful: [JSONValue] = []
        var failed: [JSONValue] = []
        for (id, entry) in try request.entries() {
            do {
                try await changeVisibility(entry, queue: name)
                successful.append(.object(["Id": .string(id)]))
            } catch let error as SQSError {
                failed.append(Self.failure(id, error))
            }
        }
        await arrivals.signal(name)
        return .object(["Successful": .array(successful), "Failed": .array(failed)])
    }
}
