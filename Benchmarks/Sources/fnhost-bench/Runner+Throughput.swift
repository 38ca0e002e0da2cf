@_spi(Benchmark) import FnhostHost
import FnhostWire

#if canImport(Glibc)
import Glibc
#endif

/// Throughput: `fnhost serve` (the release binary) under wrk beside the bare Hummingbird hello-world under the same
/// wrk, in the same run, at 1, 16 and 64 connections; then the host's resident size with its warm workers.
extension Runner {
    /// One wrk run, as its Lua `done()` hook reports it.
    struct WrkResult {
        var requests: Int
        var seconds: Double
        var errors: Int
        var p50Ms: Double
        var p99Ms: Double
        /// CPU time the server process spent per request (user + system, µs), and for fnhost its workers'.
        var serverCPUPerRequestUs: Double = 0
        var workerCPUPerRequestUs: Double = 0
        var requestsPerSecond: Double { seconds > 0 ? Double(requests) / seconds : 0 }
    }

    /// What wrk drives: a label, a URL and a script (POST or GET).
    struct WrkTarget {
        var id: String
        var label: String
        var url: String
        var script: String
        /// The server's pid, and whether its children are workers whose CPU counts too.
        var serverPID: Int32
        var hasWorkers: Bool
    }

    /// The Lua hook that prints wrk's summary in one parseable line (latencies in µs).
    static let wrkDone = """
        done = function(summary, latency, requests)
          local e = summary.errors
          io.write(string.format("FNHOST-BENCH requests=%d duration_us=%d connect=%d read=%d write=%d status=%d timeout=%d p50_us=%.1f p99_us=%.1f\\n",
            summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
            latency:percentile(50), latency:percentile(99)))
        end
        """

    func throughput() async throws {
        guard let wrk = which("wrk") else {
            problem("wrk is not installed (Debian package wrk): throughput not measured; scripts/bench installs it")
            return
        }
        let peerPort = try startPeerHTTP()
        progress.begin("fnhost serve: starting the release binary on a free port")
        let (serve, servePort) = try startServe()
        let body = String(decoding: Self.payload, as: UTF8.self).replacingAll("\"", with: "\\\"")
        let post = scratch + "/post.lua"
        try writeFile(
            post,
            """
            wrk.method = "POST"
            wrk.body = "\(body)"
            wrk.headers["Content-Type"] = "application/json"
            \(Self.wrkDone)
            """)
        let get = scratch + "/get.lua"
        try writeFile(get, Self.wrkDone)
        let invokePath = InvokeAPI.path(function: primary)
        let peerPID = peerHTTP?.child.pid ?? 0
        let targets = [
            WrkTarget(
                id: "hello-post", label: "Hummingbird hello-world, POST echo",
                url: "http://127.0.0.1:\(peerPort)\(invokePath)",
                script: post, serverPID: peerPID, hasWorkers: false),
            WrkTarget(
                id: "invoke", label: "fnhost serve, Invoke API POST", url: "http://127.0.0.1:\(servePort)\(invokePath)",
                script: post, serverPID: serve.pid, hasWorkers: true),
            WrkTarget(
                id: "hello-get", label: "Hummingbird hello-world, GET /", url: "http://127.0.0.1:\(peerPort)/",
                script: get, serverPID: peerPID, hasWorkers: false),
            WrkTarget(
                id: "gateway", label: "fnhost serve, gateway GET /bench-echo",
                url: "http://127.0.0.1:\(servePort)/bench-echo",
                script: get, serverPID: serve.pid, hasWorkers: true),
        ]
        let section = "throughput (wrk, fnhost serve vs bare Hummingbird)"
        for connections in counts.wrkConnections {
            progress.begin(
                "wrk at \(connections) connection\(connections == 1 ? "" : "s"): \(targets.count) targets × \(counts.wrkRounds) rounds of \(counts.wrkSeconds) s"
            )
            let threads = min(2, connections)
            if counts.wrkWarmupSeconds > 0 {
                for target in targets {
                    _ = try runWrk(
                        wrk, target, connections: connections, threads: threads, seconds: counts.wrkWarmupSeconds)
                }
            }
            var results: [String: [WrkResult]] = [:]
            for round in 0..<counts.wrkRounds {
                // Rounds interleave the targets, so that a change in the machine's load hits all of them alike.
                for target in targets {
                    let r = try runWrk(
                        wrk, target, connections: connections, threads: threads, seconds: counts.wrkSeconds)
                    results[target.id, default: []].append(r)
                    progress.detail(
                        "round \(round + 1) \(target.label): \(Format.fixed(r.requestsPerSecond, 0)) req/s, p99 \(Format.measurement(r.p99Ms)) ms, \(r.errors) errors"
                    )
                }
            }
            func figure(_ target: WrkTarget) -> Figure {
                let runs = results[target.id] ?? []
                var f = Figure(
                    id: "throughput.\(target.id).\(connections)", section: section,
                    label: "\(target.label), \(connections) conn", unit: "req/s",
                    summary: Summary(runs.map(\.requestsPerSecond)))
                f.p99 = nil
                f.errors = runs.map(\.errors).reduce(0, +)
                f.latencyP50Ms = Summary(runs.map(\.p50Ms)).median
                f.latencyP99Ms = Summary(runs.map(\.p99Ms)).median
                return f
            }
            let helloPost = figure(targets[0])
            let helloGet = figure(targets[2])
            report.add(helloPost)
            report.add(
                figure(targets[1]).against(helloPost, goal: connections == 64 ? .atLeastFractionOfFloor(0.4) : nil))
            report.add(helloGet)
            report.add(
                figure(targets[3]).against(helloGet, goal: connections == 64 ? .atLeastFractionOfFloor(0.4) : nil))
            if connections == 64 {
                // What each request cost in CPU: the throughput ratio is mostly this ratio on a 2-core machine.
                for (fnhostID, helloID) in [("invoke", "hello-post"), ("gateway", "hello-get")] {
                    let hello = Summary((results[helloID] ?? []).map(\.serverCPUPerRequestUs))
                    let host = Summary((results[fnhostID] ?? []).map(\.serverCPUPerRequestUs))
                    let workers = Summary((results[fnhostID] ?? []).map(\.workerCPUPerRequestUs))
                    let total = Summary(
                        (results[fnhostID] ?? []).map { $0.serverCPUPerRequestUs + $0.workerCPUPerRequestUs })
                    var helloFigure = Figure(
                        id: "cpu.\(helloID).64", section: section,
                        label: "CPU per request, hello-world (\(helloID == "hello-post" ? "POST" : "GET"))",
                        unit: "µs", value: hello.median, count: hello.count)
                    helloFigure.note =
                        helloID == "hello-post"
                        ? "user + system CPU of the server process(es) during the 64-connection rounds ÷ requests (from /proc/PID/stat)"
                        : nil
                    report.add(helloFigure)
                    var totalFigure = Figure(
                        id: "cpu.\(fnhostID).64", section: section,
                        label:
                            "CPU per request, fnhost \(fnhostID == "invoke" ? "Invoke API" : "gateway"): host + workers",
                        unit: "µs", value: total.median, count: total.count)
                    totalFigure.note =
                        "host \(Format.measurement(host.median)) µs + workers \(Format.measurement(workers.median)) µs"
                    report.add(totalFigure.against(helloFigure))
                }
                // The ceiling of any design that hands each request to a second process over HTTP: the
                // hello-world's own CPU per request plus one round trip's (client + server), measured in the floors.
                if let hop = httpRoundTripCPUUs, let hello = report.figure("cpu.hello-get.64"), hello.median > 0 {
                    var ceiling = Figure(
                        id: "throughput.ceiling.64", section: section,
                        label: "ceiling: hello-world + one HTTP hop to a 2nd process", unit: "%",
                        value: 100 * hello.median / (hello.median + hop))
                    ceiling.p99 = nil
                    ceiling.note =
                        "hello-world GET \(Format.measurement(hello.median)) µs ÷ (that + one HTTP round trip's client and server CPU, \(Format.measurement(hop)) µs): the share of the hello-world's throughput a CPU-bound gateway that adds exactly one hop could keep"
                    report.add(ceiling)
                }
                var errors = Figure(
                    id: "throughput.errors.64", section: section, label: "fnhost errors at 64 connections",
                    unit: "",
                    value: Double(
                        (results["invoke"] ?? []).map(\.errors).reduce(0, +)
                            + (results["gateway"] ?? []).map(\.errors).reduce(0, +)))
                errors.errors = Int(errors.median)
                report.add(errors.against(nil, goal: .noErrors))
            }
        }

        progress.begin("memory: fnhost serve with its warm workers, the hello-world")
        let workers = ProcFS.children(serve.pid).filter { ProcFS.executable($0)?.hasSuffix("/" + primary) == true }
        let hostKB = ProcFS.residentKB(serve.pid) ?? 0
        let workerRSS = workers.compactMap { ProcFS.residentKB($0) }
        let workerPSS = workers.compactMap { ProcFS.proportionalKB($0) }
        let peerKB = peerHTTP.flatMap { ProcFS.residentKB($0.child.pid) } ?? 0
        let helloFloor = Figure(
            id: "memory.hello", section: "memory", label: "Hummingbird hello-world VmRSS (after wrk)", unit: "MB",
            value: Double(peerKB) / 1024)
        report.add(helloFloor)
        report.add(
            Figure(
                id: "memory.host", section: "memory", label: "fnhost serve VmRSS, \(workers.count) warm workers",
                unit: "MB",
                value: Double(hostKB) / 1024,
                note:
                    "the host process alone, after the 64-connection runs; its \(workers.count) \(primary) workers: VmRSS \(Format.measurement(Double(workerRSS.reduce(0, +)) / 1024)) MB in all (PSS \(Format.measurement(Double(workerPSS.reduce(0, +)) / 1024)) MB: shared libraries counted once)"
            )
            .against(helloFloor, goal: .atMost(80)))
        if !workerRSS.isEmpty {
            report.add(
                Figure(
                    id: "memory.serve-worker", section: "memory",
                    label: "idle worker VmRSS under serve (median of \(workerRSS.count))",
                    unit: "MB", summary: Summary(workerRSS.map { Double($0) / 1024 })))
            report.add(
                Figure(
                    id: "memory.serve-worker-pss", section: "memory", label: "idle worker PSS under serve (median)",
                    unit: "MB", summary: Summary(workerPSS.map { Double($0) / 1024 })))
        }
    }

    /// Starts `fnhost serve --port 0` (through fnhost-launch, so that it dies with the runner) and reads its port
    /// from the banner.
    func startServe() throws -> (Child, Int) {
        let log = scratch + "/serve.log"
        let fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ProcessFailure(description: "cannot create \(log)") }
        let lifeline = try Pipe()
        let child = try Child.spawn(
            build + "/fnhost-launch",
            [
                build + "/fnhost", "serve", "--port", "0", "--functions", functions, "--profile", "none",
                "--state-dir", scratch + "/state",
            ],
            stdin: .fd(lifeline.read), stdout: .fd(fd), stderr: .fd(fd), newGroup: true, label: "fnhost serve")
        close(fd)
        lifeline.closeRead()
        atEnd {
            child.stop(group: false, graceMs: 5_000)
            lifeline.closeWrite()
            child.signal(SIGKILL, group: true)
        }
        let deadline = Monotonic.now() + 30_000_000_000
        while Monotonic.now() < deadline {
            let text = (try? ProcFS.readFile(log)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.contains("listening on http://") }),
                let colon = line.lastIndex(of: ":"), let port = Int(line[line.index(after: colon)...].strippingSpaces)
            {
                return (child, port)
            }
            if child.hasExited() { throw ProcessFailure(description: "fnhost serve exited: \(text)") }
            usleep(20_000)
        }
        throw ProcessFailure(description: "fnhost serve did not start within 30 s")
    }

    /// Runs wrk once and reads the line its `done()` hook prints.
    func runWrk(_ wrk: String, _ target: WrkTarget, connections: Int, threads: Int, seconds: Int) throws -> WrkResult {
        // Requests the previous run left in flight (wrk stops at its deadline without waiting for them) still hold
        // workers for a moment; at 64 connections the next run would be throttled by them. Let them finish.
        usleep(300_000)
        let workersBefore = target.hasWorkers ? Self.cpuMicroseconds(ProcFS.children(target.serverPID)) : [:]
        let serverBefore = Self.cpuMicroseconds([target.serverPID])[target.serverPID] ?? 0
        let output = try Pipe()
        let child = try Child.spawn(
            wrk,
            [
                "-t", String(threads), "-c", String(connections), "-d", "\(seconds)s", "--timeout", "5s", "-s",
                target.script, target.url,
            ],
            stdout: .fd(output.write), stderr: .fd(output.write), label: "wrk")
        output.closeWrite()
        var reader = LineReader(fd: output.read)
        var all: [String] = []
        var result: WrkResult?
        while let line = reader.next(timeoutMs: (seconds + 30) * 1000) {
            all.append(line)
            guard line.hasPrefix("FNHOST-BENCH ") else { continue }
            var fields: [String: Double] = [:]
            for pair in line.split(separator: " ").dropFirst() {
                let kv = pair.split(separator: "=", maxSplits: 1)
                if kv.count == 2, let v = Double(kv[1]) { fields[String(kv[0])] = v }
            }
            let errors = ["connect", "read", "write", "status", "timeout"].map { Int(fields[$0] ?? 0) }.reduce(0, +)
            result = WrkResult(
                requests: Int(fields["requests"] ?? 0), seconds: (fields["duration_us"] ?? 0) / 1e6, errors: errors,
                p50Ms: (fields["p50_us"] ?? 0) / 1000, p99Ms: (fields["p99_us"] ?? 0) / 1000)
        }
        output.closeRead()
        child.wait()
        guard var result else {
            throw ProcessFailure(
                description: "wrk printed no summary for \(target.url):\n" + all.joined(separator: "\n"))
        }
        let serverAfter = Self.cpuMicroseconds([target.serverPID])[target.serverPID] ?? 0
        var workerCPU = 0.0
        if target.hasWorkers {
            for (pid, after) in Self.cpuMicroseconds(ProcFS.children(target.serverPID)) {
                workerCPU += after - (workersBefore[pid] ?? 0)
            }
        }
        let requests = Double(max(1, result.requests))
        result.serverCPUPerRequestUs = (serverAfter - serverBefore) / requests
        result.workerCPUPerRequestUs = workerCPU / requests
        return result
    }

    /// User + system CPU time of each process so far, in µs (/proc/PID/stat, clock ticks).
    static func cpuMicroseconds(_ pids: [Int32]) -> [Int32: Double] {
        let tick = 1e6 / Double(sysconf(Int32(_SC_CLK_TCK)))
        var result: [Int32: Double] = [:]
        for pid in pids {
            guard let text = try? ProcFS.readFile("/proc/\(pid)/stat"), let close = text.lastIndex(of: ")") else {
                continue
            }
            let fields = text[text.index(after: close)...].split(separator: " ")
            // After the command: state (0), ... utime (11), stime (12).
            guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { continue }
            result[pid] = (user + system) * tick
        }
        return result
    }
}
