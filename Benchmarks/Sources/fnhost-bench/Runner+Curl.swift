@_spi(Benchmark) import FnhostHost

#if canImport(Glibc)
import Glibc
#endif

/// The libcurl A/B (issue 11, item 5): `bench-echo` with LambdaRuntime's own HTTP/1.1 client against
/// `bench-echo-curl`, the same function and the same static link with a Runtime API client on libcurl. Spawn until
/// `main()` prints, idle VmRSS and PSS, CPU per warm call, cold start; the two are measured in alternating rounds.
extension Runner {
    /// The two workers of the A/B: the worker's own client first, libcurl second.
    static let curlPair = (own: "bench-echo", curl: "bench-echo-curl")

    func curl() async throws {
        let pair = [Self.curlPair.own, Self.curlPair.curl]
        for binary in pair where !isExecutable("\(build)/\(binary)") {
            throw ProcessFailure(description: "\(build)/\(binary) is missing: build the Benchmarks package first")
        }
        let section = "libcurl A/B (bench-echo: own client vs libcurl)"
        let rounds = quick ? 1 : 5

        progress.begin(
            "libcurl A/B: spawn until main() prints, \(counts.spawns)× each, in \(rounds) alternating rounds")
        var spawn: [String: [Double]] = [:]
        for _ in 0..<rounds {
            for binary in pair {
                spawn[binary, default: []] += try spawnUntilLineSamples(
                    build + "/" + binary, [], environment: Self.bareEnvironment, count: max(1, counts.spawns / rounds))
            }
        }
        let spawnFloor = report.figure("floor.spawn")
        let ownSpawn = Figure(
            id: "curl.spawn.own", section: section, label: "spawn → main(), own client", unit: "ms",
            summary: Summary(spawn[Self.curlPair.own] ?? []),
            note: "posix_spawn until main() prints that it has no Runtime API: dynamic loading and runtime start")
        report.add(ownSpawn.against(spawnFloor))
        report.add(
            Figure(
                id: "curl.spawn.curl", section: section, label: "spawn → main(), libcurl", unit: "ms",
                summary: Summary(spawn[Self.curlPair.curl] ?? []),
                note: "libcurl's shared libraries loaded and relocated before main(); floor: the own client"
            )
            .against(ownSpawn))

        progress.begin("libcurl A/B: \(counts.warmInvocations) warm calls each, in \(rounds) alternating rounds")
        let host = try makeHost()
        var series: [String: [WarmSeries]] = [:]
        var idle: [String: (rss: Int, pss: Int)] = [:]
        for _ in 0..<rounds {
            for function in pair {
                series[function, default: []].append(
                    try await warmInvocations(host, function, count: max(1, counts.warmInvocations / rounds)))
                if let pid = await host.idleWorkers(function).first?.pid,
                    let rss = ProcFS.residentKB(pid), let pss = ProcFS.proportionalKB(pid)
                {
                    idle[function] = (rss, pss)
                }
            }
        }
        await host.shutdown()
        var ownFigures: [String: Figure] = [:]
        for function in pair {
            let tag = function == Self.curlPair.own ? "own" : "curl"
            let name = function == Self.curlPair.own ? "own client" : "libcurl"
            let merged = WarmSeries.merged(series[function] ?? [])
            var figures: [Figure] = [
                Figure(
                    id: "curl.warm.\(tag)", section: section, label: "warm invoke → answer, \(name)", unit: "µs",
                    summary: merged.latency)
            ]
            if let cost = merged.cost {
                var cpu = Figure(
                    id: "curl.cpu-worker.\(tag)", section: section, label: "  worker CPU per warm call, \(name)",
                    unit: "µs",
                    value: cost.workerCPUUs, count: counts.warmInvocations)
                cpu.note =
                    "user + system CPU of the worker (/proc/PID/stat) ÷ calls; \(Format.fixed(cost.workerSwitches, 1)) context switches per call"
                figures.append(cpu)
                var hostCPU = Figure(
                    id: "curl.cpu-host.\(tag)", section: section, label: "  host CPU per warm call, \(name)",
                    unit: "µs",
                    value: cost.hostCPUUs, count: counts.warmInvocations)
                hostCPU.note = "this process (the in-process host), getrusage ÷ calls"
                figures.append(hostCPU)
            }
            if let memory = idle[function] {
                figures.append(
                    Figure(
                        id: "curl.rss.\(tag)", section: section, label: "  idle worker VmRSS, \(name)", unit: "MB",
                        value: Double(memory.rss) / 1024))
                figures.append(
                    Figure(
                        id: "curl.pss.\(tag)", section: section, label: "  idle worker PSS, \(name)", unit: "MB",
                        value: Double(memory.pss) / 1024,
                        note: "shared pages divided among the processes that map them (smaps_rollup)"))
            }
            for figure in figures {
                if tag == "own" {
                    ownFigures[figure.id.replacingAll(".own", with: "")] = figure
                    report.add(figure)
                } else {
                    report.add(figure.against(ownFigures[figure.id.replacingAll(".curl", with: "")]))
                }
            }
        }

        progress.begin("libcurl A/B: cold start, \(counts.coldStarts) each, in \(rounds) alternating rounds")
        var cold: [String: [Double]] = [:]
        var inits: [String: [Double]] = [:]
        for _ in 0..<rounds {
            for function in pair {
                let starts = try await coldStarts(function, count: max(1, counts.coldStarts / rounds))
                cold[function, default: []] += starts.totals
                inits[function, default: []] += starts.inits
            }
        }
        let ownCold = Figure(
            id: "curl.cold.own", section: section, label: "cold invoke → answer, own client", unit: "ms",
            summary: Summary(cold[Self.curlPair.own] ?? []),
            note: "a new FunctionHost per sample: Runtime API server, spawn through fnhost-launch, init, first event")
        report.add(ownCold.against(spawnFloor))
        report.add(
            Figure(
                id: "curl.cold.curl", section: section, label: "cold invoke → answer, libcurl", unit: "ms",
                summary: Summary(cold[Self.curlPair.curl] ?? [])
            )
            .against(ownCold))
        let ownInit = Figure(
            id: "curl.init.own", section: section, label: "  of which Init Duration, own client", unit: "ms",
            summary: Summary(inits[Self.curlPair.own] ?? []))
        report.add(ownInit)
        report.add(
            Figure(
                id: "curl.init.curl", section: section, label: "  of which Init Duration, libcurl", unit: "ms",
                summary: Summary(inits[Self.curlPair.curl] ?? [])
            )
            .against(ownInit))
    }
}
