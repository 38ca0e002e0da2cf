import FnhostHost
import Hummingbird
import Logging
import NIOCore
import Prometheus
import ServiceLifecycle
import Synchronization

/// `fnhost serve`'s HTTP side (Invoke API, API Gateway routes, async event queue) over a host the caller already
/// runs, in-process on 127.0.0.1, for experiments that must pay the gateway's real HTTP hop and simulated delay or
/// use the real asynchronous queue (`fnhost experiment architectures`). No signal handling: `stop()` ends it; the
/// caller shuts its host down afterwards.
public final class LocalServer: Sendable {
    /// The port it listens on.
    public let port: Int
    /// Its asynchronous event queue: `accept` is what a `202` of the Invoke API does.
    public let queue: EventQueue
    private let group: ServiceGroup
    private let running: Task<Void, any Error>

    private init(port: Int, queue: EventQueue, group: ServiceGroup, running: Task<Void, any Error>) {
        self.port = port
        self.queue = queue
        self.group = group
        self.running = running
    }

    /// Starts listening on `127.0.0.1:port` (0: any free port) and returns once the server accepts connections.
    /// - Parameter stateDirectory: where the queue keeps accepted events (a folder of the caller's).
    public static func start(
        host: FunctionHost, port: Int = 0, stateDirectory: String, asyncConcurrency: Int = 8
    ) async throws -> LocalServer {
        let queue = try await EventQueue(
            host: host, stateDirectory: stateDirectory,
            settings: .init(consumers: asyncConcurrency, timeScale: host.configuration.simulation.timeScale))
        let gateway = try GatewayEndpoint(host: host)
        let registry = PrometheusCollectorRegistry()
        // State machines and queues are not part of the experiments, but the responder routes them all the same.
        let stepFunctions = try StepFunctionsEndpoint(
            host: host, configuration: host.configuration, metrics: PrometheusMetricsFactory(registry: registry))
        let sqs = SQSResponder(store: queue.events.store)
        let kinesis = KinesisResponder(
            store: queue.events.store, timeScale: host.configuration.simulation.timeScale, registry: registry)
        let (mappings, supervisor) = try await ServeApplication.eventSources(
            host: host, sqs: sqs, kinesis: kinesis, registry: registry, note: { _ in })
        let responder = ServeResponder(
            host: host, queue: queue, registry: registry, gateway: gateway, stepFunctions: stepFunctions,
            sqs: sqs, mappings: mappings, kinesis: kinesis)
        let listening = ListeningSignal()
        let app = Application(
            responder: responder,
            server: .http1(configuration: .init(additionalChannelHandlers: [MalformedRequestResponder()])),
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "fnhost"),
            onServerRunning: { channel in listening.resume(.success(channel.localAddress?.port ?? port)) },
            logger: Logger(label: "fnhost.local", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: queue), .init(service: supervisor), .init(service: app)],
                gracefulShutdownSignals: [],
                logger: Logger(label: "fnhost.local", factory: { _ in SwiftLogNoOpLogHandler() })))
        let running = Task {
            do { try await group.run() } catch {
                listening.resume(.failure(error))
                throw error
            }
            listening.resume(.failure(CancellationError()))
        }
        let bound = try await listening.wait()
        return LocalServer(port: bound, queue: queue, group: group, running: running)
    }

    /// Stops accepting, lets in-flight requests and queued events that are running finish, and returns.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await running.value
    }
}

/// Resumes one waiter once, with the port or the failure, whichever comes first.
private final class ListeningSignal: Sendable {
    private struct State {
        var result: Result<Int, any Error>?
        var waiter: CheckedContinuation<Int, any Error>?
    }
    private let state = Mutex(State())

    func resume(_ result: Result<Int, any Error>) {
        let waiter: CheckedContinuation<Int, any Error>? = state.withLock { s in
            guard s.result == nil else { return nil }
            s.result = result
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume(with: result)
    }

    func wait() async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            let ready: Result<Int, any Error>? = state.withLock { s in
                if let r = s.result { return r }
                s.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}
