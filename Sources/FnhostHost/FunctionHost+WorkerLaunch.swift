import FnhostManifest
import FnhostSimulation
import FnhostTraces
import FnhostWire
import Foundation
import Synchronization

extension FunctionHost {
    /// Starts one worker of `manifest` for its pool: a Runtime API endpoint of its own that only this worker may
    /// call, the process (through `fnhost-launch`), then waits for its first `next`, that is for its init to end.
    /// - Throws: ``WorkerStartFailure``, with how long the init ran, when the worker cannot be spawned, fails its
    ///   init, exits or does not ask for an event within the init timeout.
    func startWorker(_ manifest: FunctionManifest, provisioned: Bool) async throws -> Worker {
        let number = workerCounter.wrappingAdd(1, ordering: .relaxed).newValue
        let name = "\(manifest.name)-\(number)"
        let channel = RuntimeChannel()
        let logs = WorkerLogRouter(sink: sink, function: manifest.name, worker: name)
        let spawned = clock.now
        let server: RuntimeAPIServer
        let caller = WorkerReference()
        let verifier = PeerVerifier()
        let runtimeAPILedger = ConnectionLedger(
            listener: "runtime_api", limits: configuration.runtimeAPILimits, metrics: metrics)
        do {
            server = try await RuntimeAPIServer.start(
                channel: channel, verifier: verifier, ledger: runtimeAPILedger, on: executor.eventLoop
            ) {
                [weak self] function, call in
                guard let self else {
                    return InvokeAPIResponder.answer(
                        ServiceError(type: "ServiceException", status: 503, message: "host stopped"))
                }
                // A call from this worker to another function: its costs count toward this worker's invocation, and
                // its spans go into the caller's trace (through the caller's X-Amzn-Trace-Id, or else the one the
                // worker was given with its event).
                let link = TraceLink.continuing(
                    traceparent: nil, amznTraceID: call.traceHeader ?? caller.worker?.traceHeader, trigger: .invoke,
                    recordsTrace: false)
                return await InvokeAPIResponder(host: self, onResult: { caller.worker?.recordNested($0) })
                    .answer(function: function, call: call, trace: link)
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
            let spawnMs = (clock.now - spawned).inMilliseconds
            throw WorkerStartFailure(
                reason: .spawnFailed("\(error)"), initDurationMs: 0, spawnMs: spawnMs, workerName: name)
        }
        verifier.allow(pid: process.pid)
        let spawnMs = (clock.now - spawned).inMilliseconds
        let initTimer = Task {
            try await Task.sleep(for: configuration.initTimeout)
            channel.close(.timedOut)
        }
        defer { initTimer.cancel() }
        do {
            try await channel.waitReady()
        } catch {
            let initMs = (clock.now - spawned).inMilliseconds
            channel.close(.stopped)
            await process.kill()
            await server.stop()
            var reason = error as? WorkerStartError ?? .exited("\(error)")
            if case .initTimedOut = reason { reason = .initTimedOutAfter(configuration.initTimeout) }
            sink.platform(
                "INIT_REPORT Init Duration: \(LogLines.milliseconds(initMs)) ms\tPhase: init\tStatus: error\tError Type: \(reason.functionError.errorType)",
                function: manifest.name, requestID: nil)
            throw WorkerStartFailure(reason: reason, initDurationMs: initMs, spawnMs: spawnMs, workerName: name)
        }
        let initDurationMs = (clock.now - spawned).inMilliseconds
        // The simulated part of a cold start (placing and booting a sandbox), on top of the measured init.
        let coldStart = samplers[manifest.name]?.delay(.coldStart, function: manifest.name, index: number) ?? .zero
        try? await coldStart.sleep()
        let worker = Worker(
            id: number, name: name, function: manifest.name, initDurationMs: initDurationMs, spawnMs: spawnMs,
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
        // `{state}` in a granted value names fnhost's state folder (request-log's file lives there).
        for (k, v) in manifest.environment {
            env[k] = v.replacingOccurrences(of: "{state}", with: configuration.stateDirectory)
        }
        // Under a profile, the profile decides the reference store's latency; otherwise the manifest does.
        if let sampler = samplers[manifest.name] {
            env["FNHOST_REFERENCE_STORE_LATENCY"] =
                sampler.profile.distribution(.referenceStore, function: manifest.name).spec
        }
        return env
    }
}

/// The worker behind a Runtime API endpoint, set once the worker exists.
final class WorkerReference: @unchecked Sendable {
    // Written once, in `startWorker`, before the worker can receive an event (and so before it can call out).
    weak var worker: Worker?
}

/// A worker that could not be started, with how long its init ran (measured from the start, spawn included) and how
/// much of that was the spawn.
struct WorkerStartFailure: Error, CustomStringConvertible {
    var reason: WorkerStartError
    var initDurationMs: Double
    var spawnMs: Double = 0
    var workerName: String
    var description: String { reason.description }
}
