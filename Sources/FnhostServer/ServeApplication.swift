import FnhostDashboard
import FnhostEventSources
import FnhostHost
import FnhostManifest
import FnhostQueues
import FnhostSimulation
import FnhostStepFunctions
import FnhostStore
import FnhostTemplate
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
        // The live page counts from the same metrics as /metrics (DashboardMetricsFactory).
        let dashboard = DashboardRecorder()
        let metricsFactory = MultiplexMetricsHandler(factories: [
            factory, DashboardMetricsFactory(recorder: dashboard),
        ])
        let host: FunctionHost
        let queue: EventQueue
        let gateway: GatewayEndpoint
        let stepFunctions: StepFunctionsEndpoint
        do {
            host = try FunctionHost(
                configuration: configuration, sink: sink, metrics: HostMetrics(factory: metricsFactory))
            queue = try await EventQueue(
                host: host, stateDirectory: settings.stateDirectory,
                settings: .init(consumers: settings.asyncConcurrency, timeScale: configuration.simulation.timeScale))
            gateway = try GatewayEndpoint(host: host)
            stepFunctions = try await StepFunctionsEndpoint(
                host: host, configuration: configuration, metrics: metricsFactory, store: queue.events.store,
                note: { sink.note($0) },
                extra: try settings.stateMachines.map { machine throws(StateMachineFileError) in
                    try StateMachineFile(
                        name: machine.name, definitionText: machine.definition,
                        type: machine.type == "EXPRESS" ? .express : .standard,
                        source: "the template's state machine \(machine.logicalID)")
                })
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
        try await createQueues(settings, store: queue.events.store, sink: sink)
        let provisioned = try await host.startProvisionedConcurrency()
        if provisioned > 0 { sink.note("fnhost: \(provisioned) provisioned workers initialised") }

        let sqs = SQSResponder(store: queue.events.store)
        let kinesis = KinesisResponder(
            store: queue.events.store, timeScale: configuration.simulation.timeScale, registry: registry)
        let (mappings, supervisor) = try await Self.eventSources(
            host: host, sqs: sqs, kinesis: kinesis, registry: registry, note: { sink.note($0) })
        let feed = DashboardFeed()
        let sampler = DashboardSampler(
            host: host, queue: queue, stepFunctions: stepFunctions.service, recorder: dashboard, feed: feed)
        let responder = ServeResponder(
            host: host, queue: queue, registry: registry, gateway: gateway, stepFunctions: stepFunctions,
            sqs: sqs, mappings: mappings, kinesis: kinesis,
            dashboard: DashboardEndpoint(sampler: sampler, feed: feed, routes: gateway.table))
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
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: HostService(host: host)),
            .init(service: queue),
            .init(service: StepFunctionsLifecycle(service: stepFunctions.service, note: stepFunctions.note)),
            .init(service: try schedules(settings, host, queue: queue, registry: registry, sink: sink)),
            // Stopped before the host (services stop in reverse order): pollers finish their batches first.
            .init(service: supervisor),
            .init(service: app),
        ]
        if let otlp = settings.otlp {
            let exporter = OTLPExporter(settings: otlp, metrics: factory, note: { sink.note($0) })
            host.traces.onTrace { exporter.enqueue($0) }
            services.append(.init(service: exporter))
            sink.note(
                "fnhost: exporting traces over OTLP/HTTP to http://\(otlp.url.host):\(otlp.url.port)\(otlp.url.path)")
        }
        // Last, so that graceful shutdown reaches it first: it ends the live page's event streams, which the HTTP
        // server would otherwise wait for until the drain timeout.
        services.append(.init(service: sampler))
        var groupConfiguration = ServiceGroupConfiguration(
            services: services,
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

    /// Creates the template's queues in fnhost's SQS (dead-letter queues first, so a redrive policy finds its
    /// target); one that exists with the same attributes is kept with its messages.
    static func createQueues(_ settings: ServeSettings, store: Store, sink: StreamLogSink) async throws {
        let service = SQSService(store: store)
        let ordered = settings.queues.sorted {
            ($0.attributes["RedrivePolicy"] == nil) && ($1.attributes["RedrivePolicy"] != nil)
        }
        for q in ordered {
            let request = SQSRequest(
                operation: .createQueue,
                parameters: [
                    "QueueName": .string(q.name),
                    "Attributes": .object(q.attributes.mapValues { JSONValue.string($0) }),
                ])
            do {
                _ = try await service.createQueue(request, baseURL: "http://\(settings.bindHost):\(settings.port)")
            } catch {
                throw StartError.configuration(
                    "the template's queue \(q.logicalID) (\(q.name)) could not be created: \(error)")
            }
            sink.note("  queue        \(q.name)  (from \(q.logicalID))")
        }
    }

    /// The schedules' runner: every rule whose function exists, on a clock scaled as `--time-scale` says.
    static func schedules(
        _ settings: ServeSettings, _ host: FunctionHost, queue: EventQueue, registry: PrometheusCollectorRegistry,
        sink: StreamLogSink
    ) throws -> ScheduleRunner {
        let configuration = host.configuration
        var rules = settings.schedules
        for rule in rules where host.functions[rule.function] == nil {
            throw StartError.configuration("schedule \(rule.name) invokes \(rule.function), which is not a function")
        }
        let factor = configuration.simulation.timeScale.factor
        if factor == 0 && !rules.isEmpty {
            sink.note("fnhost: schedules do not fire with --time-scale 0 (\(rules.count) rule(s) left idle)")
            rules = []
        }
        for rule in rules { sink.note("  schedule     \(rule.expression)  →  \(rule.function)  (rule \(rule.name))") }
        return ScheduleRunner(
            rules: rules, queue: queue,
            clock: ScheduleClock(origin: Date().timeIntervalSince1970, factor: factor == 0 ? 1 : factor),
            region: configuration.region, registry: registry)
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
            "  live page    GET  \(base)/   (in a browser; data: \(DashboardEndpoint.snapshotPath), \(DashboardEndpoint.eventsPath))",
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
