import FnhostEventSources
import FnhostHost
import FnhostServer
import FnhostStore
import FnhostStreams
import FnhostWire
import Foundation
import TestSupport
import Testing

/// The stream consumer with a real function (Tests/Fixtures/functions/stream-poison, a worker process on the
/// Runtime API) and a real store: a poison record blocks its shard under Lambda's defaults, and bisection with a
/// retry limit isolates it, parks its metadata in an SQS queue and lets every good record through.
@Suite("Stream consumer with a real function", .serialized)
struct StreamConsumerTests {
    static func withConsumerHost<T>(
        _ body: (FunctionHost, Store, String) async throws -> T
    ) async throws -> T {
        try Paths.requireBuilt("fnhost-launch")
        return try await withTemporaryDirectory("stream-consumer") { folder in
            let log = folder + "/stream.log"
            let functions = try Fixtures.install(
                ["stream-poison"], into: folder, environment: ["stream-poison": ["STREAM_LOG": log]])
            let host = try FunctionHost(
                configuration: HostConfiguration(functionsDirectory: functions, buildDirectory: Paths.buildDirectory),
                sink: DiscardingLogSink())
            let store = try await Store.open(stateDirectory: folder + "/state")
            do {
                let result = try await body(host, store, log)
                await store.close()
                await host.shutdown()
                return result
            } catch {
                await store.close()
                await host.shutdown()
                throw error
            }
        }
    }

    static func invoker(_ host: FunctionHost) -> StreamConsumerRunner.Invoke {
        { payload in
            guard let result = try? await host.invoke("stream-poison", payload: payload) else {
                return .failed(functionError: "Unhandled")
            }
            switch result.outcome {
            case .success(let bytes): return .succeeded(response: bytes)
            case .functionError: return .failed(functionError: "Unhandled")
            }
        }
    }

    static func lines(_ file: String) -> [String] {
        ((try? String(contentsOfFile: file, encoding: .utf8)) ?? "").split(separator: "\n").map {
            $0.trimmingCharacters(in: .whitespaces)
        }
    }

    static func b64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    @Test("A poison record blocks its shard under the defaults; bisection with a retry limit parks it and moves on")
    func streamBlocksThenBisects() async throws {
        try await Self.withConsumerHost { host, store, log in
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            #expect(
                try await store.createStream(
                    StoredStream(name: "orders", shardCount: 1, retentionHours: 24, createdAt: now)))
            _ = try await store.createQueue("parked", attributes: "{}", now: now)
            let datas = ["r1", "r2", "r3", "r4", "r5", "POISON", "r7", "r8"]
            let stored = try #require(
                try await store.putStreamRecords(
                    stream: "orders", createdAt: now,
                    datas.map { StoredStreamRecord(shard: 0, partitionKey: "k", data: Array($0.utf8), arrivedAt: now) },
                    expireBefore: 0))
            let last = try #require(stored.last?.position)

            // Lambda's defaults: the batch fails, and is retried, whole, again and again; nothing gets past it.
            var blocking = StreamConsumerSettings()
            blocking.batchSize = 8
            blocking.retryDelayMs = 20
            let blocked = StreamConsumerRunner(
                mapping: .init(
                    id: "blocking", stream: "orders",
                    functionArn: "arn:aws:lambda:us-east-1:000000000000:function:stream-poison",
                    settings: blocking), store: store, invoke: Self.invoker(host), pollInterval: .milliseconds(20))
            let first = Task { await blocked.run() }
            let retried = await eventually(within: .seconds(20)) { Self.lines(log).count >= 4 }
            first.cancel()
            await first.value
            #expect(retried, "the function was not retried: \(Self.lines(log))")
            let attempts = Self.lines(log)
            #expect(attempts.allSatisfy { $0.hasPrefix("fail ") && $0.split(separator: " ").count == 9 }, "\(attempts)")
            // TRIM_HORIZON's checkpoint (0) has not moved.
            #expect(try await store.streamCheckpoint(consumer: "blocking", stream: "orders", shard: 0) == 0)

            // Bisection, one retry, an on-failure queue: halves until the poison record is alone, then parks it.
            try "".write(toFile: log, atomically: true, encoding: .utf8)
            var bisecting = blocking
            bisecting.bisectBatchOnFunctionError = true
            bisecting.maximumRetryAttempts = 1
            bisecting.onFailureDestination = "arn:aws:sqs:us-east-1:000000000000:parked"
            let runner = StreamConsumerRunner(
                mapping: .init(
                    id: "bisecting", stream: "orders",
                    functionArn: "arn:aws:lambda:us-east-1:000000000000:function:stream-poison", settings: bisecting),
                store: store, invoke: Self.invoker(host), pollInterval: .milliseconds(20))
            let second = Task { await runner.run() }
            let finished = await eventually(within: .seconds(30)) {
                (try? await store.streamCheckpoint(consumer: "bisecting", stream: "orders", shard: 0)) == last
            }
            second.cancel()
            await second.value
            #expect(finished, "the checkpoint never passed the poison record: \(Self.lines(log))")
            let batches = Self.lines(log)
            let okData = batches.filter { $0.hasPrefix("ok ") }.flatMap {
                $0.split(separator: " ").dropFirst().map(String.init)
            }
            #expect(okData == ["r1", "r2", "r3", "r4", "r5", "r7", "r8"].map(Self.b64), "\(batches)")
            #expect(batches.first == "fail " + datas.map(Self.b64).joined(separator: " "), "\(batches)")
            // Alone, the poison record is tried twice (one retry), then parked.
            #expect(batches.filter { $0 == "fail \(Self.b64("POISON"))" }.count == 2, "\(batches)")
            let parked = try await store.peekMessages(queue: "parked", limit: 10)
            #expect(parked.count == 1)
            let record = try JSONValue.parse(parked.first?.body ?? [])
            guard case .object(let top) = record, case .object(let info)? = top["KinesisBatchInfo"],
                case .object(let context)? = top["requestContext"]
            else {
                Issue.record("not an invocation record: \(record)")
                return
            }
            #expect(info["batchSize"] == .number(1))
            #expect(
                info["startSequenceNumber"]
                    == .string(SequenceNumber(shard: 0, position: stored[5].position).description))
            #expect(info["streamArn"] == .string("arn:aws:kinesis:us-east-1:000000000000:stream/orders"))
            #expect(context["condition"] == .string("RetryAttemptsExhausted"))
            // Every invocation that carried the poison record: the whole batch, three halvings, and the retry.
            #expect(context["approximateInvokeCount"] == .number(5))
        }
    }
}

/// `fnhost streams list` reads the streams of a state folder.
@Suite("fnhost streams")
struct StreamsCommandTests {
    @Test("streams list prints each stream with its shards and records per shard; --json one object per line")
    func listsStreams() async throws {
        try await withTemporaryDirectory("streams-cli") { folder in
            let store = try await Store.open(stateDirectory: folder)
            _ = try await store.createStream(
                StoredStream(name: "clicks", shardCount: 2, retentionHours: 24, createdAt: 5))
            _ = try await store.putStreamRecords(
                stream: "clicks", createdAt: 5,
                [
                    StoredStreamRecord(shard: 1, partitionKey: "a", data: [1], arrivedAt: 10),
                    StoredStreamRecord(shard: 1, partitionKey: "b", data: [2], arrivedAt: 10),
                ], expireBefore: 0)
            await store.close()
            let text = try await Command.fnhost(["streams", "list", "--state-dir", folder])
            #expect(text.exitCode == 0, "\(text)")
            #expect(
                text.standardOutput.contains("clicks  shards 2  retention 24 h  records 2  (0/2 per shard)"), "\(text)")
            let json = try await Command.fnhost(["streams", "list", "--json", "--state-dir", folder])
            #expect(json.exitCode == 0, "\(json)")
            guard case .object(let line) = try JSONValue.parse(Array(json.standardOutput.utf8)) else {
                Issue.record("not a JSON object: \(json)")
                return
            }
            #expect(line["name"] == .string("clicks"))
            #expect(line["arn"] == .string("arn:aws:kinesis:us-east-1:000000000000:stream/clicks"))
            #expect(line["records"] == .number(2))
            let help = try await Command.fnhost(["streams", "list", "--help"])
            #expect(help.exitCode == 0 && help.standardOutput.contains("--json"), "\(help)")
        }
    }
}

/// A Kinesis mapping of the event-source-mapping framework becomes the runner's settings, Lambda's defaults kept.
@Suite("Stream consumer from an event source mapping")
struct StreamConsumerMappingTests {
    @Test("A Kinesis mapping's settings carry over; an SQS mapping is not the stream consumer's")
    func kinesisMappingBecomesRunnerSettings() {
        var settings = MappingSettings.defaults(for: .kinesis)
        settings.startingPosition = "AT_TIMESTAMP"
        settings.startingPositionTimestamp = 1_700_000_000.5
        settings.bisectBatchOnFunctionError = true
        settings.maximumRetryAttempts = 3
        settings.parallelizationFactor = 4
        settings.onFailureDestination = "arn:aws:sqs:us-east-1:000000000000:parked"
        let mapping = EventSourceMapping(
            uuid: "u-1", function: "f", eventSourceARN: "arn:aws:kinesis:us-east-1:000000000000:stream/orders",
            kind: .kinesis, state: .enabled, settings: settings, lastModified: 0)
        let runner = StreamConsumerRunner.Mapping(mapping)
        #expect(runner?.id == "u-1" && runner?.stream == "orders")
        #expect(runner?.functionArn == "arn:aws:lambda:us-east-1:000000000000:function:f")
        #expect(runner?.settings.startingPosition == .atTimestamp(1_700_000_000_500))
        #expect(runner?.settings.batchSize == 100 && runner?.settings.maximumRecordAgeInSeconds == -1)
        #expect(runner?.settings.bisectBatchOnFunctionError == true && runner?.settings.maximumRetryAttempts == 3)
        #expect(runner?.settings.parallelizationFactor == 4)
        #expect(runner?.settings.onFailureDestination == "arn:aws:sqs:us-east-1:000000000000:parked")
        let sqs = EventSourceMapping(
            uuid: "u-2", function: "f", eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:q", kind: .sqs,
            state: .enabled, settings: .defaults(for: .sqs), lastModified: 0)
        #expect(StreamConsumerRunner.Mapping(sqs) == nil)
    }
}
