import FnhostEventSources

/// One function's settings, as its `function.json` declares them: what starts its worker and how the pool
/// treats it. The host reads nothing else about a function.
public struct FunctionManifest: Sendable, Equatable {
    /// Lambda's function-name rules: letters, digits, `-` and `_`, at most 64 characters.
    public var name: String
    public var description: String
    /// The worker's command line. `{build}` stands for the directory of fnhost's build products; a relative
    /// program path is taken from the function's directory.
    public var command: [String]
    /// Passed to the worker as `_HANDLER`, as Lambda does.
    public var handler: String
    /// MB, 128–10,240; given to the worker as `AWS_LAMBDA_FUNCTION_MEMORY_SIZE` and printed in `REPORT`.
    public var memorySize: Int
    /// Seconds, 1–900 (Lambda's default 3): an invocation running longer is stopped and its worker discarded.
    public var timeout: Double
    /// Seconds an idle warm worker is kept before it is stopped (default 600, Lambda's observed 5–10 minutes).
    public var keepAlive: Double
    /// The most workers this function may have at once; `nil` means the host's limit.
    public var reservedConcurrency: Int?
    /// Workers started and initialised when `fnhost serve` starts, kept warm and never reaped (Lambda's
    /// provisioned concurrency); at most `reservedConcurrency`.
    public var provisionedConcurrency: Int
    /// HTTP routes that reach this function through the gateway, as API Gateway route keys
    /// (`GET /orgs/{orgId}`), as written: `fnhost serve` parses them when it builds its route table, and refuses a
    /// malformed one with this manifest's file, the field (`routes[N]`) and the reason.
    public var routes: [String]
    /// Variables the worker sees, on top of Lambda's own. Nothing else from the host's environment reaches it.
    public var environment: [String: String]
    /// The overhead profile this function runs under unless the command line or `FNHOST_PROFILE` names one:
    /// a built-in name (`none`, `lambda`, `lambda-vpc`) or a path to a profile file.
    public var profile: String?
    /// The worker's in-memory cache.
    public var cache: CacheConfiguration
    /// Queues and streams that feed this function in batches (`eventSources`): `fnhost serve` keeps a mapping for
    /// each, as Lambda's `CreateEventSourceMapping` would.
    public var eventSources: [EventSourceDeclaration] = []
    /// The Lambda runtime this function stands for (`provided.al2023` for fnhost's own functions; a template's
    /// `Runtime` for functions from one), as the control plane reports it.
    public var runtime: String = "provided.al2023"
    /// The folder the manifest was read from: the worker's `LAMBDA_TASK_ROOT` and working directory.
    public var directory: String
    /// The manifest file itself, for messages.
    public var file: String

    public init(
        name: String, description: String = "", command: [String], handler: String = "",
        memorySize: Int = FunctionManifest.defaultMemorySize, timeout: Double = FunctionManifest.defaultTimeout,
        keepAlive: Double = FunctionManifest.defaultKeepAlive, reservedConcurrency: Int? = nil,
        provisionedConcurrency: Int = 0, routes: [String] = [], environment: [String: String] = [:],
        profile: String? = nil, cache: CacheConfiguration = .init(),
        eventSources: [EventSourceDeclaration] = [], directory: String, file: String = ""
    ) {
        self.name = name
        self.description = description
        self.command = command
        self.handler = handler.isEmpty ? "\(name).handler" : handler
        self.memorySize = memorySize
        self.timeout = timeout
        self.keepAlive = keepAlive
        self.reservedConcurrency = reservedConcurrency
        self.provisionedConcurrency = provisionedConcurrency
        self.routes = routes
        self.environment = environment
        self.profile = profile
        self.cache = cache
        self.eventSources = eventSources
        self.directory = directory
        self.file = file.isEmpty ? directory + "/" + ManifestLoader.fileName : file
    }

    public static let defaultMemorySize = 128
    public static let defaultTimeout = 3.0
    public static let defaultKeepAlive = 600.0
}

/// A function's per-worker cache: how many entries each worker keeps and for how long. Passed to workers as
/// `FNHOST_CACHE_CAPACITY` and `FNHOST_CACHE_TTL_SECONDS`.
public struct CacheConfiguration: Sendable, Equatable {
    public var capacity: Int
    public var ttlSeconds: Double

    public init(capacity: Int = 10_000, ttlSeconds: Double = 300) {
        self.capacity = capacity
        self.ttlSeconds = ttlSeconds
    }
}
