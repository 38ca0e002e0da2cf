import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension ServeSuite {
    /// SQS on `fnhost serve`, through boto3 and the AWS CLI unchanged (`endpoint_url` alone): each scenario of
    /// Tests/Fixtures/sqs/scenarios.py asserts what SQS does, against a real server and its real store.
    @Suite("SQS API", .serialized, .sharedServer())
    struct SQSAPI {
        static let scenarios = Paths.fixtures + "/sqs/scenarios.py"

        static func requireBoto3() async throws {
            guard await AWSClients.boto3Importable() else {
                throw TestFailure(
                    "boto3 is not importable (`python3 -c 'import boto3'`): run scripts/setup --deps (it installs the test tools in .build/test-venv)"
                )
            }
        }

        /// Runs one scenario against `port`; its failed assertion is the test's message.
        @discardableResult
        static func scenario(_ name: String, port: Int, _ extra: [String] = []) async throws -> String {
            try await requireBoto3()
            let result = try await Command.run(
                "python3", [scenarios, String(port), name] + extra, environment: AWSClients.environment,
                timeLimit: 120)
            #expect(result.exitCode == 0, "\(name): \(result)")
            return result.standardOutput
        }

        @Test("Create, list, get the URL of, set attributes of, purge and delete a queue")
        func queueLifecycle() async throws {
            try await Self.scenario("queues", port: try SharedServer.require().port)
        }

        @Test("A received message is hidden for its visibility timeout, then back with ApproximateReceiveCount 2")
        func visibilityTimeoutAndReceiveCount() async throws {
            try await Self.scenario("visibility", port: try SharedServer.require().port)
        }

        @Test("After maxReceiveCount receives the redrive policy moves the message to its dead-letter queue")
        func redriveToDeadLetterQueue() async throws {
            try await Self.scenario("redrive", port: try SharedServer.require().port)
        }

        @Test("FIFO: order per group, an undeleted message blocks its group until it is visible again; dedup")
        func fifoOrderUnderFailureAndDeduplication() async throws {
            try await Self.scenario("fifo", port: try SharedServer.require().port)
        }

        @Test("A long poll returns as soon as a message is sent, not at the end of its wait")
        func longPollingWakesOnSend() async throws {
            let out = try await Self.scenario("longpoll", port: try SharedServer.require().port)
            print("SQS long poll (measured): \(out)")
        }

        @Test("Batches answer each entry: successes beside failures with SQS's codes; malformed batches refused")
        func batchesWithPartialFailures() async throws {
            try await Self.scenario("batches", port: try SharedServer.require().port)
        }

        @Test("Bad input gets SQS's errors: too large, bad receipt handle, unknown queue, malformed body")
        func badInputAnsweredAsSQSDoes() async throws {
            try await Self.scenario("bad_input", port: try SharedServer.require().port)
        }

        @Test("The AWS CLI sends and receives with --endpoint-url")
        func awsCLISendsAndReceives() async throws {
            try AWSClients.requireAWSCLI()
            let port = try SharedServer.require().port
            let base = ["--endpoint-url", "http://127.0.0.1:\(port)", "--region", "us-east-1", "--output", "json"]
            let name = "cli-\(UInt32.random(in: 0...UInt32.max))"
            func aws(_ arguments: [String]) async throws -> [String: Any] {
                let result = try await Command.run(
                    "aws", ["sqs"] + arguments + base, environment: AWSClients.environment)
                #expect(result.exitCode == 0, "\(arguments): \(result)")
                let text = result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
                if text.isEmpty { return [:] }
                return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            }
            let url = try #require(try await aws(["create-queue", "--queue-name", name])["QueueUrl"] as? String)
            #expect(url == "http://127.0.0.1:\(port)/000000000000/\(name)")
            let sent = try await aws(["send-message", "--queue-url", url, "--message-body", "from the CLI"])
            #expect(sent["MessageId"] is String)
            let received = try await aws(["receive-message", "--queue-url", url, "--wait-time-seconds", "2"])
            let messages = try #require(received["Messages"] as? [[String: Any]])
            #expect(messages.first?["Body"] as? String == "from the CLI")
            #expect(messages.first?["MessageId"] as? String == sent["MessageId"] as? String)
            let handle = try #require(messages.first?["ReceiptHandle"] as? String)
            _ = try await aws(["delete-message", "--queue-url", url, "--receipt-handle", handle])
            _ = try await aws(["delete-queue", "--queue-url", url])
        }

        @Test("/metrics shows each queue's depth by state and the age of its oldest message")
        func metricsShowQueueDepth() async throws {
            let server = try SharedServer.require()
            try await Self.scenario("send_many", port: server.port, ["metrics-depth", "3"])
            let metrics = try await HTTPClient(port: server.port).get("/metrics").text
            #expect(
                metrics.contains(#"fnhost_queue_messages{queue="metrics-depth",state="visible"} 3"#),
                "\(metrics.suffix(3000))")
            #expect(metrics.contains(#"fnhost_queue_oldest_message_age_seconds{queue="metrics-depth"}"#))
            try await Self.scenario("delete_queue", port: server.port, ["metrics-depth"])
            let after = try await HTTPClient(port: server.port).get("/metrics").text
            #expect(
                !after.contains(#"queue="metrics-depth""#), "a deleted queue's gauges are gone: \(after.suffix(3000))")
        }
    }

    /// The store under SQS: `fnhost serve` killed with SIGKILL after the sends were answered, restarted on the same
    /// state folder, still has every message.
    @Suite("SQS durability", .serialized)
    struct SQSDurability {
        @Test("Messages answered 200 survive SIGKILL of fnhost serve and a restart")
        func messagesSurviveSIGKILL() async throws {
            try await SQSAPI.requireBoto3()
            try await withTemporaryDirectory("sqs-state") { state in
                var options = ServeOptions(stateDirectory: state)
                options.drainTimeout = 1
                let first = try await ServeProcess.start(options)
                do {
                    try await SQSAPI.scenario("send_many", port: first.port, ["durable", "25"])
                } catch {
                    first.signal(SIGKILL)
                    _ = await first.waitForExit(within: .seconds(10))
                    throw error
                }
                first.signal(SIGKILL)
                #expect(await first.waitForExit(within: .seconds(10)) != nil, "fnhost serve did not die on SIGKILL")
                // `fnhost queues` reads the same store: the depth, and a peek that changes nothing.
                let peek = try await Command.fnhost(["queues", "peek", "durable", "--limit", "3", "--state-dir", state])
                #expect(peek.exitCode == 0, "\(peek)")
                #expect(peek.standardOutput.split(separator: "\n").count == 3, "\(peek)")
                #expect(peek.standardOutput.contains(#""Body":"message 0""#), "\(peek)")
                let list = try await Command.fnhost(["queues", "list", "--json", "--state-dir", state])
                #expect(list.exitCode == 0, "\(list)")
                #expect(list.standardOutput.contains(#""name":"durable""#), "\(list)")
                #expect(list.standardOutput.contains(#""visible":25"#), "peeking changed nothing: \(list)")
                let missing = try await Command.fnhost(["queues", "peek", "no-such-queue", "--state-dir", state])
                #expect(missing.exitCode == 3, "\(missing)")
                try await withServer(options) { second in
                    let out = try await SQSAPI.scenario("receive_all", port: second.port, ["durable", "25"])
                    #expect(out.contains(#""received": 25"#), "\(out)")
                }
            }
        }
    }
}
