import FnhostManifest
import FnhostPool
import FnhostProfiles
import FnhostSimulation
import FnhostTraces
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The host: one pool of worker processes per function, and `invoke`, which runs an event on a warm worker or a
/// cold one, frames it with Lambda's log lines and measures it. `fnhost invoke`, `fnhost serve` and the tests
/// all drive it.
///
/// One concern per file:
/// - here, what the host holds: the manifests, one pool per function wired to start its workers, the samplers of
///   simulated overheads, and what can be asked of the pools;
/// - `FunctionHost+Invocation.swift`: running one invocation on a worker leased from its pool;
/// - `FunctionHost+Accounting.swift`: turning what the worker did into an ``InvocationResult``, Lambda's
///   `END`/`REPORT` lines, metrics and tallies;
/// - `FunctionHost+WorkerLaunch.swift`: starting a worker (its Runtime API endpoint, its process, its init);
/// - `FunctionHost+Lifecycle.swift`: provisioned concurrency, reaping idle workers, shutdown;
/// - `FunctionHost+Time.swift`: the clocks and time formats Lambda's lines and variables use.
public final class FunctionHost: Sendable {
    public let configuration: HostConfiguration
    public let functions: [String: FunctionManifest]
    let pools: [String: WorkerPool<Worker>]
    let lifeline: Lifeline
    let sink: any LogSink
    /// The path of `fnhost-launch`, which every worker starts through.
    let launcher: String
    let workerCounter = Atomic<Int>(0)
    let reaper = Mutex<Task<Void, Never>?>(nil)
    let clock = ContinuousClock()
    /// Every worker's invocation timeout, watched by one task.
    let deadlines = DeadlineWatcher()
    let identifiers = Identifiers()
    /// The event loop every worker's Runtime API lives on, as a task executor: `invoke` runs there.
    public let executor = HostExecutor()
    /// Per function: the sampler of its simulated overheads, or nil when it runs without a profile.
    let samplers: [String: OverheadSampler]
    let invocationCounter = Mutex<[String: Int]>([:])
    /// Cache outcomes the workers reported, per function and per worker.
    public let cacheTally = CacheTally()
    /// Requests and GB-seconds per function, for the estimated bill.
    public let usage = UsageTally()
    public let metrics: HostMetrics
    /// Each function's reserved concurrency now (the manifest's until PutFunctionConcurrency changes it).
    let reservations: Mutex<Reservations>
    /// The last traces (bounded) and the listeners of every finished one.
    public let traces: TraceRecorder

    /// Loads the manifests and prepares one empty pool per function; no worker starts until it is needed.
    public init(
        configuration: HostConfiguration, sink: any LogSink = StreamLogSink(), metrics: HostMetrics = HostMetrics()
    ) throws {
        self.configuration = configuration
        self.sink = sink
        self.metrics = metrics
        self.traces = TraceRecorder(capacity: configuration.traceCapacity)
        let manifests =
            try configuration.functions ?? ManifestLoader.loadAll(directory: configuration.functionsDirectory)
        self.functions = Dictionary(uniqueKeysWithValues: manifests.map { ($0.name, $0) })
        self.reservations = Mutex(Reservations(manifests.map { ($0.name, $0.reservedConcurrency) }))
        self.launcher = configuration.buildDirectory + "/fnhost-launch"
        guard access(launcher, X_OK) == 0 else { throw HostError.launcherMissing(launcher) }
        self.lifeline = try Lifeline()
        var samplers: [String: OverheadSampler] = [:]
        let loader = ProfileLoader()
        var loaded: [String: OverheadProfile] = [:]
        for manifest in manifests {
            guard let name = configuration.simulation.profile ?? manifest.profile else { continue }
            if loaded[name] == nil {
                do { loaded[name] = try loader.load(nameOrPath: name) } catch { throw HostError.profile(error) }
            }
            samplers[manifest.name] = OverheadSampler(
                profile: loaded[name]!, seed: configuration.simulation.seed,
                timeScale: configuration.simulation.timeScale)
        }
        self.samplers = samplers
        // A pool starts workers through the host, which does not exist yet while the pools are made.
        let ref = HostReference()
        var pools: [String: WorkerPool<Worker>] = [:]
        for manifest in manifests {
            let policy = PoolPolicy(
                maxConcurrency: manifest.reservedConcurrency ?? configuration.defaultConcurrency,
                maxWait: configuration.maxWait,
                keepAlive: .milliseconds(Int64((configuration.keepAliveOverride ?? manifest.keepAlive) * 1000))
            )
            pools[manifest.name] = WorkerPool(policy: policy) { provisioned in
                guard let host = ref.host else { throw HostError.notReady }
                return try await host.startWorker(manifest, provisioned: provisioned)
            }
        }
        self.pools = pools
        ref.host = self
        startReaper()
    }

    func pool(_ name: String) -> WorkerPool<Worker>? { pools[name] }

    /// Counts of one function's pool: idle, busy, starting and waiting.
    public func poolSnapshot(_ function: String) async -> (idle: Int, busy: Int, starting: Int, waiting: Int)? {
        await pool(function)?.snapshot
    }

    /// The idle workers of a function, most recently used first.
    public func idleWorkers(_ function: String) async -> [Worker] { await pool(function)?.idleWorkers ?? [] }

    /// Draws the next simulated delay of `component` for `function` (zero without a profile); used for the
    /// gateway's delay, which the host does not apply itself.
    public func simulatedDelay(_ component: OverheadComponent, function: String) -> SimulatedDelay {
        guard let sampler = samplers[function] else { return .zero }
        let index = invocationCounter.withLock { counters -> Int in
            let key = "\(function)#\(component.streamName)"
            defer { counters[key, default: 0] += 1 }
            return counters[key, default: 0]
        }
        return sampler.delay(component, function: function, index: index)
    }
}

/// A weak way back from the pools to the host that owns them.
final class HostReference: @unchecked Sendable {
    // Written once, in `FunctionHost.init`, before any pool can start a worker.
    weak var host: FunctionHost?
}
