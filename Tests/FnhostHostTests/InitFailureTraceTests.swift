import FnhostHost
import FnhostTraces
import FnhostWire
import Foundation
import TestSupport
import Testing

/// A cold start whose init fails still leaves a trace: one trace, outcome error, with the spawn and the init up to
/// the failure (both measured) and the error type the invocation answered with, as Lambda reports it.
@Suite(.serialized, .timeLimit(.minutes(1))) struct InitFailureTraceTests {
    @Test(arguments: [
        ("linger", "Fixture.InitFailed"), ("exit", "Fixture.InitFailed"), ("crash", "Runtime.ExitError"),
    ])
    func aFailedInitIsOneTraceWithItsSpawnAndInitSpansAndTheErrorType(then: String, errorType: String) async throws {
        try await withTemporaryDirectory { state in
            try await withHost(workerEnvironment: ["FIXTURE_STATE_DIR": state, "INIT_ERROR_THEN": then]) { host in
                let result = try await host.invoke("init-error", "{}")
                #expect(try result.functionError().errorType == errorType)
                let traces = host.traces.store.query(function: "init-error")
                #expect(traces.count == 1, "one trace per failed invocation")
                let trace = try #require(traces.first)
                #expect(trace.outcome == .error && trace.trigger == .invoke && trace.root == "init-error")
                #expect(trace.spans == result.trace?.spans, "the result carries the same spans")

                let root = trace.spans[0]
                #expect(root.parent == nil && root.kind == .request && root.startMs == 0)
                #expect(root.attributes["error.type"] == errorType && root.attributes["requestId"] == result.requestID)
                #expect(root.attributes["faas.coldstart"] == "true" && root.attributes["fnhost.phase"] == "init")
                let named = { (name: String) in try #require(trace.spans.first { $0.name == name }, "\(name)") }
                let cold = try named("cold start")
                let spawn = try named("spawn")
                let initSpan = try named("init")
                #expect(cold.parent == root.id && spawn.parent == cold.id && initSpan.parent == cold.id)
                #expect([cold, spawn, initSpan].allSatisfy { $0.timing == .measured && $0.kind == .coldStart })
                #expect(spawn.durationMs > 0 && initSpan.durationMs > 0)
                #expect(initSpan.startMs == spawn.endMs, "init follows the spawn")
                #expect(initSpan.attributes["error.type"] == errorType)
                // The init is measured up to the failure: the spans add up to the init duration the result reports.
                let initDuration = try #require(result.initDurationMs)
                #expect(abs(spawn.durationMs + initSpan.durationMs - initDuration) < 0.01)
                #expect(root.durationMs >= cold.durationMs && cold.endMs <= root.endMs + 0.01)
                #expect(!trace.spans.contains { $0.name == "duration" }, "no event reached a worker")
            }
        }
    }

    @Test func aHostWithTracingOffRecordsNoTraceOfAFailedInit() async throws {
        try Paths.requireBuilt("fnhost-launch")
        var configuration = HostConfiguration(
            functionsDirectory: Paths.fixtureFunctions, buildDirectory: Paths.buildDirectory,
            workerEnvironment: ["INIT_ERROR_THEN": "exit"])
        configuration.tracing = false
        let host = try FunctionHost(configuration: configuration, sink: CollectingSink())
        let result = try await host.invoke("init-error", "{}")
        await host.shutdown()
        #expect(result.isError && result.trace == nil && host.traces.store.recordedCount == 0)
    }
}
