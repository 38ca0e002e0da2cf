import BenchIO
import CBenchSpawn
import CurlClient
@_spi(Benchmark) import FnhostHost
@_spi(Benchmark) import LambdaRuntime
import Subprocess

#if canImport(Glibc)
import Glibc
#endif
#if canImport(System)
import System
#else
import SystemPackage
#endif

/// The floors: what this machine costs before fnhost does anything, measured in the same run as fnhost's figures.
extension Runner {
    /// The payload of every request/response figure: a small JSON event.
    static let payload = Array(#"{"orgId":"ORG-0042","message":"hello, world","n":42}"#.utf8)

    /// The environment of a worker binary started outside fnhost (it only needs PATH to say it has no Runtime API).
    static let bareEnvironment = ["PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"]

    func floors() async throws {
        progress.begin(
            "floor: spawn a trivial Swift executable until it prints a line (\(counts.spawns)×, posix_spawn)")
        let trivial = try spawnUntilLine(build + "/fnhost-bench-trivial", [])
        report.add(
            Figure(
                id: "floor.spawn", section: "floors", label: "spawn → first line, trivial Swift exe", unit: "ms",
                summary: trivial,
                note:
                    "posix_spawn (vfork) of fnhost-bench-trivial (no Foundation, dynamic stdlib) until its line is read"
            ))

        progress.begin("spawn breakdown: launcher, Subprocess, worker binaries (\(counts.spawns)× each)")
        let launched = try spawnUntilLine(build + "/fnhost-launch", [build + "/fnhost-bench-trivial"], lifeline: true)
        report.add(
            Figure(
                id: "spawn.launcher", section: "floors", label: "  … through fnhost-launch", unit: "ms",
                summary: launched,
                note:
                    "the same, started as fnhost starts workers: fnhost-launch (fork watcher + exec), lifeline pipe on stdin"
            )
            .against(report.figure("floor.spawn")))
        let subprocess = try await spawnWithSubprocess(build + "/fnhost-bench-trivial")
        report.add(
            Figure(
                id: "spawn.subprocess", section: "floors", label: "  … through swift-subprocess", unit: "ms",
                summary: subprocess,
                note:
                    "Subprocess.run (what WorkerProcess uses) of the trivial exe, until its first line arrives in the body"
            )
            .against(report.figure("floor.spawn")))
        let peerLine = try spawnUntilLine(build + "/fnhost-bench-peer", ["line"])
        report.add(
            Figure(
                id: "spawn.peer", section: "floors", label: "  … exe linking Hummingbird+Foundation", unit: "ms",
                summary: peerLine
            )
            .against(report.figure("floor.spawn")))
        for worker in workers {
            let toMain = try spawnUntilLine(build + "/" + worker, [], environment: Self.bareEnvironment)
            report.add(
                Figure(
                    id: "spawn.worker\(suffix(worker))", section: "floors", label: "  … \(worker) worker to main()",
                    unit: "ms",
                    summary: toMain,
                    note: worker == primary
                        ? "the worker binary until main() prints (no Runtime API given: it says so and exits): dynamic loading and runtime start"
                        : nil
                )
                .against(report.figure("floor.spawn")))
        }

        progress.begin("floor: framed request/response over a pipe (\(counts.pipeRoundTrips)×)")
        let pipe = try pipeRoundTrips()
        report.add(
            Figure(
                id: "floor.pipe", section: "floors", label: "framed round trip over a pipe", unit: "µs", summary: pipe,
                note:
                    "4-byte length + \(Self.payload.count)-byte payload to fnhost-bench-peer echo-framed and back, blocking read/write"
            ))

        progress.begin(
            "floor: HTTP round trip on loopback, fnhost's runtime client → SwiftNIO (\(counts.httpRoundTrips)×)")
        let http = try httpRoundTrips(.runtime)
        report.add(
            Figure(
                id: "floor.http", section: "floors", label: "HTTP POST round trip on loopback", unit: "µs",
                summary: http,
                note:
                    "LambdaRuntime's HTTP client (what every worker uses), one keep-alive connection → fnhost-bench-peer nio (SwiftNIO HTTP/1.1 answering on the event loop, as fnhost's Runtime API does) echoing a \(Self.payload.count)-byte JSON body"
            ))
        if let cpu = httpRoundTripCPUUs {
            report.add(
                Figure(
                    id: "floor.http.cpu", section: "floors", label: "  CPU per HTTP round trip, client + server",
                    unit: "µs", value: cpu,
                    count: counts.httpRoundTrips,
                    note:
                        "user + system CPU of this process (getrusage) and of the peer (/proc/PID/stat) during the series ÷ round trips: what one hop to another process costs, whoever makes it"
                ))
        }
        progress.begin("floor: HTTP round trip on loopback, libcurl → Hummingbird (\(counts.httpRoundTrips)×)")
        let curl = try httpRoundTrips(.libcurl)
        report.add(
            Figure(
                id: "floor.http.libcurl", section: "floors", label: "  … libcurl → Hummingbird", unit: "µs",
                summary: curl,
                note:
                    "libcurl, one reused handle → fnhost-bench-peer http (Hummingbird, an async handler per request): the client and server fnhost's Runtime API used before issue 6"
            )
            .against(report.figure("floor.http")))

        // On a VM a wakeup that crosses to another (idle) vCPU costs far more than a switch on the same one, and the
        // scheduler decides which happens: measure both on purpose, so that a run says which regime it was in.
        if report.machine.cpus >= 2 {
            progress.begin("floors pinned: both ends on one CPU, then on two different CPUs")
            for (id, label, mine, peers) in [
                ("same-cpu", "both on CPU 0", Int32(0), Int32(0)), ("cross-cpu", "on CPUs 0 and 1", Int32(0), Int32(1)),
            ] {
                let pipePinned = try pinned(runner: mine, peer: peers) { try pipeRoundTrips() }
                report.add(
                    Figure(
                        id: "floor.pipe.\(id)", section: "floors", label: "  pipe round trip, \(label)", unit: "µs",
                        summary: pipePinned
                    )
                    .against(report.figure("floor.pipe")))
            }
            for (id, label, mine, peers) in [
                ("same-cpu", "both on CPU 0", Int32(0), Int32(0)), ("cross-cpu", "on CPUs 0 and 1", Int32(0), Int32(1)),
            ] {
                let httpPinned = try pinned(runner: mine, peer: peers) { try httpRoundTrips(.runtime) }
                report.add(
                    Figure(
                        id: "floor.http.\(id)", section: "floors", label: "  HTTP round trip, \(label)", unit: "µs",
                        summary: httpPinned
                    )
                    .against(report.figure("floor.http")))
            }
        }
    }

    /// Spawns `path` `counts.spawns` times (after a warm-up) and times each until its first line is read.
    /// - Parameter lifeline: give it a pipe as stdin whose write end the runner holds (as fnhost-launch expects).
    func spawnUntilLine(
        _ path: String, _ arguments: [String], environment: [String: String]? = nil, lifeline: Bool = false
    ) throws -> Summary {
        Summary(
            try spawnUntilLineSamples(
                path, arguments, environment: environment, lifeline: lifeline, count: counts.spawns))
    }

    /// `count` spawns of `path` (after a warm-up), each one's time until its first line is read, in ms.
    func spawnUntilLineSamples(
        _ path: String, _ arguments: [String], environment: [String: String]? = nil, lifeline: Bool = false, count: Int
    ) throws -> [Double] {
        var samples: [Double] = []
        let total = count + max(1, counts.warmup(count) / 2)
        for i in 0..<total {
            let output = try Pipe()
            let input = lifeline ? try Pipe() : nil
            let start = Monotonic.now()
            let child = try Child.spawn(
                path, arguments, environment: environment, stdin: input.map { .fd($0.read) } ?? .null,
                stdout: .fd(output.write), stderr: .null)
            output.closeWrite()
            input?.closeRead()
            var reader = LineReader(fd: output.read)
            let line = reader.next(timeoutMs: 10_000)
            let elapsed = Monotonic.milliseconds(since: start)
            input?.closeWrite()
            output.closeRead()
            child.wait()
            guard line != nil else { throw ProcessFailure(description: "\(path) printed nothing") }
            if i >= total - count { samples.append(elapsed) }
        }
        return samples
    }

    /// Spawns `path` through swift-subprocess and times each start until the first line of output arrives.
    func spawnWithSubprocess(_ path: String) async throws -> Summary {
        var samples: [Double] = []
        let total = counts.spawns + counts.warmup(counts.spawns) / 2
        for i in 0..<total {
            let start = Monotonic.now()
            let elapsed = try await Subprocess.run(
                .path(FilePath(path)), arguments: [], environment: .inherit, input: .none, output: .sequence,
                error: .discarded
            ) { execution -> Double in
                var firstLine: Double = .nan
                for try await _ in execution.standardOutput.strings() {
                    if firstLine.isNaN { firstLine = Monotonic.milliseconds(since: start) }
                }
                return firstLine
            }.closureResult
            if i >= total - counts.spawns { samples.append(elapsed) }
        }
        return Summary(samples)
    }

    /// Framed echo over two pipes with fnhost-bench-peer.
    func pipeRoundTrips() throws -> Summary {
        let toPeer = try Pipe()
        let fromPeer = try Pipe()
        let child = try Child.spawn(
            build + "/fnhost-bench-peer", ["echo-framed"], stdin: .fd(toPeer.read), stdout: .fd(fromPeer.write))
        peerStarted()
        toPeer.closeRead()
        fromPeer.closeWrite()
        defer {
            toPeer.closeWrite()
            fromPeer.closeRead()
            child.wait()
        }
        var message = [UInt8](repeating: 0, count: 4 + Self.payload.count)
        withUnsafeBytes(of: UInt32(Self.payload.count).littleEndian) { for i in 0..<4 { message[i] = $0[i] } }
        message.replaceSubrange(4..., with: Self.payload)
        var answer = [UInt8](repeating: 0, count: message.count)
        var samples: [Double] = []
        samples.reserveCapacity(counts.pipeRoundTrips)
        let total = counts.pipeRoundTrips + counts.warmup(counts.pipeRoundTrips)
        for i in 0..<total {
            let start = Monotonic.now()
            let sent = message.withUnsafeBytes { BenchIO.writeAll(toPeer.write, $0) }
            let received = answer.withUnsafeMutableBytes { BenchIO.readExactly(fromPeer.read, $0) }
            let elapsed = Monotonic.microseconds(since: start)
            guard sent, received, answer == message else { throw ProcessFailure(description: "the framed echo failed") }
            if i >= total - counts.pipeRoundTrips { samples.append(elapsed) }
        }
        return Summary(samples)
    }

    /// Starts the Hummingbird hello-world (once per run) and returns its port.
    func startPeerHTTP() throws -> Int {
        if let peer = peerHTTP { return peer.port }
        let (child, port, stdin) = try spawnPeerHTTP()
        atEnd {
            // End-of-file on its stdin stops it.
            stdin.closeWrite()
            child.stop(graceMs: 2_000)
        }
        peerHTTP = (child, port)
        return port
    }

    /// Starts a hello-world (`mode` `http`: Hummingbird, `nio`: SwiftNIO on the event loop); it runs until the write
    /// end of `stdin` is closed.
    func spawnPeerHTTP(mode: String = "http") throws -> (child: Child, port: Int, stdin: Pipe) {
        let stdin = try Pipe()
        let stdout = try Pipe()
        let child = try Child.spawn(
            build + "/fnhost-bench-peer", [mode, "0"], stdin: .fd(stdin.read), stdout: .fd(stdout.write),
            label: "fnhost-bench-peer \(mode)")
        stdin.closeRead()
        stdout.closeWrite()
        var reader = LineReader(fd: stdout.read)
        guard let line = reader.next(timeoutMs: 30_000), line.hasPrefix("listening "),
            let port = Int(line.dropFirst("listening ".count))
        else {
            child.stop()
            throw ProcessFailure(description: "fnhost-bench-peer \(mode) did not start")
        }
        stdout.closeRead()
        return (child, port, stdin)
    }

    /// Runs `body` with this thread bound to CPU `runner`, the processes it starts bound to CPU `peer`; then gives the
    /// thread every CPU back.
    func pinned(runner: Int32, peer: Int32, _ body: () throws -> Summary) throws -> Summary {
        defer {
            _ = bench_bind_thread(-1)
            bindAfterSpawn = nil
        }
        _ = bench_bind_thread(peer)
        bindAfterSpawn = runner
        return try body()
    }

    /// Called right after a floor's peer is started: moves this thread to its own CPU when `pinned` asked for one.
    func peerStarted() {
        if let cpu = bindAfterSpawn { _ = bench_bind_thread(cpu) }
    }

    /// Which client and server an HTTP floor uses.
    enum HTTPFloor {
        /// LambdaRuntime's client → SwiftNIO answering on the event loop: what a worker and fnhost's Runtime API use.
        case runtime
        /// libcurl → the Hummingbird hello-world: what they used before.
        case libcurl
    }

    /// Sequential POSTs to a hello-world's echo route over one keep-alive connection. The `runtime` floor starts a
    /// peer of its own (stopped afterwards); `libcurl` uses the run's shared Hummingbird hello-world.
    func httpRoundTrips(_ floor: HTTPFloor) throws -> Summary {
        Summary(try httpRoundTripSamples(floor, count: counts.httpRoundTrips))
    }

    /// `count` round trips (after a warm-up), each one's time in µs.
    func httpRoundTripSamples(_ floor: HTTPFloor, count: Int) throws -> [Double] {
        var dedicated: (child: Child, port: Int, stdin: Pipe)?
        if floor == .runtime {
            dedicated = try spawnPeerHTTP(mode: "nio")
            peerStarted()
        }
        defer {
            if let dedicated {
                dedicated.stdin.closeWrite()
                dedicated.child.stop(graceMs: 2_000)
            }
        }
        let port = try dedicated?.port ?? startPeerHTTP()
        let url = "http://127.0.0.1:\(port)/echo"
        let post: () throws -> (status: Int, body: [UInt8])
        switch floor {
        case .runtime:
            let client = HTTPClient()
            post = {
                let r = try client.perform(
                    method: "POST", url: url, headers: [("Content-Type", "application/json")], body: Self.payload)
                return (r.status, r.body)
            }
        case .libcurl:
            let client = CurlClient(timeoutMs: 10_000)
            post = {
                let r = try client.post(url, body: Self.payload)
                return (r.status, r.body)
            }
        }
        var samples: [Double] = []
        samples.reserveCapacity(count)
        let total = count + counts.warmup(count)
        var costs: (client: ProcessCost, server: ProcessCost)?
        for i in 0..<total {
            if i == total - count, let dedicated {
                costs = (ProcessCost.ofSelf(), ProcessCost.of(dedicated.child.pid))
            }
            let start = Monotonic.now()
            let response = try post()
            let elapsed = Monotonic.microseconds(since: start)
            guard response.status == 200, response.body == Self.payload else {
                throw ProcessFailure(description: "the hello-world answered \(response.status)")
            }
            if i >= total - count { samples.append(elapsed) }
        }
        if httpRoundTripCPUUs == nil, let costs, let dedicated, count > 0 {
            let client = ProcessCost.ofSelf() - costs.client
            let server = ProcessCost.of(dedicated.child.pid) - costs.server
            httpRoundTripCPUUs = (client.cpuUs + server.cpuUs) / Double(count)
        }
        return samples
    }
}

extension Runner {
    /// The resident size of the smallest Swift process (fnhost-bench-trivial, waiting on stdin) and of an exe linking
    /// Hummingbird waiting the same way: the floors of an idle worker's memory.
    func memoryFloors() throws {
        progress.begin("memory floor: an idle trivial Swift process")
        let input = try Pipe()
        let output = try Pipe()
        let child = try Child.spawn(
            build + "/fnhost-bench-trivial", ["wait"], stdin: .fd(input.read), stdout: .fd(output.write))
        input.closeRead()
        output.closeWrite()
        var reader = LineReader(fd: output.read)
        _ = reader.next(timeoutMs: 10_000)
        let kb = ProcFS.residentKB(child.pid) ?? 0
        input.closeWrite()
        output.closeRead()
        child.wait()
        report.add(
            Figure(
                id: "memory.trivial", section: "memory", label: "idle trivial Swift process VmRSS", unit: "MB",
                value: Double(kb) / 1024,
                note: "fnhost-bench-trivial blocked on stdin: the stdlib's share of any Swift worker"))
    }
}
