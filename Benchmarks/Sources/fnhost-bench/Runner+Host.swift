@_spi(Benchmark) import FnhostHost

#if canImport(Glibc)
import Glibc
#endif

/// fnhost's own figures through `FunctionHost`, in this process: warm invocations, cold starts, 64 at once.
extension Runner {
    /// A host over the scratch functions folder, profile `none` (no simulated delay), logs discarded.
    func makeHost(keepAlive: Double? = nil, tracing: Bool = true) throws -> FunctionHost {
        var configuration = HostConfiguration(
            functionsDirectory: functions, buildDirectory: build, keepAliveOverride: keepAlive,
            simulation: SimulationSettings(profile: "none")
        )
        configuration.tracing = tracing
        return try FunctionHost(configuration: configuration, sink: DiscardingLogSink())
    }

    /// One series of sequential invocations: each call's latency and `Duration` (µs), what a call cost in CPU, and
    /// the idle worker's resident size afterwards.
    struct WarmSeries {
        var latencies: [Double] = []
        var durations: [Double] = []
        var cost: PerCallCost?
        var idleWorkerKB: Int?

        var latency: Summary { Summary(latencies) }
        var duration: Summary { Summary(durations) }

        /// Several rounds as one series: all samples, the costs averaged over the rounds.
        static func merged(_ rounds: [WarmSeries]) -> WarmSeries {
            var all = WarmSeries()
            for r in rounds {
                all.latencies += r.latencies
                all.durations += r.durations
                all.idleWorkerKB = r.idleWorkerKB ?? all.idleWorkerKB
            }
            let costs = rounds.compactMap(\.cost)
            if !costs.isEmpty {
                let n = Double(costs.count)
                all.cost = PerCallCost(
                    hostCPUUs: costs.map(\.hostCPUUs).reduce(0, +) / n,
                    workerCPUUs: costs.map(\.workerCPUUs).reduce(0, +) / n,
                    hostSwitches: costs.map(\.hostSwitches).reduce(0, +) / n,
                    workerSwitches: costs.map(\.workerSwitches).reduce(0, +) / n)
            }
            return all
        }
    }

    /// Sequential invocations of `function` from this process, after a warm-up. The calling task runs on the host's
    /// executor (as `fnhost invoke` runs its calls) unless `onHostExecutor` is false.
    /// - Parameter pause: a pause before each call (not timed), so that the worker is already parked in `GET next`
    ///   when the event comes.
    func warmInvocations(
        _ host: FunctionHost, _ function: String, count: Int, pause: Duration = .zero, onHostExecutor: Bool = true
    ) async throws -> WarmSeries {
        try await withTaskExecutorPreference(onHostExecutor ? host.executor : nil) {
            try await warmSeries(host, function, count: count, pause: pause)
        }
    }

    private func warmSeries(_ host: FunctionHost, _ function: String, count: Int, pause: Duration) async throws
        -> WarmSeries
    {
        var latencies: [Double] = []
        var durations: [Double] = []
        latencies.reserveCapacity(count)
        durations.reserveCapacity(count)
        let total = count + counts.warmup(count)
        var before: (host: ProcessCost, worker: ProcessCost, pid: Int32)?
        for i in 0..<total {
            if i == total - count, let pid = await host.idleWorkers(function).first?.pid {
                before = (ProcessCost.ofSelf(), ProcessCost.of(pid), pid)
            }
            if pause > .zero { try await Task.sleep(for: pause) }
            let start = Monotonic.now()
            let result = try await host.invoke(function, payload: Self.payload)
            let elapsed = Monotonic.microseconds(since: start)
            guard case .success(let body) = result.outcome, Self.sameJSONObject(body, Self.payload) else {
                throw ProcessFailure(description: "\(function) did not echo its event: \(result.outcome)")
            }
            if i >= total - count {
                latencies.append(elapsed)
                durations.append(result.durationMs * 1000)
            }
        }
        var cost: PerCallCost?
        if let before {
            let host = ProcessCost.ofSelf() - before.host
            let worker = ProcessCost.of(before.pid) - before.worker
            cost = PerCallCost(
                hostCPUUs: host.cpuUs / Double(count), workerCPUUs: worker.cpuUs / Double(count),
                hostSwitches: host.switches / Double(count), workerSwitches: worker.switches / Double(count))
        }
        let idle = await host.idleWorkers(function).first?.residentKB()
        return WarmSeries(latencies: latencies, durations: durations, cost: cost, idleWorkerKB: idle)
    }

    /// The echo's keys may come back in another order: compare the bytes as sorted multisets (good enough for a
    /// flat object of distinct values).
    static func sameJSONObject(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.count == b.count && a.sorted() == b.sorted()
    }

    func warm() async throws {
        let host = try makeHost()
        // The warm series and the HTTP floor are measured in alternating rounds, so that both see the same moments of
        // this machine (its wakeup costs are bimodal and drift; see BENCHMARKS.md), and the goal compares medians
        // over the same minutes.
        let rounds = quick ? 1 : 5
        // The same calls on a host that makes no spans: the floor of what tracing adds to a warm invocation.
        let untraced = try makeHost(tracing: false)
        var untracedSeries: [WarmSeries] = []
        var floorSamples: [Double] = []
        var series: [String: [WarmSeries]] = [:]
        progress.begin(
            "warm invocation: \(rounds) rounds of \(counts.warmInvocations / rounds) sequential calls per worker in-process, each beside \(counts.httpRoundTrips / rounds) HTTP round trips"
        )
        for round in 0..<rounds {
            progress.detail("round \(round + 1) of \(rounds)")
            floorSamples += try httpRoundTripSamples(.runtime, count: counts.httpRoundTrips / rounds)
            for function in workers {
                series[function, default: []].append(
                    try await warmInvocations(host, function, count: counts.warmInvocations / rounds))
            }
            untracedSeries.append(try await warmInvocations(untraced, primary, count: counts.warmInvocations / rounds))
        }
        await untraced.shutdown()
        let untracedLatency = WarmSeries.merged(untracedSeries).latency
        let untracedFigure = Figure(
            id: "warm.latency.untraced", section: "warm invocation (in-process host, profile none)",
            label: "invoke → answer, \(primary), tracing off", unit: "µs", summary: untracedLatency,
            note: "the floor of tracing's cost: the same calls, in the same rounds, on a host with tracing off")
        report.add(untracedFigure)
        let traced = WarmSeries.merged(series[primary] ?? []).latency
        report.add(
            Figure(
                id: "warm.latency.traced", section: "warm invocation (in-process host, profile none)",
                label: "invoke → answer, \(primary), tracing on (spans kept in the store)", unit: "µs",
                summary: traced,
                note: "what tracing adds to a warm invocation: this median beside the tracing-off floor's (goal < 5 %)"
            )
            .against(untracedFigure, goal: .atMostTimesFloor(1.05)))
        report.add(
            Figure(
                id: "floor.http.warm", section: "warm invocation (in-process host, profile none)",
                label: "HTTP POST round trip, in rounds between the calls", unit: "µs", summary: Summary(floorSamples),
                note:
                    "the HTTP floor (LambdaRuntime's client → SwiftNIO) measured again in the same \(rounds) rounds as the warm calls: the floor the warm goal is held to"
            )
            .against(report.figure("floor.http")))
        for function in workers {
            let suffix = suffix(function)
            let label = function
            let merged = WarmSeries.merged(series[function] ?? [])
            let (latency, duration, idleKB, cost) = (merged.latency, merged.duration, merged.idleWorkerKB, merged.cost)
            let floor = report.figure("floor.http.warm")
            let primary = function == self.primary
            report.add(
                Figure(
                    id: "warm.latency\(suffix)", section: "warm invocation (in-process host, profile none)",
                    label: "invoke → answer, \(label)", unit: "µs", summary: latency,
                    note: primary
                        ? "FunctionHost.invoke from a task of this process on the host's executor (as `fnhost invoke` calls it), sequential; Swift worker (LambdaRuntime) behind its own Runtime API (SwiftNIO)"
                        : nil
                )
                .against(floor, goal: primary ? .atMostTimesFloor(2) : nil))
            report.add(
                Figure(
                    id: "warm.duration\(suffix)", section: "warm invocation (in-process host, profile none)",
                    label: "  of which Duration (event → answer)", unit: "µs", summary: duration
                )
                .against(floor))
            var p99Floor = floor
            p99Floor?.median = floor?.p99 ?? 0
            p99Floor?.label = "HTTP round trip p99"
            if primary {
                var p99 = Figure(
                    id: "warm.p99", section: "warm invocation (in-process host, profile none)",
                    label: "p99 invoke → answer, \(label)", unit: "µs", value: latency.p99, count: latency.count)
                p99.p99 = latency.p99
                report.add(p99.against(p99Floor))
            }
            if let cost {
                let section = "warm invocation (in-process host, profile none)"
                var hostCPU = Figure(
                    id: "warm.cpu-host\(suffix)", section: section, label: "  CPU per invocation, host process",
                    unit: "µs",
                    value: cost.hostCPUUs, count: counts.warmInvocations)
                hostCPU.note =
                    "user + system CPU of this process (getrusage) ÷ calls; \(Format.fixed(cost.hostSwitches, 1)) context switches per call"
                report.add(hostCPU)
                var workerCPU = Figure(
                    id: "warm.cpu-worker\(suffix)", section: section, label: "  CPU per invocation, worker process",
                    unit: "µs",
                    value: cost.workerCPUUs, count: counts.warmInvocations)
                workerCPU.note =
                    "the worker's user + system CPU (/proc/PID/stat) ÷ calls; \(Format.fixed(cost.workerSwitches, 1)) context switches per call"
                report.add(workerCPU)
            }
            if primary {
                let spaced = min(counts.warmInvocations, 1_000)
                progress.detail("\(spaced) calls 2 ms apart (the worker is already waiting in GET next)")
                let spacedSeries = try await warmInvocations(host, function, count: spaced, pause: .milliseconds(2))
                let (latency, duration) = (spacedSeries.latency, spacedSeries.duration)
                report.add(
                    Figure(
                        id: "warm.spaced", section: "warm invocation (in-process host, profile none)",
                        label: "invoke → answer, 2 ms apart", unit: "µs", summary: latency,
                        note:
                            "calls 2 ms apart: the worker is parked in GET next when the event comes, so its previous 202 and next GET are off the clock"
                    )
                    .against(floor))
                report.add(
                    Figure(
                        id: "warm.spaced-duration", section: "warm invocation (in-process host, profile none)",
                        label: "  of which Duration", unit: "µs", summary: duration
                    )
                    .against(floor))

                progress.detail("\(counts.warmInvocations) calls from a task on the global executor")
                let global = try await warmInvocations(
                    host, function, count: counts.warmInvocations, onHostExecutor: false)
                var globalFigure = Figure(
                    id: "warm.global", section: "warm invocation (in-process host, profile none)",
                    label: "invoke → answer, caller on the global executor", unit: "µs", summary: global.latency,
                    note:
                        "the same calls from a task that is not on the host's executor (as a Hummingbird handler in fnhost serve): the invocation hops onto the host's event loop and back, two thread wakeups"
                )
                if let cost = global.cost {
                    globalFigure.note! +=
                        "; host CPU \(Format.measurement(cost.hostCPUUs)) µs and \(Format.fixed(cost.hostSwitches, 1)) context switches per call"
                }
                report.add(globalFigure.against(floor))
            }
            if let idleKB {
                report.add(
                    Figure(
                        id: "memory.worker\(suffix)", section: "memory", label: "idle worker VmRSS, \(label)",
                        unit: "MB",
                        value: Double(idleKB) / 1024,
                        note: primary ? "after \(counts.warmInvocations) invocations" : nil
                    )
                    .against(report.figure("memory.trivial"), goal: primary ? .atMost(15) : nil))
            }
        }
        await host.shutdown()
    }

    /// `count` cold starts of `function` (after a warm-up): a new host for each, so each invocation starts a new
    /// worker; invoke once, shut it down. Each start's invoke → answer, Init Duration and first Duration, in ms.
    func coldStarts(_ function: String, count: Int) async throws -> (
        totals: [Double], inits: [Double], durations: [Double]
    ) {
        var totals: [Double] = []
        var inits: [Double] = []
        var durations: [Double] = []
        let warmup = quick ? 1 : 5
        for i in 0..<(count + warmup) {
            let host = try makeHost()
            let start = Monotonic.now()
            let result = try await host.invoke(function, payload: Self.payload)
            let elapsed = Monotonic.milliseconds(since: start)
            await host.shutdown()
            guard case .success = result.outcome, let initMs = result.initDurationMs else {
                throw ProcessFailure(
                    description: "\(function): the cold invocation failed or was not cold: \(result.outcome)")
            }
            if i >= warmup {
                totals.append(elapsed)
                inits.append(initMs)
                durations.append(result.durationMs)
            }
        }
        return (totals, inits, durations)
    }

    /// Cold starts: a new host for each (so each invocation starts a new worker), invoke once, shut it down.
    func cold() async throws {
        for function in workers {
            let suffix = suffix(function)
            let label = function
            progress.begin("cold start, \(label): \(counts.coldStarts) new workers, one after the other")
            let (totals, inits, durations) = try await coldStarts(function, count: counts.coldStarts)
            let section = "cold start (new worker, profile none)"
            let primary = function == self.primary
            report.add(
                Figure(
                    id: "cold.latency\(suffix)", section: section, label: "invoke → answer, new \(label) worker",
                    unit: "ms",
                    summary: Summary(totals),
                    note: primary
                        ? "a new FunctionHost per sample, so every invocation starts a worker: Runtime API server, spawn through fnhost-launch, init, first event"
                        : nil
                )
                .against(report.figure("floor.spawn"), goal: primary ? .atMostTimesFloor(3) : nil))
            report.add(
                Figure(
                    id: "cold.init\(suffix)", section: section, label: "  of which Init Duration", unit: "ms",
                    summary: Summary(inits),
                    note: primary
                        ? "REPORT's Init Duration: from starting the worker's Runtime API server until the worker's first GET next"
                        : nil
                )
                .against(report.figure("floor.spawn")))
            report.add(
                Figure(
                    id: "cold.duration\(suffix)", section: section, label: "  of which first Duration", unit: "ms",
                    summary: Summary(durations)))
        }
    }

    /// 64 invocations at once on a fresh host (64 workers start together), then again on the warm workers.
    func concurrent() async throws {
        let width = 64
        let function = primary
        progress.begin("64 concurrent invocations: \(counts.concurrentRounds) rounds on a fresh host, then warm")
        var errors = 0
        var coldRounds: [Double] = []
        var warmRounds: [Double] = []
        var workersSeen = 0
        var errorKinds: [String] = []
        for round in 0..<counts.concurrentRounds {
            let host = try makeHost()
            for phase in 0..<2 {
                let start = Monotonic.now()
                let failed = await withTaskGroup(of: String?.self) { group -> [String] in
                    for _ in 0..<width {
                        group.addTask {
                            do {
                                let result = try await host.invoke(function, payload: Self.payload)
                                if result.isError { return String(decoding: result.payload.prefix(300), as: UTF8.self) }
                                return nil
                            } catch {
                                return "\(error)"
                            }
                        }
                    }
                    var failed: [String] = []
                    for await failure in group { if let failure { failed.append(failure) } }
                    return failed
                }
                let failures = failed.count
                for why in Set(failed) where !errorKinds.contains(why) { errorKinds.append(why) }
                let elapsed = Monotonic.milliseconds(since: start)
                errors += failures
                if phase == 0 { coldRounds.append(elapsed) } else { warmRounds.append(elapsed) }
            }
            if let snapshot = await host.poolSnapshot(function) {
                workersSeen = max(workersSeen, snapshot.idle + snapshot.busy)
            }
            await host.shutdown()
            progress.detail("round \(round + 1): \(workersSeen) workers, \(errors) errors so far")
        }
        let section = "64 concurrent invocations (in-process host)"
        var cold = Figure(
            id: "concurrent.cold", section: section, label: "64 at once, all cold: wall time", unit: "ms",
            summary: Summary(coldRounds),
            note:
                "\(workersSeen) workers alive after a round; \(errors) errors in \(counts.concurrentRounds * 2 * width) invocations"
                + (errorKinds.isEmpty ? "" : ": " + errorKinds.prefix(3).joined(separator: "; ")))
        cold.errors = errors
        report.add(cold.against(nil, goal: .noErrors))
        report.add(
            Figure(
                id: "concurrent.warm", section: section, label: "64 at once, all warm: wall time", unit: "ms",
                summary: Summary(warmRounds)))
        var workers = Figure(
            id: "concurrent.workers", section: section, label: "workers started", unit: "", value: Double(workersSeen))
        workers.p99 = nil
        report.add(workers)
    }
}

/// CPU time and context switches of a process so far.
struct ProcessCost {
    var cpuUs: Double
    var switches: Double

    static func - (a: ProcessCost, b: ProcessCost) -> ProcessCost {
        ProcessCost(cpuUs: a.cpuUs - b.cpuUs, switches: a.switches - b.switches)
    }

    /// This process (all threads), from getrusage.
    static func ofSelf() -> ProcessCost {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let cpu =
            Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e6
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec)
        return ProcessCost(cpuUs: cpu, switches: Double(usage.ru_nvcsw + usage.ru_nivcsw))
    }

    /// Another process (all threads), from /proc: CPU from stat (clock ticks), switches summed over its threads.
    static func of(_ pid: Int32) -> ProcessCost {
        let cpu = Runner.cpuMicroseconds([pid])[pid] ?? 0
        var switches = 0
        for tid in (try? ProcFS.listDirectory("/proc/\(pid)/task")) ?? [] {
            let path = "/proc/\(pid)/task/\(tid)/status"
            switches +=
                (ProcFS.field(path, "voluntary_ctxt_switches:") ?? 0)
                + (ProcFS.field(path, "nonvoluntary_ctxt_switches:") ?? 0)
        }
        return ProcessCost(cpuUs: cpu, switches: Double(switches))
    }
}

/// What one warm invocation cost, averaged over a series.
struct PerCallCost {
    var hostCPUUs: Double
    var workerCPUUs: Double
    var hostSwitches: Double
    var workerSwitches: Double
}
