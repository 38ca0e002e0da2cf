import FnhostEventSources
import FnhostHost
import FnhostManifest
import FnhostWire
import Foundation
import Hummingbird
import Logging
import Metrics
import NIOCore
import Prometheus
import ServiceLifecycle
import UnixSignals

/// `fnhost serve` put together: the host, the async event queue and the HTTP server, run as one service group so
/// that SIGTERM or SIGINT stops accepting, lets in-flight invocations finish (up to the drain timeout), stops every
/// worker and returns; a second signal exits at once.
public enum ServeApplication {
    /// Why serve could not start.
    public enum StartError: Error, CustomStringConvertible {
        case configuration(String)
        public var description: String {
            switch self {
            case .configuration(let m): m
            }
        }
    }

    public static func run(configuration: HostConfiguration, settings: ServeSettings) async throws {
        let configuration = {
            var c = configuration
            c.stateDirectory = HostConfiguration.absolute(settings.stateDirectory)
            return c
        }()
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultValueHistogramBuckets = [
            0.25, 0.5, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000,
        ]
        let sink = StreamLogSink(fileDescriptor: 1, format: settings.logFormat)
        let host: FunctionHost
        let queue: EventQueue
        let gateway: GatewayEndpoint
        let stepFunctions: StepFunctionsEndpoint
        do {
            host = try FunctionHost(configuration: configuration, sink: sink, metrics: HostMetrics(factory: factory))
            queue = try await EventQueue(
                host: host, stateDirectory: settings.stateDirectory,
                settings: .init(consumers: settings.asyncConcurrency, timeScale: configuration.simulation.timeScale))
            gateway = try GatewayEndpoint(host: host)
            stepFunctions = try StepFunctionsEndpoint(host: host, configuration: configuration, metrics: factory)
        } catch {
            throw StartError.configuration("\(error)")
        }
        if !settings.isLoopback {
            sink.note(
                "fnhost: WARNING: listening on \(settings.bindHost): anyone who can reach this address can run these functions; fnhost has no authentication"
            )
        }
        let ledger = ConnectionLedger(listener: "serve", limits: settings.limits, metrics: host.metrics)
        if let warning = DescriptorBudget.warning(limits: settings.limits) { sink.note(warning) }
        let provisioned = try await host.startProvisionedConcurrency()
        if provisioned > 0 { sink.note("fnhost: \(provisioned) provisioned workers initialised") }

        let sqs = SQSResponder(store: queue.events.store)
        let kinesis = KinesisResponder(
            store: queue.events.store, timeScale: configuration.simulation.timeScale, registry: registry)
        let (mappings, supervisor) = try await Self.eventSources(
            host: host, sqs: sqs, kinesis: kinesis, registry: registry, note: { sink.note($0) })
        let responder = ServeResponder(
            host: host, queue: queue, registry: registry, gateway: gateway, stepFunctions: stepFunctions,
            sqs: sqs, mappings: mappings, kinesis: kinesis)
        let routes = gateway.routeList
        let app = Application(
            responder: responder,
            server: .guardedHTTP1(ledger: ledger),
            configuration: .init(address: .hostname(settings.bindHost, port: settings.port), serverName: "fnhost"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? settings.port
                Self.banner(
                    sink: sink, host: settings.bindHost, port: port, routes: routes,
                    functions: host.functions.keys.sorted(), stateMachines: stepFunctions.machineNames,
                    limits: (settings.limits, configuration.runtimeAPILimits))
            },
            logger: Logger(label: "fnhost.serve", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        var groupConfiguration = ServiceGroupConfiguration(
            services: [
                .init(service: HostService(host: host)),
                .init(service: queue),
                .init(service: StepFunctionsLifecycle(service: stepFunctions.service)),
                // Stopped before the host (services stop in reverse order): pollers finish their batches first.
                .init(service: supervisor),
                .init(service: app),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: Logger(label: "fnhost.lifecycle", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        groupConfiguration.maximumGracefulShutdownDuration = settings.drainTimeout
        groupConfiguration.maximumCancellationDuration = .seconds(5)
        let group = ServiceGroup(configuration: groupConfiguration)
        // A second SIGTERM or SIGINT exits at once; the lifeline still takes every worker down with us.
        let impatience = Task {
            var seen = 0
            for await _ in await UnixSignalsSequence(trapping: .sigterm, .sigint) {
                seen += 1
                if seen == 1 {
                    sink.note("fnhost: shutting down: draining in-flight invocations (again to exit at once)")
                }
                if seen >= 2 { sink.note("fnhost: exiting now"); exit(130) }
            }
        }
        defer { impatience.cancel() }
        try await group.run()
        sink.note("fnhost: stopped")
    }

    /// The event source mappings: the kinds of source this build serves (SQS; streams plug in here), the manifests'
    /// declarations brought into the store, the supervisor that runs the pollers and the API's responder.
    static func eventSources(
        host: FunctionHost, sqs: SQSResponder, kinesis: KinesisResponder, registry: PrometheusCollectorRegistry,
        note: @escaping @Sendable (String) -> Void
    ) async throws -> (EventSourceMappingResponder, MappingSupervisor) {
        let region = host.configuration.region
        let queues = SQSEventSource(service: sqs.service, region: region)
        let streams = KinesisEventSource(service: kinesis.service, region: region)
        let kinds = EventSourceKinds(
            catalogs: [.sqs: queues, .kinesis: streams], runners: [.sqs: queues, .kinesis: streams])
        let metrics = EventSourceMetrics(registry: registry)
        let store = sqs.service.store
        let arrivals = sqs.service.arrivals
        let supervisor = MappingSupervisor(
            store: store, host: host, kinds: kinds, metrics: metrics, note: note,
            wake: { await arrivals.signal($0) })
        let service = EventSourceMappingService(
            store: store, functions: host.functions, region: region, kinds: kinds, supervisor: supervisor,
            metrics: metrics)
        do {
            for line in try await service.syncDeclarations() { note(line) }
        } catch {
            throw StartError.configuration("the manifests' eventSources could not be stored: \(error)")
        }
        return (EventSourceMappingResponder(service: service), supervisor)
    }

    static func banner(
        sink: StreamLogSink, host: String, port: Int, routes: [(routeKey: String, function: String)],
        functions: [String], stateMachines: [String] = [], limits: (serve: ListenerLimits, runtimeAPI: ListenerLimits)
    ) {
        let base = "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
        var lines = [
            "fnhost serve listening on \(base)",
            "  Invoke API   POST \(base)\(InvokeAPI.pathPrefix){function}/invocations   functions: \(functions.joined(separator: ", "))",
            "  States API   POST \(base)/ (X-Amz-Target: AWSStepFunctions.*)   state machines: \(stateMachines.joined(separator: ", "))",
            "  health       GET  \(base)/healthz",
            "  metrics      GET  \(base)/metrics",
            "  SQS          POST \(base)/  (X-Amz-Target: AmazonSQS.*; queue URLs \(base)/\(SQSService.account)/NAME)",
            "  Kinesis      POST \(base)/  (X-Amz-Target: Kinesis_20131202.*)",
            "  mappings     \(base)\(EventSourceMappingResponder.pathPrefix)/  (Lambda's event source mapping API)",
        ]
        for (key, function) in routes { lines.append("  route        \(key)  →  \(function)") }
        lines.append("  limits       \(limits.serve); each Runtime API endpoint: \(limits.runtimeAPI)")
        for line in lines { sink.note(line) }
    }
}

/// The host as a service: it runs until graceful shutdown, then stops every worker (after the HTTP server and
/// the queue, which stop first, have let in-flight invocations finish).
struct HostService: Service {
    let host: FunctionHost

    func run() async throws {
        try? await gracefulShutdown()
        await host.shutdown()
    }
}
