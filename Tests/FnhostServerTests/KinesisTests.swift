import Foundation
import TestSupport
import Testing

extension ServeSuite {
    /// Kinesis on `fnhost serve`, through boto3 unchanged (`endpoint_url` alone): each scenario of
    /// Tests/Fixtures/kinesis/scenarios.py asserts what Kinesis does, against a real server and its real store.
    @Suite("Kinesis API", .serialized, .sharedServer())
    struct KinesisAPI {
        static let scenarios = Paths.fixtures + "/kinesis/scenarios.py"

        @discardableResult
        static func scenario(_ name: String, port: Int, _ extra: [String] = []) async throws -> String {
            try await SQSAPI.requireBoto3()
            let result = try await Command.run(
                "python3", [scenarios, String(port), name] + extra, environment: AWSClients.environment,
                timeLimit: 120)
            #expect(result.exitCode == 0, "\(name): \(result)")
            return result.standardOutput
        }

        @Test("Create, describe, list shards (paged, by ARN), list and delete a stream")
        func streamLifecycle() async throws {
            try await Self.scenario("streams", port: try SharedServer.require().port)
        }

        @Test("Records go to the shard whose hash-key range holds the MD5 of their key, in order per shard")
        func recordsMapToShardsByKey() async throws {
            try await Self.scenario("put", port: try SharedServer.require().port)
        }

        @Test("TRIM_HORIZON, LATEST, AT/AFTER_SEQUENCE_NUMBER and AT_TIMESTAMP iterators, Limit and paging")
        func iteratorsOfEveryType() async throws {
            try await Self.scenario("iterators", port: try SharedServer.require().port)
        }

        @Test(
            "Unknown streams and shards, oversized records and batches, bad iterators: Kinesis' errors, nothing stored")
        func errorsAsKinesisAnswersThem() async throws {
            try await Self.scenario("errors", port: try SharedServer.require().port)
        }

        @Test("Malformed bodies, unknown operations and CBOR are refused with a clear error")
        func malformedRequests() async throws {
            try await Self.scenario("raw", port: try SharedServer.require().port)
        }

        @Test("Accepted records count on /metrics")
        func recordsPutMetric() async throws {
            let server = try SharedServer.require()
            let before = try await server.metrics().value("fnhost_stream_records_put_total") ?? 0
            try await Self.scenario("iterators", port: server.port)
            let after = try await server.metrics().value("fnhost_stream_records_put_total") ?? 0
            // The scenario puts seven records.
            #expect(after - before == 7)
        }
    }

    /// Retention on a scaled clock: at `--time-scale 0.00005` a stream's 24 hours are 4.32 real seconds.
    @Suite("Kinesis retention", .serialized)
    struct KinesisRetention {
        @Test("Records older than the (time-scaled) retention period vanish from reads")
        func recordsExpireWithScaledRetention() async throws {
            try await SQSAPI.requireBoto3()
            _ = try await withServer(ServeOptions(timeScale: "0.00005")) { server in
                try await KinesisAPI.scenario("retention", port: server.port, ["4.32"])
            }
        }
    }

    /// A Kinesis mapping made through Lambda's API on `fnhost serve`: the stream consumer feeds a real function.
    @Suite("Kinesis event source mapping", .serialized)
    struct KinesisMapping {
        @Test("A stream mapping bisects around a poison record, parks it in the on-failure queue, processes the rest")
        func mappingBisectsAndParks() async throws {
            try await SQSAPI.requireBoto3()
            try await withTemporaryDirectory("kinesis-mapping") { folder in
                let log = folder + "/stream.log"
                let functions = try Fixtures.install(
                    ["stream-poison"], into: folder, environment: ["stream-poison": ["STREAM_LOG": log]])
                _ = FileManager.default.createFile(atPath: log, contents: nil)
                _ = try await withServer(ServeOptions(functions: functions)) { server in
                    try await KinesisAPI.scenario("mapping", port: server.port, ["stream-poison", log])
                }
            }
        }
    }
}
