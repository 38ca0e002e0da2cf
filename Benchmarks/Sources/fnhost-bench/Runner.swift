import BenchIO
@_spi(Benchmark) import FnhostHost

#if canImport(Glibc)
import Glibc
#endif

/// One benchmark run: where the binaries are, the scratch folder, the counts, the report being filled, and the
/// processes to stop at the end. Each section (`Runner+Floors.swift`, …) adds its figures to `report`.
final class Runner {
    let build: String
    let counts: Counts
    let quick: Bool
    let progress = Progress()
    var report: Report
    /// A private scratch folder (functions folder, wrk scripts, serve's state and log), removed at the end.
    let scratch: String
    /// The functions folder the hosts load: the worker binaries measured and `bench-echo-curl` (the libcurl A/B).
    let functions: String
    /// The bench-echo manifest copied from the repository.
    let manifestSource: String
    /// The worker binaries measured (warm, cold, spawn), each as a function of the same name; the first is the one
    /// held to the goals, served by `fnhost serve` and routed at `GET /bench-echo`.
    let workers: [String]
    var primary: String { workers[0] }

    /// Processes to stop when the run ends, newest first, with whether to signal their whole group.
    private var cleanups: [() -> Void] = []

    /// The hello-world server (`fnhost-bench-peer http`), started by the HTTP floor and used again by the throughput
    /// section.
    var peerHTTP: (child: Child, port: Int)?
    /// CPU per round trip of the HTTP floor (client + server), once measured.
    var httpRoundTripCPUUs: Double?

    /// While a floor runs pinned: the CPU this thread moves to once the floor's peer has started (on its own CPU).
    var bindAfterSpawn: Int32?

    init(build: String, repositoryFunctions: String, workers: [String], quick: Bool, machine: Machine) throws {
        self.build = build
        self.workers = workers
        self.quick = quick
        self.counts = quick ? .quick : .full
        self.report = Report(quick: quick, machine: machine)
        var template = Array("/tmp/fnhost-bench-XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw ProcessFailure(description: "mkdtemp: \(String(cString: strerror(errno)))")
        }
        scratch = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        functions = scratch + "/functions"
        manifestSource = repositoryFunctions + "/bench-echo/function.json"
        for binary in ["fnhost", "fnhost-launch", "fnhost-bench-peer", "fnhost-bench-trivial"] + workers
        where !isExecutable("\(build)/\(binary)") {
            throw ProcessFailure(
                description:
                    "\(build)/\(binary) is missing: build the Benchmarks package and fnhost's executables into one folder first (scripts/bench does)"
            )
        }
        try writeFunctions()
    }

    /// Registers something to do when the run ends (stop a process, close a pipe).
    func atEnd(_ body: @escaping () -> Void) { cleanups.append(body) }

    /// Stops every process the run started and removes the scratch folder.
    func cleanUp() {
        for body in cleanups.reversed() { body() }
        cleanups.removeAll()
        let child = try? Child.spawn("/bin/rm", ["-rf", scratch])
        child?.wait()
    }

    /// Writes one manifest per worker binary (and one for `bench-echo-curl`) into the scratch functions folder, each
    /// derived from the bench-echo manifest (`Benchmarks/functions/bench-echo/function.json`): the function has the
    /// binary's name and runs `{build}/NAME`; only the first keeps the route.
    private func writeFunctions() throws {
        let text = try ProcFS.readFile(manifestSource)
        try makeDirectory(functions)
        for worker in workers + (workers.contains(Self.curlPair.curl) ? [] : [Self.curlPair.curl]) {
            var manifest = text.replacingAll("\"bench-echo\"", with: "\"\(worker)\"")
                .replacingAll("{build}/bench-echo\"", with: "{build}/\(worker)\"")
            // A route can belong to one function only.
            if worker != primary { manifest = Self.withoutRoutes(manifest) }
            try makeDirectory(functions + "/" + worker)
            try writeFile(functions + "/" + worker + "/function.json", manifest)
        }
    }

    /// The manifest text with an empty `routes` list.
    static func withoutRoutes(_ manifest: String) -> String {
        guard let key = manifest.firstRange(of: "\"routes\""),
            let open = manifest[key.upperBound...].firstIndex(of: "["),
            let close = manifest[open...].firstIndex(of: "]")
        else { return manifest }
        return String(manifest[..<open]) + "[]" + String(manifest[manifest.index(after: close)...])
    }

    /// The id suffix of a worker's figures: none for the primary worker, `.NAME` for the others.
    func suffix(_ worker: String) -> String { worker == primary ? "" : "." + worker }

    func makeDirectory(_ path: String) throws {
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else {
            throw ProcessFailure(description: "mkdir \(path): \(String(cString: strerror(errno)))")
        }
    }

    func writeFile(_ path: String, _ text: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw ProcessFailure(description: "cannot write \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var copy = text
        copy.withUTF8 { _ = BenchIO.writeAll(fd, UnsafeRawBufferPointer($0)) }
    }

    /// Notes a problem that did not stop the run.
    func problem(_ text: String) {
        report.problems.append(text)
        Progress.write("fnhost-bench: \(text)")
    }
}

extension String {
    /// Every occurrence of `target` replaced (no Foundation).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        result += rest
        return result
    }
}
