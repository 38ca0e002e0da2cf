import FnhostManifest
import FnhostPool
import FnhostProfiles
import FnhostSimulation
import FnhostWire
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The host: one pool of worker processes per function, and `invoke`, which runs an event on a warm worker or a
/// cold one, frames it with Lambda's log lines and measures it. `fnhost invoke`, `fnhost serve` and the tests
/// all drive it.
public final class FunctionHost: Sendable {
    public let configuration: HostConfiguration
    public let functions: [String: FunctionManifest]
    let pools: [String: WorkerPool<Worker>]
    private let lifeline: Lifeline
    private let sink: any LogSink
    private let launcher: String
    private let workerCounter = Atomic<Int>(0)
    private let reaper = Mutex<Task<Void, Never>?>(nil)
    private let clock = ContinuousClock()
    /// Every worker's invocation timeout, watched by one task.
    private let deadlines = DeadlineWatcher()
    private let identifiers = Identifiers()
    /// The event loop every worker's Runtime API lives on, as a task executor: `invoke` runs there.
    public let executor = HostExecutor()
    /// Per function: the sampler of its simulated overheads, or nil when it runs without a profile.
    private let samplers: [String: OverheadSampler]
    private let invocationCounter = Mutex<[String: Int]>([:])
    /// Cache outcomes the workers reported, per function and per worker.
    public let cacheTally = CacheTally()
    /// Requests and GB-seconds per function, for the estimated bill.
    public let usage = UsageTally()

    /// Loads the manifests and prepares one empty pool per function; no worker starts until it is needed.
    public let metrics: HostMetrics

    public init(
        configuration: HostConfiguration, sink: any LogSink = StreamLogSink(), metrics: HostMetrics = HostMetrics()
    ) throws {
        self.configuration = configuration
        self.sink = sink
        self.metrics = metrics
        let manifests = try ManifestLoader.loadAll(directory: configuration.functionsDirectory)
        self.functions = Dictionary(uniqueKeysWithValues: manifests.map { ($0.name, $0) })
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
                profile: loaded[name]!, seed: configuration.simulation.seed, timeScale: configuration.simulation.timeScale)
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

    // MARK: Invoking

    /// Runs one synchronous (`RequestResponse`) invocation.
    /// - Throws: ``ServiceError`` when the request never reaches a function (unknown function, payload not JSON or
    ///   too large, throttled). A function's own failure is a result, not a throw, as in Lambda's Invoke API.
    /// - Parameter requestID: the id to run under (an async event keeps the id its 202 answer gave); new if nil.
    ///
    /// The invocation runs on the host's ``executor``; a caller already running there crosses no thread.
    public func invoke(
        _ name: String, payload: [UInt8], clientContext: String? = nil, requestID: String? = nil
    ) async throws(ServiceError) -> InvocationResult {
        try await withTaskExecutorPreference(executor) { () async throws(ServiceError) -> InvocationResult in
            try await invokeOnHostExecutor(name, payload: payload, clientContext: clientContext, requestID: requestID)
        }
    }

    private func invokeOnHostExecutor(
        _ name: String, payload: [UInt8], clientContext: String?, requestID: String?
    ) async throws(ServiceError) -> InvocationResult {
        guard let manifest = functions[name], let pool = pool(name) else { throw .notFound(function: name) }
        guard payload.count <= InvokeAPI.maxSyncPayloadBytes else {
            throw .tooLarge(size: payload.count, limit: InvokeAPI.maxSyncPayloadBytes)
        }
        let event = payload.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) ? Array("{}".utf8) : payload
        // Validated without building a tree: any JSON Lambda accepts (deep nesting, numbers beyond Double) passes.
        if let problem = JSONScanner(event).validationError(maxDepth: InvokeAPI.maxEventNesting) { throw .invalidContent(problem) }

        let called = clock.now
        let index = invocationCounter.withLock { counters -> Int in
            defer { counters[name, default: 0] += 1 }
            return counters[name, default: 0]
        }
        var lease: Lease<Worker>
        do {
            lease = try await pool.acquire()
            // A warm worker that died while idle is replaced before the event is handed over.
            while !lease.isColdStart && !lease.worker.isAlive {
                await pool.discard(lease.worker)
                lease = try await pool.acquire()
            }
        } catch {
            switch error {
            case .throttled(let limit):
                metrics.throttled(function: name)
                throw .throttled(function: name, limit: limit)
            case .shuttingDown: throw .serviceUnavailable("fnhost is shutting down")
            case .startFailed(let cause): return initFailure(manifest, cause)
            }
        }
        let worker = lease.worker
        let requestID = requestID ?? identifiers.requestID()
        let delivery = Delivery(
            requestID: requestID, payload: event,
            deadlineMs: Self.epochMilliseconds() + Int64(manifest.timeout * 1000),
            functionARN: ARN.function(name, region: configuration.region), traceID: identifiers.traceID(),
            clientContext: clientContext
        )
        // The simulated price of the hop (Lambda's frontend and placement), paid before the event reaches a worker.
        let overhead = samplers[name]?.delay(.invoke, function: name, index: index) ?? .zero
        try? await overhead.sleep()
        let coldStart = lease.isColdStart ? worker.simulatedColdStart : nil
        sink.platform(LogLines.start(requestID: requestID), function: name, requestID: requestID)
        let started = clock.now
        let (workerOutcome, lines) = await worker.run(delivery, timeout: .milliseconds(Int64(manifest.timeout * 1000)))
        var durationMs = Self.milliseconds(clock.now - started)

        var outcome: InvocationResult.Outcome
        var annotations: [String: String] = [:]
        var status: String? = nil
        switch workerOutcome {
        case .response(let body, let a):
            outcome = .success(body)
            annotations = a
            await pool.release(worker)
        case .functionError(let e, let a):
            outcome = .functionError(e)
            annotations = a
            status = "error"
            await pool.release(worker)
        case .exited(let why):
            outcome = .functionError(.exitError(requestID: requestID, why))
            status = "error"
            await pool.discard(worker)
        case .timedOut:
            outcome = .functionError(.timeout(seconds: manifest.timeout))
            durationMs = manifest.timeout * 1000
            status = "timeout"
            await pool.discard(worker)
        case .protocolViolation(let why):
            outcome = .functionError(FunctionError(errorMessage: why, errorType: "Runtime.InvalidResponse"))
            status = "error"
            await pool.discard(worker)
        }
        let peak = worker.peakMemoryMB()
        let nested = worker.takeNested()
        let slept = overhead.realDuration + (coldStart?.realDuration ?? .zero) + nested.realSleep
        let simulatedMs = overhead.simulatedMs + (coldStart?.simulatedMs ?? 0) + nested.simulatedMs
        let measuredLatencyMs = Self.milliseconds(clock.now - called - slept)
        var result = InvocationResult(
            requestID: requestID, function: name, outcome: outcome, durationMs: durationMs,
            initDurationMs: lease.isColdStart ? worker.initDurationMs : nil, workerName: worker.name,
            workerPID: worker.pid, memorySizeMB: manifest.memorySize, maxMemoryUsedMB: peak,
            annotations: annotations, log: [], status: status,
            simulation: samplers[name] == nil ? nil : InvocationResult.Simulated(
                profile: samplers[name]!.profile.name, coldStartMs: coldStart?.simulatedMs,
                invokeOverheadMs: overhead.simulatedMs),
            measuredLatencyMs: measuredLatencyMs, latencyMs: measuredLatencyMs + simulatedMs, realSleep: slept,
            simulatedDurationMs: durationMs - Self.milliseconds(nested.realSleep) + nested.simulatedMs
        )
        if let cache = annotations["fnhost-cache"] { cacheTally.record(cache, function: name, worker: worker.name) }
        var platformLines: [String] = []
        if case .functionError(let e) = outcome, !workerOutcome.isReportedByFunction {
            // A failure the platform saw (timeout, crash) is written to the log by the platform, as Lambda does.
            platformLines.append("\(Self.timestamp()) \(requestID) \(e.errorType == "Sandbox.Timedout" ? "" : e.errorType + ": ")\(e.errorMessage)")
            sink.platform(platformLines[0], function: name, requestID: requestID)
        }
        let end = LogLines.end(requestID: requestID)
        let report = LogLines.report(result.report)
        sink.platform(end, function: name, requestID: requestID)
        sink.platform(report, function: name, requestID: requestID)
        result.log = [LogLines.start(requestID: requestID)] + lines + platformLines + [end, report]
        metrics.invocation(result)
        usage.record(result)
        return result
    }

    /// An invocation whose worker failed to start: Lambda answers with the init error as a function error.
    private func initFailure(_ manifest: FunctionManifest, _ cause: any Error) -> InvocationResult {
        let failure = cause as? WorkerStartFailure
        let error = failure?.reason.functionError ?? FunctionError(errorMessage: "\(cause)", errorType: "Runtime.Unknown")
        let requestID = identifiers.requestID()
        var result = InvocationResult(
            requestID: requestID, function: manifest.name, outcome: .functionError(error), durationMs: 0,
            initDurationMs: failure?.initDurationMs ?? 0, workerName: failure?.workerName, workerPID: nil,
            memorySizeMB: manifest.memorySize, maxMemoryUsedMB: 0, annotations: [:], log: [], status: "error",
            simulation: nil, measuredLatencyMs: failure?.initDurationMs ?? 0, latencyMs: failure?.initDurationMs ?? 0,
            realSleep: .zero, simulatedDurationMs: 0
        )
        let lines = [
            LogLines.start(requestID: requestID),
            "\(Self.timestamp()) \(requestID) \(error.errorType): \(error.errorMessage)",
            LogLines.end(requestID: requestID),
            LogLines.report(result.report),
        ]
        for line in lines { sink.platform(line, function: manifest.name, requestID: requestID) }
        result.log = lines
        metrics.invocation(result)
        return result
    }

    // MARK: Workers

    private func startWorker(_ manifest: FunctionManifest, provisioned: Bool) async throws -> Worker {
        let number = workerCounter.wrappingAdd(1, ordering: .relaxed).newValue
        let name = "\(manifest.name)-\(number)"
        let channel = RuntimeChannel()
        let logs = WorkerLogRouter(sink: sink, function: manifest.name, worker: name)
        let spawned = clock.now
        let server: RuntimeAPIServer
        let caller = WorkerReference()
        let verifier = PeerVerifier()
        do {
            server = try await RuntimeAPIServer.start(channel: channel, verifier: verifier, on: executor.eventLoop) { [weak self] function, call in
                guard let self else {
                    return InvokeAPIResponder.answer(ServiceError(type: "ServiceException", status: 503, message: "host stopped"))
                }
                // A call from this worker to another function: its costs count toward this worker's invocation.
                return await InvokeAPIResponder(host: self, onResult: { caller.worker?.recordNested($0) })
                    .answer(function: function, call: call)
            }
        } catch {
            throw WorkerStartFailure(reason: .spawnFailed("\(error)"), initDurationMs: 0, workerName: name)
        }
        var environment = workerEnvironment(manifest, worker: name, port: server.port)
        if provisioned { environment[RuntimeAPI.Environment.initializationType] = "provisioned-concurrency" }
        let command = manifest.command.enumerated().map { i, part in
            var s = part.replacingOccurrences(of: "{build}", with: configuration.buildDirectory)
            if i == 0, !s.hasPrefix("/"), s.contains("/") { s = manifest.directory + "/" + s }
            return s
        }
        let process: WorkerProcess
        do {
            process = try await WorkerProcess.spawn(
                launcher: launcher, command: command, environment: environment, directory: manifest.directory,
                lifeline: lifeline, onLine: { logs.line($0) },
                onExit: { why in
                    // Only an exit nobody asked for is news; stopped and timed-out workers were killed on purpose.
                    if channel.close(.exited(why)) { logs.line("fnhost: worker \(name) exited unexpectedly (\(why))") }
                }
            )
        } catch {
            await server.stop()
            throw WorkerStartFailure(reason: .spawnFailed("\(error)"), initDurationMs: 0, workerName: name)
        }
        verifier.allow(pid: process.pid)
        let initTimer = Task {
            try await Task.sleep(for: configuration.initTimeout)
            channel.close(.timedOut)
        }
        defer { initTimer.cancel() }
        do {
            try await channel.waitReady()
        } catch {
            let initMs = Self.milliseconds(clock.now - spawned)
            channel.close(.stopped)
            await process.kill()
            await server.stop()
            var reason = error as? WorkerStartError ?? .exited("\(error)")
            if case .initTimedOut = reason { reason = .initTimedOutAfter(configuration.initTimeout) }
            sink.platform(
                "INIT_REPORT Init Duration: \(LogLines.milliseconds(initMs)) ms\tPhase: init\tStatus: error\tError Type: \(reason.functionError.errorType)",
                function: manifest.name, requestID: nil)
            throw WorkerStartFailure(reason: reason, initDurationMs: initMs, workerName: name)
        }
        let initDurationMs = Self.milliseconds(clock.now - spawned)
        // The simulated part of a cold start (placing and booting a sandbox), on top of the measured init.
        let coldStart = samplers[manifest.name]?.delay(.coldStart, function: manifest.name, index: number) ?? .zero
        try? await coldStart.sleep()
        let worker = Worker(
            id: number, name: name, function: manifest.name, initDurationMs: initDurationMs,
            simulatedColdStart: coldStart, process: process, server: server, channel: channel, logs: logs,
            deadlines: deadlines
        )
        caller.worker = worker
        return worker
    }

    /// Exactly what a worker sees: Lambda's variables, fnhost's, and what the manifest grants. Nothing of the
    /// host's own environment (credentials above all) is passed on.
    func workerEnvironment(_ manifest: FunctionManifest, worker: String, port: Int) -> [String: String] {
        var env: [String: String] = [
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "TZ": ":UTC",
            RuntimeAPI.Environment.runtimeAPI: "127.0.0.1:\(port)",
            RuntimeAPI.Environment.lambdaEndpoint: "http://127.0.0.1:\(port)",
            RuntimeAPI.Environment.handler: manifest.handler,
            RuntimeAPI.Environment.taskRoot: manifest.directory,
            RuntimeAPI.Environment.runtimeDir: configuration.buildDirectory,
            RuntimeAPI.Environment.functionName: manifest.name,
            RuntimeAPI.Environment.functionVersion: "$LATEST",
            RuntimeAPI.Environment.memorySize: String(manifest.memorySize),
            RuntimeAPI.Environment.logGroupName: "/aws/lambda/\(manifest.name)",
            RuntimeAPI.Environment.logStreamName: Self.logStreamName(),
            RuntimeAPI.Environment.region: configuration.region,
            RuntimeAPI.Environment.defaultRegion: configuration.region,
            RuntimeAPI.Environment.initializationType: "on-demand",
            "FNHOST_WORKER_ID": worker,
        ]
        env["FNHOST_CACHE_CAPACITY"] = String(manifest.cache.capacity)
        env["FNHOST_CACHE_TTL_SECONDS"] = String(manifest.cache.ttlSeconds)
        env["FNHOST_SEED"] = String(configuration.simulation.seed)
        env["FNHOST_TIME_SCALE"] = configuration.simulation.timeScale.description
        if let redis = configuration.redisURL { env["FNHOST_REDIS_URL"] = redis }
        for (k, v) in configuration.workerEnvironment { env[k] = v }
        for (k, v) in manifest.environment { env[k] = v }
        // Under a profile, the profile decides the reference store's latency; otherwise the manifest does.
        if let sampler = samplers[manifest.name] {
            env["FNHOST_REFERENCE_STORE_LATENCY"] = sampler.profile.distribution(.referenceStore, function: manifest.name).spec
        }
        return env
    }

    // MARK: Lifecycle

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

    /// Starts every function's provisioned concurrency (its workers initialised ahead of traffic, never reaped).
    /// Returns how many workers started.
    public func startProvisionedConcurrency() async throws -> Int {
        var started = 0
        for manifest in functions.values where manifest.provisionedConcurrency > 0 {
            do {
                try await pool(manifest.name)!.prewarm(manifest.provisionedConcurrency)
            } catch {
                throw HostError.provisioningFailed(function: manifest.name, reason: "\(error)")
            }
            started += manifest.provisionedConcurrency
        }
        return started
    }

    /// Stops idle workers whose keep-alive has run out, in every pool.
    public func reapIdleWorkers() async -> Int {
        var n = 0
        for pool in pools.values { n += await pool.reapIdle() }
        return n
    }

    /// Stops every worker and waits until they are gone. Invocations still waiting for a worker fail.
    public func shutdown() async {
        reaper.withLock { $0?.cancel() }
        defer { deadlines.stop() }
        await withTaskGroup(of: Void.self) { group in
            for pool in pools.values { group.addTask { await pool.shutdown() } }
        }
    }

    private func startReaper() {
        // Check often enough for the shortest keep-alive (experiments scale it down), at most once a second.
        let shortest = pools.values.map { $0.policy.keepAlive }.min() ?? .seconds(1)
        let interval = min(.seconds(1), max(.milliseconds(10), shortest / 4))
        let task = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard let self else { return }
                _ = await self.reapIdleWorkers()
            }
        }
        reaper.withLock { $0 = task }
    }

    // MARK: Helpers

    static func milliseconds(_ d: Duration) -> Double {
        let (s, attos) = d.components
        return Double(s) * 1000 + Double(attos) / 1e15
    }

    static func epochMilliseconds() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }

    static func timestamp() -> String {
        Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true)) + "Z"
    }

    static func logStreamName() -> String {
        let day = Date().formatted(.iso8601.year().month().day().dateSeparator(.dash)).replacingOccurrences(of: "-", with: "/")
        return "\(day)/[$LATEST]\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased())"
    }
}

/// A weak way back from the pools to the host that owns them.
final class HostReference: @unchecked Sendable {
    // Written once, in `FunctionHost.init`, before any pool can start a worker.
    weak var host: FunctionHost?
}

/// The worker behind a Runtime API endpoint, set once the worker exists.
final class WorkerReference: @unchecked Sendable {
    // Written once, in `startWorker`, before the worker can receive an event (and so before it can call out).
    weak var worker: Worker?
}

/// A worker that could not be started, with how long its init ran.
struct WorkerStartFailure: Error, CustomStringConvertible {
    var reason: WorkerStartError
    var initDurationMs: Double
    var workerName: String
    var description: String { reason.description }
}

/// Why the host could not be set up.
public enum HostError: Error, Sendable, CustomStringConvertible {
    case launcherMissing(String)
    case profile(ProfileError)
    case provisioningFailed(function: String, reason: String)
    case notReady

    public var description: String {
        switch self {
        case .launcherMissing(let path):
            "fnhost-launch was not found at \(path): build it with `swift build` (or set FNHOST_BUILD_DIR to the folder of the build products)"
        case .profile(let error): "\(error)"
        case .provisioningFailed(let function, let reason):
            "could not start the provisioned concurrency of \(function): \(reason)"
        case .notReady: "the host is not initialised"
        }
    }
}
