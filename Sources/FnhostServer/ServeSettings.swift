import FnhostHost
import FnhostTemplate

/// The settings of `fnhost serve` beyond the host's own.
public struct ServeSettings: Sendable {
    /// The address to listen on; loopback unless told otherwise.
    public var bindHost: String
    /// 0 picks a free port (printed at start).
    public var port: Int
    /// Where accepted async events and dead letters are kept across restarts.
    public var stateDirectory: String
    public var logFormat: LogFormat
    /// How long in-flight invocations may run on after SIGTERM/SIGINT before everything is stopped.
    public var drainTimeout: Duration
    /// Asynchronous events run at once.
    public var asyncConcurrency: Int
    /// The header and idle timeouts and the most connections of the port `fnhost serve` listens on.
    public var limits: ListenerLimits
    /// The EventBridge schedules that invoke functions (a template's `Schedule` events), on the time-scaled clock.
    public var schedules: [ScheduledRule] = []
    /// The queues to create in fnhost's SQS at start (a template's `AWS::SQS::Queue` resources).
    public var queues: [SAMQueue] = []
    /// State machines beside the `statemachines/` files (a template's `AWS::Serverless::StateMachine` resources).
    public var stateMachines: [SAMStateMachine] = []
    /// Where finished traces are exported over OTLP/HTTP; nil: kept in memory only.
    public var otlp: OTLPExporter.Settings? = nil

    public init(
        bindHost: String = "127.0.0.1", port: Int = 9000, stateDirectory: String = ".fnhost",
        logFormat: LogFormat = .text, drainTimeout: Duration = .seconds(10), asyncConcurrency: Int = 8,
        limits: ListenerLimits = .serveDefaults
    ) {
        self.bindHost = bindHost
        self.port = port
        self.stateDirectory = stateDirectory
        self.logFormat = logFormat
        self.drainTimeout = drainTimeout
        self.asyncConcurrency = asyncConcurrency
        self.limits = limits
    }

    /// Whether the address is reachable only from this machine.
    public var isLoopback: Bool {
        ["127.0.0.1", "localhost", "::1"].contains(bindHost) || bindHost.hasPrefix("127.")
    }
}
