import FnhostEventSources
import FnhostHost
import FnhostQueues
import FnhostSimulation
import FnhostStore
import FnhostStreams
import FnhostWire
import Foundation
import Prometheus

/// What `fnhost experiment poison` drives in-process: serve's own SQS and Kinesis services, its mapping service and
/// the stream consumer, on the store in a state folder. Requests go through the same operations the HTTP API runs
/// (decoded AWS requests, AWS's answers), without the socket; the mappings then run under `LocalServer`'s
/// supervisor, as under `fnhost serve` (SQS pollers, the stream consumer).
public struct PoisonHarness: Sendable {
    let store: Store
    let sqs: SQSService
    let kinesis: KinesisService
    let timeScale: TimeScale
    static let baseURL = "http://127.0.0.1"

    /// A failure of one of the services, with AWS's answer or the store's reason.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Opens the store in `stateDirectory` (the folder `LocalServer.start` is given).
    public static func open(stateDirectory: String, timeScale: TimeScale) async throws -> PoisonHarness {
        let store = try await Store.open(stateDirectory: stateDirectory)
        return PoisonHarness(
            store: store, sqs: SQSService(store: store),
            kinesis: KinesisService(
                store: store, timeScale: timeScale, metrics: KinesisMetrics(registry: PrometheusCollectorRegistry())),
            timeScale: timeScale)
    }

    public func close() async { await store.close() }

    public static func queueARN(_ name: String) -> String {
        QueueARN(region: SQSService.region, account: SQSService.account, name: name).description
    }

    public static func streamARN(_ name: String) -> String { "arn:aws:kinesis:us-east-1:000000000000:stream/\(name)" }

    private func sqsCall(_ operation: SQSRequest.Operation, _ parameters: [String: JSONValue]) async throws -> JSONValue
    {
        do {
            return try await sqs.handle(SQSRequest(operation: operation, parameters: parameters), baseURL: Self.baseURL)
        } catch { throw Failure(description: "SQS \(operation.rawValue): \(error)") }
    }

    /// CreateQueue with the given attributes (SQS's names and string values).
    public func createQueue(_ name: String, attributes: [String: String]) async throws {
        _ = try await sqsCall(
            .createQueue, ["QueueName": .string(name), "Attributes": .object(attributes.mapValues { .string($0) })])
    }

    /// SendMessageBatch in tens; FIFO messages take their group and their index as deduplication id.
    public func send(_ queue: String, bodies: [String], groups: [String]? = nil) async throws {
        let url = SQSService.url(Self.baseURL, queue)
        for start in stride(from: 0, to: bodies.count, by: 10) {
            let entries: [JSONValue] = (start..<min(bodies.count, start + 10)).map { i in
                var entry: [String: JSONValue] = ["Id": .string("m\(i)"), "MessageBody": .string(bodies[i])]
                if let groups {
                    entry["MessageGroupId"] = .string(groups[i])
                    entry["MessageDeduplicationId"] = .string("d\(i)")
                }
                return .object(entry)
            }
            let answer = try await sqsCall(.sendMessageBatch, ["QueueUrl": .string(url), "Entries": .array(entries)])
            if case .object(let fields) = answer, case .array(let failed)? = fields["Failed"], !failed.isEmpty {
                throw Failure(description: "SendMessageBatch refused \(failed.count) entries: \(answer)")
            }
        }
    }

    /// How many messages the queue holds (visible, in flight and delayed) now.
    public func depth(_ queue: String) async throws -> Int {
        let counts = try await store.messageCounts(queue: queue, now: SQSService.nowMs())
        return counts.visible + counts.inFlight + counts.delayed
    }

    /// The bodies of every message in the queue, without receiving them.
    public func bodies(_ queue: String) async throws -> [String] {
        try await store.peekMessages(queue: queue, limit: Int.max).map { String(decoding: $0.body, as: UTF8.self) }
    }

    /// CreateEventSourceMapping as Lambda's API takes it (`FunctionName`, `EventSourceArn`, `BatchSize`, …);
    /// returns the mapping's UUID (a stream consumer's checkpoints are kept under it).
    public func createMapping(host: FunctionHost, _ body: [String: JSONValue]) async throws -> String {
        let region = host.configuration.region
        let kinds = EventSourceKinds(
            catalogs: [
                .sqs: SQSEventSource(service: sqs, region: region),
                .kinesis: KinesisEventSource(service: kinesis, region: region),
            ])
        let metrics = EventSourceMetrics(registry: PrometheusCollectorRegistry())
        // Never run: the mapping goes to the store, where LocalServer's supervisor finds it when it starts.
        let supervisor = MappingSupervisor(
            store: store, host: host, kinds: kinds, metrics: metrics, note: { _ in }, wake: { _ in })
        let service = EventSourceMappingService(
            store: store, functions: host.functions, region: region, kinds: kinds, supervisor: supervisor,
            metrics: metrics)
        let answer: JSONValue
        do { answer = try await service.create(body) } catch {
            throw Failure(description: "CreateEventSourceMapping: \(error)")
        }
        guard case .object(let fields) = answer, case .string(let uuid)? = fields["UUID"] else {
            throw Failure(description: "CreateEventSourceMapping answered \(answer)")
        }
        return uuid
    }

    public func createStream(_ name: String, shards: Int) async throws {
        do {
            _ = try await kinesis.handle(
                KinesisRequest(
                    operation: .createStream,
                    parameters: ["StreamName": .string(name), "ShardCount": .number(Double(shards))]))
        } catch { throw Failure(description: "Kinesis CreateStream: \(error)") }
    }

    /// PutRecords in batches of up to 500; each record's shard (`shardId-000000000001`) and sequence number, in order.
    public func put(_ stream: String, records: [(key: String, data: String)]) async throws -> [(
        shard: String, sequence: String
    )] {
        var shards: [(shard: String, sequence: String)] = []
        for start in stride(from: 0, to: records.count, by: 500) {
            let entries: [JSONValue] = records[start..<min(records.count, start + 500)].map {
                .object([
                    "PartitionKey": .string($0.key), "Data": .string(Data($0.data.utf8).base64EncodedString()),
                ])
            }
            let answer: JSONValue
            do {
                answer = try await kinesis.handle(
                    KinesisRequest(
                        operation: .putRecords, parameters: ["StreamName": .string(stream), "Records": .array(entries)])
                )
            } catch { throw Failure(description: "Kinesis PutRecords: \(error)") }
            guard case .object(let fields) = answer, case .array(let put)? = fields["Records"] else {
                throw Failure(description: "Kinesis PutRecords answered \(answer)")
            }
            for case .object(let r) in put {
                guard case .string(let id)? = r["ShardId"], case .string(let sequence)? = r["SequenceNumber"] else {
                    throw Failure(description: "Kinesis PutRecords: a record was refused: \(r)")
                }
                shards.append((id, sequence))
            }
        }
        return shards
    }

    /// Whether the consumer's checkpoint on every shard has reached the shard's last record (processed, discarded
    /// or expired: nothing is left for it).
    public func consumerCaughtUp(consumer: String, stream: String, shards: Int) async throws -> Bool {
        for shard in 0..<shards {
            let extent = try await store.shardExtent(stream: stream, shard: shard, notBefore: 0)
            guard let last = extent.last else { continue }
            let at = try await store.streamCheckpoint(consumer: consumer, stream: stream, shard: shard) ?? 0
            if at < last { return false }
        }
        return true
    }
}
