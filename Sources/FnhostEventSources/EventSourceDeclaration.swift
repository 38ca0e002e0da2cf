import FnhostQueues
import FnhostWire

/// An event source mapping as a function's manifest declares it, one entry of `eventSources`:
/// `{"queue": "orders", "batchSize": 10, "reportBatchItemFailures": true}` or
/// `{"stream": "clicks", "startingPosition": "TRIM_HORIZON", "maximumRetryAttempts": 2, "onFailure": "parked"}`.
/// The keys are the API's fields in lower camel case (`maximumConcurrency` for `ScalingConfig.MaximumConcurrency`,
/// `onFailure` a queue name for `DestinationConfig.OnFailure`), checked by the same rules as the API's.
public struct EventSourceDeclaration: Sendable, Equatable {
    public var kind: EventSourceKind
    /// The queue's or stream's name.
    public var source: String
    public var settings: MappingSettings
    /// The API fields the declaration set (for the checks that refuse a field that does not apply).
    public var given: Set<String>

    public init(kind: EventSourceKind, source: String, settings: MappingSettings, given: Set<String> = []) {
        self.kind = kind
        self.source = source
        self.settings = settings
        self.given = given
    }

    /// What is wrong with a declaration: the key (`batchSize`) and why.
    public struct Problem: Error, Sendable, Equatable {
        public var field: String
        public var reason: String
    }

    /// The manifest's keys and the API fields they stand for.
    static let keys: [String: String] = [
        "enabled": "Enabled", "batchSize": "BatchSize",
        "maximumBatchingWindowInSeconds": "MaximumBatchingWindowInSeconds",
        "maximumConcurrency": "ScalingConfig", "reportBatchItemFailures": "FunctionResponseTypes",
        "startingPosition": "StartingPosition", "startingPositionTimestamp": "StartingPositionTimestamp",
        "maximumRetryAttempts": "MaximumRetryAttempts", "maximumRecordAgeInSeconds": "MaximumRecordAgeInSeconds",
        "bisectBatchOnFunctionError": "BisectBatchOnFunctionError", "parallelizationFactor": "ParallelizationFactor",
        "onFailure": "DestinationConfig",
    ]

    /// The keys a declaration may have.
    public static var knownKeys: [String] { (Array(keys.keys) + ["queue", "stream"]).sorted() }

    /// Reads one entry of `eventSources`.
    public static func parse(_ value: JSONValue) throws(Problem) -> EventSourceDeclaration {
        guard case .object(let object) = value else {
            throw Problem(field: "", reason: "expected an object such as {\"queue\": \"orders\"}, found \(value.kind)")
        }
        for key in object.keys.sorted() where keys[key] == nil && key != "queue" && key != "stream" {
            throw Problem(field: key, reason: "unknown field; known fields: \(knownKeys.joined(separator: ", "))")
        }
        let kind: EventSourceKind
        let source: String
        switch (object["queue"], object["stream"]) {
        case (.string(let name)?, nil):
            kind = .sqs
            source = name
            guard isQueueName(name) else {
                throw Problem(
                    field: "queue",
                    reason: "\"\(name.prefix(100))\" is not a queue name: 1–80 letters, digits, - or _ (.fifo last)")
            }
        case (nil, .string(let name)?):
            kind = .kinesis
            source = name
            guard isStreamName(name) else {
                throw Problem(
                    field: "stream",
                    reason: "\"\(name.prefix(200))\" is not a stream name: 1–128 letters, digits, _ - .")
            }
        case (nil, nil):
            throw Problem(field: "queue", reason: "missing: name the queue (\"queue\") or the stream (\"stream\")")
        case (.some, .some):
            throw Problem(field: "stream", reason: "give either \"queue\" or \"stream\", not both")
        case (let q, let s):
            let (field, found) = q != nil ? ("queue", q!) : ("stream", s!)
            throw Problem(field: field, reason: "expected a string, found \(found.kind)")
        }
        var body: [String: JSONValue] = [:]
        for (key, value) in object {
            guard let field = keys[key] else { continue }
            switch key {
            case "maximumConcurrency": body[field] = .object(["MaximumConcurrency": value])
            case "reportBatchItemFailures":
                guard case .bool(let on) = value else {
                    throw Problem(field: key, reason: "expected a boolean, found \(value.kind)")
                }
                body[field] = .array(on ? [.string("ReportBatchItemFailures")] : [])
            case "onFailure":
                guard case .string(let queue) = value, isQueueName(queue) else {
                    throw Problem(
                        field: key, reason: "expected the name of an fnhost queue, found \(value.shortDescription)")
                }
                body[field] = .object([
                    "OnFailure": .object(["Destination": .string(queueARN(queue))])
                ])
            default: body[field] = value
            }
        }
        var settings = MappingSettings.defaults(for: kind)
        let given = Set(body.keys)
        do {
            try settings.apply(body)
            try settings.validate(kind: kind, fifo: source.hasSuffix(".fifo"), given: given)
        } catch {
            // The key the message names (as the API's field or the model's lower camel case), when it names one.
            let field =
                keys.sorted { $0.key < $1.key }.first { key, api in
                    given.contains(api)
                        && (error.message.contains(api) || error.message.contains("'\(key)'")
                            || error.message.contains("'\(api.prefix(1).lowercased() + api.dropFirst())"))
                }?.key ?? ""
            throw Problem(field: field, reason: error.message)
        }
        return EventSourceDeclaration(kind: kind, source: source, settings: settings, given: given)
    }

    /// The source's ARN in fnhost's account and region.
    public func sourceARN(region: String = ARN.defaultRegion) -> String {
        kind == .sqs ? Self.queueARN(source, region: region) : Self.streamARN(source, region: region)
    }

    public static func queueARN(_ name: String, region: String = ARN.defaultRegion) -> String {
        QueueARN(region: region, account: ARN.accountID, name: name).description
    }

    public static func streamARN(_ name: String, region: String = ARN.defaultRegion) -> String {
        "arn:aws:kinesis:\(region):\(ARN.accountID):stream/\(name)"
    }

    static func isQueueName(_ name: String) -> Bool { (try? QueueName.validate(name)) != nil }

    /// Kinesis's stream-name rule: 1–128 of letters, digits, `_`, `-`, `.`.
    static func isStreamName(_ name: String) -> Bool {
        (1...128).contains(name.utf8.count)
            && name.unicodeScalars.allSatisfy {
                $0.isASCII
                    && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_-.".unicodeScalars.contains($0))
            }
    }
}
