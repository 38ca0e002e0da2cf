import FnhostEventSources
import FnhostHost
import FnhostStore
import FnhostStreams
import FnhostTraces
import FnhostWire
import Foundation

/// Kinesis streams as event sources: the catalog that checks a mapping's stream exists, and the runner that feeds
/// the function — the stream consumer (`StreamConsumerRunner`) with the mapping's settings, invoking through the
/// host. The mapping supervisor starts `run` for each enabled Kinesis mapping and cancels it when the mapping
/// changes or goes.
struct KinesisEventSource: EventSourceCatalog, MappingRunnerFactory {
    let service: KinesisService
    let region: String

    func describe(sourceARN: String) async throws -> EventSourceInfo? {
        guard let name = KinesisNames.stream(fromARN: sourceARN), try await service.store.stream(named: name) != nil
        else { return nil }
        return EventSourceInfo()
    }

    func run(_ mapping: EventSourceMapping, context: MappingRunContext) async {
        guard let plain = StreamConsumerRunner.Mapping(mapping, region: region) else { return }
        let host = context.host
        let function = mapping.function
        let runner = StreamConsumerRunner(
            mapping: plain, store: service.store,
            tracedInvoke: { payload in await Self.invoke(host, function, payload, stopping: context.stopping) },
            tracing: host.configuration.tracing
                ? StreamConsumerRunner.Tracing(
                    function: function, newSpanID: { host.newSpanID() }, record: { host.traces.record($0) }) : nil,
            timeScale: service.timeScale, registry: service.metrics.registry)
        context.outcomes.pollers(mapping, 1)
        await runner.run(stopping: context.stopping)
        context.outcomes.pollers(mapping, 0)
    }

    /// At most this many throttled attempts of one batch are traced while it waits for the function.
    static let keptRefusals = 60

    /// One invocation as Lambda's stream pollers make it: a function error fails the batch; a refusal before the
    /// function ran (throttled at its concurrency) is retried after a second, as it does not count against the
    /// batch's retries on AWS. Each attempt joins a trace of its own (trigger `stream`), under the batch's span.
    static func invoke(
        _ host: FunctionHost, _ function: String, _ payload: [UInt8], stopping: @Sendable () -> Bool
    ) async -> StreamConsumerRunner.Invoked {
        var attempts: [BatchTrace.Attempt] = []
        while true {
            let traceID = host.newTraceID()
            let batchSpan = host.newSpanID()
            let askedAtMs = Date().timeIntervalSince1970 * 1000
            let asked = ContinuousClock.now
            do {
                let result = try await host.invoke(
                    function, payload: payload,
                    trace: TraceLink(traceID: traceID, parent: batchSpan, trigger: .stream, recordsTrace: false))
                attempts.append(
                    BatchTrace.Attempt(
                        traceID: traceID, batchSpan: batchSpan,
                        invocation: .ran(
                            startedAtMs: result.trace?.startedAtMs ?? askedAtMs, spans: result.trace?.spans ?? [],
                            outcome: Trace.Outcome(result))))
                switch result.outcome {
                case .success(let bytes): return .init(outcome: .succeeded(response: bytes), attempts: attempts)
                case .functionError: return .init(outcome: .failed(functionError: "Unhandled"), attempts: attempts)
                }
            } catch {
                attempts.append(
                    BatchTrace.Attempt(
                        traceID: traceID, batchSpan: batchSpan,
                        invocation: .refused(
                            error.status == 429 ? .throttled : .error, reason: error.message, startedAtMs: askedAtMs,
                            waitedMs: (ContinuousClock.now - asked).inMilliseconds)))
                // A function throttled for long keeps its last refusals' traces only (each retry is a second).
                if attempts.count > Self.keptRefusals { attempts.removeFirst() }
                if Task.isCancelled || stopping() {
                    return .init(outcome: .failed(functionError: "Unhandled"), attempts: attempts)
                }
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}
