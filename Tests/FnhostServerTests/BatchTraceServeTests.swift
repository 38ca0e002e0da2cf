import Foundation
import TestSupport
import Testing

extension ServeSuite {
    /// Batch traces on a real `fnhost serve`: queues, a stream and their mappings made through boto3
    /// (Tests/Fixtures/traces/batches.py), real worker processes (the sqs-batch and stream-poison fixtures), and
    /// `/fnhost/traces` and `fnhost traces` read back: every batch attempt is a trace of its own, started by its
    /// queue or stream, never an Invoke API trace.
    @Suite("Batch traces", .serialized)
    struct BatchTraces {
        static let script = Paths.fixtures + "/traces/batches.py"

        /// Runs one step of the script; its printed JSON object.
        static func step(_ name: String, server: ServeProcess) async throws -> [String: Any] {
            try await ServeSuite.SQSAPI.requireBoto3()
            let result = try await Command.run(
                "python3", [script, String(server.port), name], environment: AWSClients.environment, timeLimit: 120)
            guard result.exitCode == 0 else { throw TestFailure("batches.py \(name) failed: \(result)") }
            return try #require(
                try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        }

        static func traces(_ server: ServeProcess) async throws -> [[String: Any]] {
            let list = try await server.client.get("/fnhost/traces?limit=1000").jsonObject()
            return try #require(list["traces"] as? [[String: Any]])
        }

        /// Waits until `/fnhost/traces` holds a trace `matching`; the traces then.
        static func waitForTrace(
            _ server: ServeProcess, within limit: Duration = .seconds(60), _ matching: ([String: Any]) -> Bool
        ) async throws -> [[String: Any]] {
            var last: [[String: Any]] = []
            let found = await eventually(within: limit, every: .milliseconds(250)) {
                last = (try? await Self.traces(server)) ?? []
                return last.contains(where: matching)
            }
            if !found {
                throw TestFailure(
                    "no such trace among \(last.count): \(last.map { "\($0["root"] ?? "?") \($0["outcome"] ?? "?")" })")
            }
            return last
        }

        static func spans(_ trace: [String: Any]) -> [[String: Any]] { trace["spans"] as? [[String: Any]] ?? [] }
        static func rootAttributes(_ trace: [String: Any]) -> [String: String] {
            spans(trace).first?["attributes"] as? [String: String] ?? [:]
        }

        /// Every span's parent is in the trace (the root has none), every span says measured or simulated, and the
        /// span ids are unique.
        static func expectWellFormed(_ trace: [String: Any], sourceLocation: SourceLocation = #_sourceLocation) {
            let spans = Self.spans(trace)
            let ids = Set(spans.compactMap { $0["spanId"] as? String })
            #expect(ids.count == spans.count, "span ids are unique", sourceLocation: sourceLocation)
            #expect(spans.first?["parentSpanId"] is NSNull, "the batch is the root", sourceLocation: sourceLocation)
            for span in spans {
                #expect(
                    ["measured", "simulated"].contains(span["timing"] as? String ?? ""), "\(span)",
                    sourceLocation: sourceLocation)
            }
            for span in spans.dropFirst() {
                #expect(
                    ids.contains(span["parentSpanId"] as? String ?? ""), "a parent in the trace: \(span)",
                    sourceLocation: sourceLocation)
            }
        }

        /// The chain of span names from `span` up to the root.
        static func ancestry(_ span: [String: Any], in trace: [String: Any]) -> [String] {
            let byID = Dictionary(
                Self.spans(trace).map { ($0["spanId"] as? String ?? "", $0) }, uniquingKeysWith: { a, _ in a })
            var chain: [String] = []
            var current: [String: Any]? = span
            while let s = current, chain.count < 64 {
                chain.append(s["name"] as? String ?? "?")
                current = (s["parentSpanId"] as? String).flatMap { byID[$0] }
            }
            return chain
        }

        @Test(
            "An SQS batch is a trace of its own: trigger queue, a batch root span with its size, the receive and the function's duration below it; a failing batch says it was returned to the queue, then that it goes to the DLQ; no Invoke API trace"
        )
        func queueBatchesStartTheirOwnTraces() async throws {
            try await withTemporaryDirectory("batch-traces") { folder in
                let functions = try Fixtures.install(["sqs-batch"], into: folder)
                try await withServer(ServeOptions(functions: functions, stateDirectory: folder + "/state")) { server in
                    let made = try await Self.step("queues", server: server)
                    let sent = try #require(made["messageIds"] as? [String])
                    let mappings = try #require(made["mappings"] as? [String])

                    // The good batch: five messages, one receive, deleted.
                    var all = try await Self.waitForTrace(server) { $0["root"] as? String == "orders" }
                    let orders = try #require(all.first { $0["root"] as? String == "orders" })
                    #expect(orders["trigger"] as? String == "queue")
                    #expect(orders["outcome"] as? String == "ok")
                    Self.expectWellFormed(orders)
                    let spans = Self.spans(orders)
                    let root = try #require(spans.first)
                    #expect(root["kind"] as? String == "batch")
                    #expect(root["name"] as? String == "batch of 5 from orders")
                    #expect(root["function"] as? String == "sqs-batch")
                    let attributes = Self.rootAttributes(orders)
                    #expect(attributes["messaging.batch.message_count"] == "5")
                    #expect(attributes["fnhost.source.arn"] == "arn:aws:sqs:us-east-1:000000000000:orders")
                    #expect(mappings.contains(attributes["fnhost.mapping"] ?? ""), "\(attributes)")
                    #expect(attributes["fnhost.batch.result"] == "ok")
                    #expect(attributes["fnhost.batch.next"] == "5 deleted")
                    #expect(attributes["sqs.receiveCount"] == "1")
                    #expect(attributes["fnhost.batch.attempt"] == "1")
                    #expect(attributes["fnhost.batch.ids"]?.hasPrefix(sent[0] + ", ") == true, "\(attributes)")
                    let receive = try #require(spans.first { $0["name"] as? String == "receive" })
                    #expect(receive["timing"] as? String == "measured")
                    #expect(receive["parentSpanId"] as? String == root["spanId"] as? String)
                    let duration = try #require(
                        spans.first { $0["name"] as? String == "duration" && $0["function"] as? String == "sqs-batch" })
                    #expect(duration["kind"] as? String == "worker" && duration["timing"] as? String == "measured")
                    #expect(
                        Self.ancestry(duration, in: orders) == ["duration", "sqs-batch", "batch of 5 from orders"],
                        "the function's duration is below the invocation, below the batch")
                    let invocation = try #require(spans.first { $0["name"] as? String == "sqs-batch" })
                    #expect(invocation["kind"] as? String == "call")
                    #expect(
                        (root["durationMs"] as? Double ?? 0) + 0.001
                            >= (invocation["startMs"] as? Double ?? 0) + (invocation["durationMs"] as? Double ?? 0),
                        "the batch span holds the receive and the invocation")

                    // The failing batch: a function error, returned to the queue; its second receive reaches the
                    // redrive policy's maxReceiveCount, so its trace says it goes to the DLQ next.
                    all = try await Self.waitForTrace(server) {
                        $0["root"] as? String == "failing"
                            && (Self.rootAttributes($0)["fnhost.batch.next"] ?? "").contains("redriven to the DLQ")
                    }
                    let failing = all.filter { $0["root"] as? String == "failing" }
                    let first = try #require(
                        failing.first { Self.rootAttributes($0)["fnhost.batch.attempt"] == "1" }, "\(failing)")
                    #expect(first["trigger"] as? String == "queue")
                    #expect(first["outcome"] as? String == "error")
                    Self.expectWellFormed(first)
                    let firstAttributes = Self.rootAttributes(first)
                    #expect(firstAttributes["fnhost.batch.result"]?.hasPrefix("function error") == true)
                    #expect(
                        firstAttributes["fnhost.batch.next"] == "1 returned to the queue (visible again in 1 s)",
                        "\(firstAttributes)")
                    let second = try #require(
                        failing.first { Self.rootAttributes($0)["fnhost.batch.attempt"] == "2" }, "\(failing)")
                    #expect(Self.spans(second).first?["name"] as? String == "batch of 1 from failing (attempt 2)")
                    #expect(
                        Self.rootAttributes(second)["fnhost.batch.next"]
                            == "1 returned to the queue (visible again in 1 s); 1 redriven to the DLQ failing-dlq on the next receive (maxReceiveCount reached)"
                    )
                    #expect(
                        !all.contains { $0["trigger"] as? String == "invoke" },
                        "a batch's invocation is no Invoke API trace")

                    // The same traces through the command line and by id.
                    let id = try #require(orders["traceId"] as? String)
                    let one = try await server.client.get("/fnhost/traces/\(id)").jsonObject()
                    #expect(one["trigger"] as? String == "queue")
                    let shown = try await Command.fnhost([
                        "traces", "show", id, "--endpoint", "http://127.0.0.1:\(server.port)", "--width", "110",
                    ])
                    #expect(shown.exitCode == 0, "\(shown)")
                    #expect(shown.standardOutput.contains("batch of 5 from orders"), "\(shown.standardOutput)")
                    let filtered = try await server.client.get("/fnhost/traces?function=sqs-batch&limit=1000")
                        .jsonObject()
                    let byFunction = try #require(filtered["traces"] as? [[String: Any]])
                    #expect(byFunction.contains { $0["traceId"] as? String == id }, "the function filter finds batches")
                }
            }
        }

        @Test(
            "A Kinesis batch is a trace with trigger stream and its shard; a poison batch's attempts are traces of their own, the retry says its attempt, the last says where the records went"
        )
        func streamBatchesStartTheirOwnTraces() async throws {
            try await withTemporaryDirectory("batch-traces-stream") { folder in
                let functions = try Fixtures.install(["stream-poison"], into: folder)
                try await withServer(ServeOptions(functions: functions, stateDirectory: folder + "/state")) { server in
                    let made = try await Self.step("stream", server: server)
                    let sequences = try #require(made["sequenceNumbers"] as? [String])
                    var all = try await Self.waitForTrace(server) { $0["root"] as? String == "clicks" }
                    let good = try #require(all.first { $0["root"] as? String == "clicks" })
                    #expect(good["trigger"] as? String == "stream")
                    #expect(good["outcome"] as? String == "ok")
                    Self.expectWellFormed(good)
                    let attributes = Self.rootAttributes(good)
                    #expect(attributes["kinesis.shardId"] == "shardId-000000000000")
                    #expect(attributes["messaging.batch.message_count"] == "3")
                    #expect(attributes["fnhost.batch.ids"] == sequences.joined(separator: ", "))
                    #expect(attributes["fnhost.batch.next"] == "3 checkpointed")
                    #expect(attributes["fnhost.mapping"] == made["mapping"] as? String)
                    let spans = Self.spans(good)
                    #expect(spans.first?["kind"] as? String == "batch")
                    let duration = try #require(
                        spans.first {
                            $0["name"] as? String == "duration" && $0["function"] as? String == "stream-poison"
                        })
                    #expect(
                        Self.ancestry(duration, in: good) == ["duration", "stream-poison", "batch of 3 from clicks"])

                    // The poison record: the first attempt fails and is retried, the retry (attempt 2) fails and
                    // its record goes to the on-failure queue.
                    _ = try await Self.step("poison", server: server)
                    all = try await Self.waitForTrace(server) {
                        ($0["spans"] as? [[String: Any]])?.first?["name"] as? String
                            == "batch of 1 from clicks (attempt 2)"
                    }
                    let poisoned = all.filter {
                        $0["root"] as? String == "clicks" && $0["outcome"] as? String == "error"
                    }
                    let first = try #require(
                        poisoned.first { Self.rootAttributes($0)["fnhost.batch.attempt"] == "1" }, "\(poisoned)")
                    Self.expectWellFormed(first)
                    #expect(Self.rootAttributes(first)["fnhost.batch.result"] == "function error (Unhandled)")
                    #expect(Self.rootAttributes(first)["fnhost.batch.next"] == "retried in 100.00 ms")
                    let retry = try #require(
                        poisoned.first { Self.rootAttributes($0)["fnhost.batch.attempt"] == "2" }, "\(poisoned)")
                    #expect(
                        Self.rootAttributes(retry)["fnhost.batch.next"]
                            == "1 sent to the on-failure destination parked (RetryAttemptsExhausted)")
                    #expect(first["traceId"] as? String != retry["traceId"] as? String, "every attempt its own trace")
                    #expect(
                        !all.contains { $0["trigger"] as? String == "invoke" },
                        "a batch's invocation is no Invoke API trace")
                }
            }
        }

        @Test(
            "A bisected Kinesis batch: each half's trace says which half it is and its attempt, the poison record's last says it went to the on-failure destination"
        )
        func bisectedHalvesSayWhichHalfTheyAre() async throws {
            try await withTemporaryDirectory("batch-traces-bisect") { folder in
                let functions = try Fixtures.install(["stream-poison"], into: folder)
                try await withServer(ServeOptions(functions: functions, stateDirectory: folder + "/state")) { server in
                    _ = try await Self.step("bisect", server: server)
                    let all = try await Self.waitForTrace(server) {
                        (Self.rootAttributes($0)["fnhost.batch.next"] ?? "").contains("on-failure destination")
                            && $0["root"] as? String == "halves"
                    }
                    // Newest first: the batches in the order they ran.
                    let halves = all.filter { $0["root"] as? String == "halves" }.reversed().map {
                        let a = Self.rootAttributes($0)
                        return [
                            Self.spans($0).first?["name"] as? String ?? "", a["fnhost.batch.half"] ?? "-",
                            $0["outcome"] as? String ?? "", a["fnhost.batch.next"] ?? "",
                        ].joined(separator: " | ")
                    }
                    let expected = [
                        "batch of 4 from halves | - | error | bisected into 2 + 2",
                        "batch of 2 from halves (attempt 2) | first half of 4 | ok | 2 checkpointed",
                        "batch of 2 from halves (attempt 2) | second half of 4 | error | bisected into 1 + 1",
                        "batch of 1 from halves (attempt 3) | first half of 2 | error | 1 sent to the on-failure destination parked-halves (RetryAttemptsExhausted)",
                    ]
                    #expect(Array(halves.prefix(4)) == expected, "\(halves)")
                    for trace in all where trace["root"] as? String == "halves" { Self.expectWellFormed(trace) }
                }
            }
        }
    }
}
