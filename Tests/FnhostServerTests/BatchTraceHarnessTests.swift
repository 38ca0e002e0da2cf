import FnhostHost
import FnhostServer
import FnhostSimulation
import FnhostTraces
import FnhostWire
import Synchronization
import TestSupport
import Testing

/// `fnhost experiment poison` drives the mappings in-process (`PoisonHarness` and `LocalServer` over the
/// experiment's own host): its batches' traces must reach that host's recorder, where an experiment listens.
@Suite("Batch traces in-process", .serialized)
struct BatchTraceHarnessTests {
    @Test("A mapping run by LocalServer over a host records its batch traces on that host, listeners included")
    func harnessBatchesReachTheHostsRecorder() async throws {
        try Paths.requireBuilt("fnhost-launch")
        try await withTemporaryDirectory("batch-trace-harness") { folder in
            let functions = try Fixtures.install(
                ["sqs-batch"], into: folder, environment: ["sqs-batch": ["SQS_BATCH_LOG": folder + "/processed.log"]])
            let host = try FunctionHost(
                configuration: HostConfiguration(functionsDirectory: functions, buildDirectory: Paths.buildDirectory),
                sink: DiscardingLogSink())
            let heard = Mutex<[Trace]>([])
            host.traces.onTrace { trace in heard.withLock { $0.append(trace) } }
            let state = folder + "/state"
            let harness = try await PoisonHarness.open(stateDirectory: state, timeScale: .realTime)
            var server: LocalServer?
            do {
                try await harness.createQueue("harness", attributes: [:])
                try await harness.send("harness", bodies: (0..<4).map { #"{"n":\#($0)}"# })
                let uuid = try await harness.createMapping(
                    host: host,
                    [
                        "FunctionName": .string("sqs-batch"),
                        "EventSourceArn": .string(PoisonHarness.queueARN("harness")),
                        "BatchSize": .number(10),
                    ])
                server = try await LocalServer.start(host: host, stateDirectory: state)
                let drained = await eventually(within: .seconds(60), every: .milliseconds(100)) {
                    (try? await harness.depth("harness")) == 0
                        && heard.withLock { $0.contains { $0.trigger == .queue } }
                }
                let depth = (try? await harness.depth("harness")) ?? -1
                #expect(drained, "the queue holds \(depth)")
                let listened = heard.withLock { $0.filter { $0.trigger == .queue } }
                let kept = host.traces.store.all().filter { $0.trigger == .queue }
                #expect(!listened.isEmpty && Set(listened.map(\.id)) == Set(kept.map(\.id)))
                #expect(listened.allSatisfy { $0.root == "harness" && $0.spans.first?.kind == .batch })
                #expect(listened.allSatisfy { $0.spans.first?.attributes["fnhost.mapping"] == uuid })
                #expect(
                    listened.reduce(0) { $0 + Int($1.spans[0].attributes["messaging.batch.message_count"] ?? "0")! }
                        == 4)
                #expect(heard.withLock { $0.allSatisfy { $0.trigger != .invoke } }, "no Invoke API trace for a batch")
            } catch {
                Issue.record("\(error)")
            }
            await server?.stop()
            await harness.close()
            await host.shutdown()
        }
    }
}
