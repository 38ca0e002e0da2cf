import ArgumentParser
import FnhostHost
import FnhostRuntimes
import FnhostServer
import FnhostTemplate
import Foundation

/// `fnhost serve`: a long-running local Lambda over HTTP (Invoke API, API-gateway routes, metrics).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve Lambda's Invoke API, the manifests' HTTP routes, /metrics and /healthz.",
        discussion: """
            Works with the AWS CLI and SDKs: aws lambda invoke --endpoint-url http://127.0.0.1:9000 \
            --function-name org-status --payload '{"orgId":"ORG-0042"}' --cli-binary-format raw-in-base64-out out.json

            N concurrent requests get N workers (up to each function's reserved concurrency; beyond it, 429). \
            Asynchronous invocations (X-Amz-Invocation-Type: Event) are kept in --state-dir (fnhost.sqlite) until done; \
            those that still fail after two retries become dead letters there (see `fnhost dead-letters`). \
            SIGTERM or SIGINT drains in-flight invocations, stops every worker and exits 0; a second signal exits at once.

            Connections that never finish a request are closed: the headers must arrive within --header-timeout of \
            their first byte (else 408), a connection with no request in progress is closed after --idle-timeout, \
            and beyond --max-connections a new connection is answered 503. Each worker's Runtime API endpoint has \
            limits of its own (--runtime-api-*), which never cut a parked GET next. /metrics counts the closed \
            connections (fnhost_connections_closed_total).
            """
    )

    @Option(
        help: ArgumentHelp(
            "Address to listen on; anything but loopback exposes your functions. [env: FNHOST_HOST] (default: 127.0.0.1)"
        ))
    var host: String?
    @Option(help: ArgumentHelp("Port to listen on; 0 picks a free one. [env: FNHOST_PORT] (default: 9000)"))
    var port: Int?
    @Option(
        name: .customLong("state-dir"),
        help: ArgumentHelp(
            "Where what must survive a restart is kept (fnhost.sqlite: async events, dead letters, queues, streams, "
                + "mappings, STANDARD executions). [env: FNHOST_STATE_DIR] (default: .fnhost)",
            valueName: "dir"))
    var stateDirectory: String?
    @Option(
        name: .customLong("log-format"), help: ArgumentHelp("text or json. [env: FNHOST_LOG_FORMAT] (default: text)"))
    var logFormat: String?
    @Option(
        name: .customLong("drain-timeout"),
        help: ArgumentHelp(
            "Seconds in-flight invocations may run on after a shutdown signal. (default: 10)", valueName: "seconds"))
    var drainTimeout: Double = 10
    @Option(name: .customLong("async-concurrency"), help: "Asynchronous events run at once. (default: 8)")
    var asyncConcurrency: Int = 8
    @Option(
        name: .customLong("otlp-endpoint"),
        help: ArgumentHelp(
            "Export traces over OTLP/HTTP to this collector (http://host:4318; /v1/traces is added). [env: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, OTEL_EXPORTER_OTLP_ENDPOINT]",
            valueName: "url"))
    var otlpEndpoint: String?
    @Option(
        name: .customLong("trace-capacity"),
        help: ArgumentHelp(
            "Finished traces kept in memory for fnhost traces and the page. [env: FNHOST_TRACE_CAPACITY] (default: 1000)",
            valueName: "n"))
    var traceCapacity: Int?
    @OptionGroup(title: "Connection limits") var limitOptions: ListenerLimitOptions
    @OptionGroup var hostOptions: HostOptions

    func run() async throws {
        let env = ProcessInfo.processInfo.environment
        var (configuration, template) = try hostOptions.resolve(maxWait: .zero)
        let limits = try limitOptions.resolve(environment: env)
        configuration.runtimeAPILimits = limits.runtimeAPI
        configuration.traceCapacity =
            try Setting.value(
                traceCapacity, flag: "--trace-capacity", variable: "FNHOST_TRACE_CAPACITY", env, parse: { Int($0) },
                unit: "a whole number", range: "1–1000000", isValid: { (1...1_000_000).contains($0) }) ?? 1000
        let otlp: OTLPExporter.Settings?
        do { otlp = try OTLPExporter.Settings.endpoint(flag: otlpEndpoint, environment: env) } catch {
            throw ValidationError("\(error)")
        }
        let formatText = Setting.text(logFormat, variable: "FNHOST_LOG_FORMAT", env) ?? "text"
        guard let format = LogFormat(rawValue: formatText) else {
            throw ValidationError("--log-format must be text or json, got \"\(formatText)\"")
        }
        let port =
            try Setting.value(
                self.port, flag: "--port", variable: "FNHOST_PORT", env, parse: { Int($0) }, unit: "a port number",
                range: "a port number 0–65535", isValid: { (0...65_535).contains($0) }) ?? 9000
        guard drainTimeout >= 0, (1...1000).contains(asyncConcurrency) else {
            throw ValidationError("--drain-timeout must be ≥ 0 and --async-concurrency 1–1000")
        }
        var settings = ServeSettings(
            bindHost: Setting.text(host, variable: "FNHOST_HOST", env) ?? "127.0.0.1", port: port,
            stateDirectory: StateDirectoryOption.resolve(stateDirectory, env), logFormat: format,
            drainTimeout: .milliseconds(Int64(drainTimeout * 1000)), asyncConcurrency: asyncConcurrency,
            limits: limits.serve
        )
        settings.schedules = template?.scheduledRules ?? []
        settings.queues = template?.application.queues ?? []
        settings.stateMachines = template?.application.stateMachines ?? []
        settings.otlp = otlp
        do {
            try await ServeApplication.run(configuration: configuration, settings: settings)
        } catch let error as ServeApplication.StartError {
            printError("fnhost: \(error)")
            throw Exit.configurationError
        } catch {
            printError("fnhost: \(error)")
            throw Exit.configurationError
        }
    }
}
