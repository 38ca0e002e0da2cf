import FnhostManifest
import FnhostSimulation

#if canImport(Glibc)
import Glibc
#endif

/// Everything the host needs to know besides the manifests: where things are and host-wide limits.
/// The command line fills it from flags and `FNHOST_*` environment variables (flags win).
public struct HostConfiguration: Sendable {
    /// The folder holding one sub-folder per function, each with a `function.json`.
    public var functionsDirectory: String
    /// The functions themselves when they come from somewhere other than `functionsDirectory`'s manifests (a SAM
    /// template); nil: load every `function.json` under `functionsDirectory`.
    public var functions: [FunctionManifest]?
    /// Where the build products are (`{build}` in manifests) and where `fnhost-launch` lives.
    public var buildDirectory: String
    public var region: String
    /// The concurrency limit of a function without `reservedConcurrency`.
    public var defaultConcurrency: Int
    /// How long an invocation may wait for a worker when its function is at its limit; zero throttles at once.
    public var maxWait: Duration
    /// Overrides every manifest's `keepAlive` (seconds) when set.
    public var keepAliveOverride: Double?
    /// Extra variables every worker gets (fnhost's own settings).
    public var workerEnvironment: [String: String]
    /// The simulated overheads: which profile, which seed, how fast.
    public var simulation: SimulationSettings
    /// The shared cache tier (`redis://HOST:PORT[/DB]`), or nil for per-worker memory only.
    public var redisURL: String?
    /// How long a worker's init may take before it is killed (Lambda's cap: 10 seconds).
    public var initTimeout: Duration = .seconds(WorkerLimits.initTimeoutSeconds)
    /// The limits of each worker's Runtime API endpoint (timeouts and most connections, per endpoint).
    public var runtimeAPILimits: ListenerLimits = .runtimeAPIDefaults
    /// How many finished traces the host keeps in memory (`fnhost serve --trace-capacity`, `FNHOST_TRACE_CAPACITY`).
    public var traceCapacity: Int = 1000
    /// Whether invocations make spans at all (the benchmark's floor turns them off to measure what tracing adds).
    public var tracing = true
    /// fnhost's state folder (`{state}` in a manifest's `environment` values): `FNHOST_STATE_DIR`, else `.fnhost`
    /// in the current directory; `fnhost serve --state-dir` sets it. Absolute, so workers see the same folder.
    public var stateDirectory: String = HostConfiguration.absolute(
        getenv("FNHOST_STATE_DIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? ".fnhost")

    public init(
        functionsDirectory: String, buildDirectory: String = HostConfiguration.defaultBuildDirectory(),
        region: String = "us-east-1", defaultConcurrency: Int = 64, maxWait: Duration = .zero,
        keepAliveOverride: Double? = nil, workerEnvironment: [String: String] = [:],
        simulation: SimulationSettings = .init(), redisURL: String? = nil
    ) {
        self.functionsDirectory = Self.absolute(functionsDirectory)
        self.buildDirectory = buildDirectory
        self.region = region
        self.defaultConcurrency = defaultConcurrency
        self.maxWait = maxWait
        self.keepAliveOverride = keepAliveOverride
        self.workerEnvironment = workerEnvironment
        self.simulation = simulation
        self.redisURL = redisURL
    }

    /// A path made absolute against the current directory, so that workers (which run in their function's folder)
    /// and `LAMBDA_TASK_ROOT` never depend on where fnhost was started.
    public static func absolute(_ path: String) -> String {
        guard !path.hasPrefix("/") else { return path }
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return path }
        let cwd = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let trimmed = path.hasPrefix("./") ? String(path.dropFirst(2)) : path
        return trimmed.isEmpty || trimmed == "." ? cwd : cwd + "/" + trimmed
    }

    /// `FNHOST_BUILD_DIR`, else the folder of the running executable (SwiftPM puts every product side by side).
    public static func defaultBuildDirectory() -> String {
        if let dir = getenv("FNHOST_BUILD_DIR") { return String(cString: dir) }
        return executableDirectory()
    }

    /// The folder of the running executable, from /proc/self/exe.
    public static func executableDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return "." }
        let path = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return String(path[..<slash])
    }
}

/// How the host simulates Lambda's overheads on top of what it measures.
public struct SimulationSettings: Sendable {
    /// A profile for every function, overriding their manifests (from `--profile` or `FNHOST_PROFILE`): a built-in
    /// name or a file path. Nil: each manifest's `profile`, and without one no simulated delay at all.
    public var profile: String?
    /// Seeds every simulated delay, so the same seed gives the same delays run after run.
    public var seed: UInt64
    /// Real sleep = simulated delay × this factor; reports still speak in simulated milliseconds.
    public var timeScale: TimeScale

    public init(profile: String? = nil, seed: UInt64 = SimulationSettings.defaultSeed, timeScale: TimeScale = .realTime)
    {
        self.profile = profile
        self.seed = seed
        self.timeScale = timeScale
    }

    /// Runs are reproducible unless asked otherwise.
    public static let defaultSeed: UInt64 = 42
}
