import FnhostEventSources
import FnhostHost
import FnhostStore
import FnhostStreams

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
            invoke: { payload in await Self.invoke(host, function, payload, stopping: context.stopping) },
            timeScale: service.timeScale, registry: service.metrics.registry)
        context.outcomes.pollers(mapping, 1)
        await runner.run(stopping: context.stopping)
        context.outcomes.pollers(mapping, 0)
    }

    /// One invocation as Lambda's stream pollers make it: a function error fails the batch; a refusal before the
    /// function ran (throttled at its concurrency) is retried after a second, as it does not count against the
    /// batch's retries on AWS.
    static func invoke(
        _ host: FunctionHost, _ function: String, _ payload: [UInt8], stopping: @Sendable () -> Bool
    ) async -> StreamConsumerRunner.InvokeOutcome {
        while true {
            do {
                let result = try await host.invoke(function, payload: payload)
                switch result.outcome {
                case .success(let bytes): return .succeeded(response: bytes)
                case .functionError: return .failed(functionError: "Unhandled")
                }
            } catch {
                if Task.isCancelled || stopping() { return .failed(functionError: "Unhandled") }
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}
