import Foundation
import Synchronization
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

// `fnhost serve --port 0` as a real child process (posix_spawn, its own pipes for stdout and stderr read by threads
// of their own), the port learnt from its `listening on` line, and a stop that always happens: SIGTERM, a wait
// with a deadline, SIGKILL if it must; then every process the server had started must be gone.

struct ServeOptions: Sendable {
    /// The functions folder (`--functions`).
    var functions: String = Paths.functions
    /// `--template` instead of `--functions` when set.
    var template: String?
    /// `--state-dir`; a fresh temporary folder (removed afterwards) when nil.
    var stateDirectory: String?
    var timeScale: String?
    var drainTimeout: Double = 5
    var logFormat: String?
    var extraArguments: [String] = []
    /// Added to the test process's environment (from which every `FNHOST_*` variable is removed).
    var environment: [String: String] = [:]
}

/// The server's standard output and error, as read so far.
final class OutputCapture: Sendable {
    private struct State {
        var output: [UInt8] = []
        var error: [UInt8] = []
        var openStreams = 2
    }

    private let state = Mutex(State())

    /// Reads `fd` to its end on a thread of its own, then closes it.
    func read(_ fd: Int32, isError: Bool) {
        let thread = Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let n = Glibc.read(fd, &buffer, buffer.count)
                if n > 0 {
                    state.withLock {
                        isError
                            ? $0.error.append(contentsOf: buffer[0..<n]) : $0.output.append(contentsOf: buffer[0..<n])
                    }
                } else if n < 0 && errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            close(fd)
            state.withLock { $0.openStreams -= 1 }
        }
        thread.start()
    }

    var output: String { String(decoding: state.withLock { $0.output }, as: UTF8.self) }
    var error: String { String(decoding: state.withLock { $0.error }, as: UTF8.self) }
    /// Whether both streams reached their end (every process holding them has exited).
    var isClosed: Bool { state.withLock { $0.openStreams == 0 } }
}

final class ServeProcess: Sendable {
    let pid: Int32
    let identity: ProcessIdentity
    let port: Int
    let stateDirectory: String
    let client: HTTPClient
    let capture: OutputCapture
    private let ownsStateDirectory: Bool
    private let termination = Mutex<Termination?>(nil)

    private init(
        pid: Int32, identity: ProcessIdentity, port: Int, stateDirectory: String, capture: OutputCapture,
        ownsStateDirectory: Bool
    ) {
        self.pid = pid
        self.identity = identity
        self.port = port
        self.stateDirectory = stateDirectory
        self.client = HTTPClient(port: port)
        self.capture = capture
        self.ownsStateDirectory = ownsStateDirectory
    }

    /// The lines the server printed on stdout so far, empty ones included, without the piece after the last newline
    /// (a line still being written).
    var outputLines: [String] {
        var lines = capture.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.removeLast()
        return lines
    }

    // MARK: Starting

    /// Starts `fnhost serve --port 0 …` and waits (up to 30 s) for its `listening on` line.
    static func start(_ options: ServeOptions) async throws -> ServeProcess {
        let fnhost = try Paths.fnhost
        // The real functions' manifests start the Swift functions' binaries.
        if options.functions == Paths.functions && options.template == nil {
            try Paths.requireBuilt(Paths.functionBinaries)
        }
        let ownsState = options.stateDirectory == nil
        let state = try options.stateDirectory ?? makeTemporaryDirectory("state")
        var arguments = [
            fnhost, "serve", "--port", "0", "--state-dir", state, "--drain-timeout", String(options.drainTimeout),
        ]
        arguments += options.template.map { ["--template", $0] } ?? ["--functions", options.functions]
        if let scale = options.timeScale { arguments += ["--time-scale", scale] }
        if let format = options.logFormat { arguments += ["--log-format", format] }
        arguments += options.extraArguments
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("FNHOST_") }
        for (k, v) in options.environment { environment[k] = v }

        let capture = OutputCapture()
        let pid = try spawn(arguments, environment: environment, capture: capture)
        guard let identity = ProcessIdentity.current(pid) else {
            throw TestFailure("fnhost serve (pid \(pid)) vanished at once: \(capture.error)")
        }
        ProcessLedger.record([identity])
        var port: Int?
        var ended: Termination?
        _ = await eventually(within: .seconds(30)) {
            port = listeningPort(in: capture.output)
            if port == nil { ended = reap(pid) }
            return port != nil || ended != nil
        }
        guard let port else {
            if ended == nil {
                kill(pid, SIGKILL)
                _ = await eventually(within: .seconds(5)) { reap(pid) != nil }
            }
            if ownsState { try? FileManager.default.removeItem(atPath: state) }
            throw TestFailure(
                "fnhost serve never said where it listens (\(ended.map { "it ended: \($0)" } ?? "killed after 30 s"))\n"
                    + "stdout: \(capture.output.suffix(2000))\nstderr: \(capture.error.suffix(2000))")
        }
        let process = ServeProcess(
            pid: pid, identity: identity, port: port, stateDirectory: state, capture: capture,
            ownsStateDirectory: ownsState)
        process.termination.withLock { $0 = ended }
        return process
    }

    /// The port of `fnhost serve listening on http://127.0.0.1:PORT`, in a text or a JSON line.
    static func listeningPort(in output: String) -> Int? {
        let marker = "listening on http://127.0.0.1:"
        guard let range = output.range(of: marker) else { return nil }
        let digits = output[range.upperBound...].prefix { $0.isNumber }
        // The line may not be complete yet.
        guard output[range.upperBound...].dropFirst(digits.count).first != nil else { return nil }
        return Int(digits)
    }

    private static func spawn(_ arguments: [String], environment: [String: String], capture: OutputCapture) throws
        -> Int32
    {
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        guard GNU.pipe2(&outPipe, O_CLOEXEC) == 0, GNU.pipe2(&errPipe, O_CLOEXEC) == 0 else {
            throw TestFailure("pipe2: \(String(cString: strerror(errno)))")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        // Nothing else of the test process (other servers' pipes, sockets) may leak into the server.
        guard GNU.addCloseFrom(&actions, 3) == 0 else {
            throw TestFailure("posix_spawn_file_actions_addclosefrom_np failed")
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, envp)
        close(outPipe[1])
        close(errPipe[1])
        guard rc == 0 else {
            close(outPipe[0])
            close(errPipe[0])
            throw TestFailure("posix_spawn \(arguments[0]): \(String(cString: strerror(rc)))")
        }
        capture.read(outPipe[0], isError: false)
        capture.read(errPipe[0], isError: true)
        return pid
    }

    // MARK: Signals and exit

    /// Reaps the child if it has ended (never blocks).
    private static func reap(_ pid: Int32) -> Termination? {
        var status: Int32 = 0
        let rc = waitpid(pid, &status, WNOHANG)
        return rc == pid ? Termination(waitStatus: status) : nil
    }

    /// How the server ended, or nil while it runs.
    var exitStatus: Termination? {
        termination.withLock { ended in
            if ended == nil { ended = Self.reap(pid) }
            return ended
        }
    }

    func signal(_ signal: Int32) {
        guard exitStatus == nil else { return }
        kill(pid, signal)
    }

    /// Waits up to `limit` for the server to end.
    func waitForExit(within limit: Duration) async -> Termination? {
        _ = await eventually(within: limit) { exitStatus != nil }
        return exitStatus
    }

    /// Waits until both output streams are closed (everything the server printed has been read).
    func waitForOutputEnd(within limit: Duration = .seconds(5)) async -> Bool {
        await eventually(within: limit) { capture.isClosed }
    }

    /// The live processes the server started (workers, their children).
    var descendants: [ProcessIdentity] { Processes.descendants(of: pid) }

    /// SIGTERM, up to `limit` for a clean exit, then SIGKILL. Returns how it ended and whether it had to be killed.
    func stop(within limit: Duration = .seconds(15)) async -> (termination: Termination, forced: Bool) {
        if let ended = exitStatus { return (ended, false) }
        kill(pid, SIGTERM)
        if let ended = await waitForExit(within: limit) { return (ended, false) }
        kill(pid, SIGKILL)
        return (await waitForExit(within: .seconds(10)) ?? .signaled(SIGKILL), true)
    }

    /// Stops the server if it still runs, then checks that nothing it started outlived it (killing whatever did,
    /// so no test leaks a process), and removes its own state folder.
    func stopAndVerify(sourceLocation: SourceLocation) async {
        let wasRunning = exitStatus == nil
        let family = descendants
        ProcessLedger.record(family)
        let (ended, forced) = await stop()
        if wasRunning {
            #expect(!forced, "fnhost serve ignored SIGTERM for 15 s and was killed", sourceLocation: sourceLocation)
            #expect(
                ended == .exited(0),
                "fnhost serve ended with \(ended) after SIGTERM; stderr: \(capture.error.suffix(1500))",
                sourceLocation: sourceLocation)
        }
        let survivors = await Processes.survivors(of: family, within: .seconds(3))
        #expect(survivors.isEmpty, "processes outlived fnhost serve: \(survivors)", sourceLocation: sourceLocation)
        for survivor in survivors { kill(survivor.pid, SIGKILL) }
        if ownsStateDirectory { try? FileManager.default.removeItem(atPath: stateDirectory) }
    }
}

/// Runs `body` with a fresh `fnhost serve`, and stops it afterwards whatever happens (checking that it exits 0 on
/// SIGTERM and leaves no process behind).
func withServer<T>(
    _ options: ServeOptions = ServeOptions(), sourceLocation: SourceLocation = #_sourceLocation,
    _ body: (ServeProcess) async throws -> T
) async throws -> T {
    let server = try await ServeProcess.start(options)
    do {
        let result = try await body(server)
        await server.stopAndVerify(sourceLocation: sourceLocation)
        return result
    } catch {
        await server.stopAndVerify(sourceLocation: sourceLocation)
        print(
            "fnhost serve (pid \(server.pid)) output after a failure:\n\(server.capture.output.suffix(4000))\n--- stderr ---\n\(server.capture.error.suffix(4000))"
        )
        throw error
    }
}

/// glibc functions Swift's Glibc module does not import (they need _GNU_SOURCE), looked up at run time.
enum GNU {
    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    private static func symbol(_ name: String) -> UnsafeMutableRawPointer {
        guard let address = dlsym(nil, name) else { fatalError("glibc has no \(name) (glibc 2.34 or newer is needed)") }
        return address
    }

    /// pipe2(2): a pipe whose ends are close-on-exec from the start, so no concurrent spawn can inherit them.
    static func pipe2(_ fds: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32 {
        unsafeBitCast(symbol("pipe2"), to: Pipe2.self)(fds, flags)
    }

    /// posix_spawn_file_actions_addclosefrom_np: the child closes every descriptor from `first` on.
    static func addCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ first: Int32) -> Int32 {
        unsafeBitCast(symbol("posix_spawn_file_actions_addclosefrom_np"), to: AddCloseFrom.self)(actions, first)
    }
}

// MARK: Traits

/// A server shared by the tests of a suite (which must be `.serialized`): started before the suite's first test,
/// stopped after its last. Tests find it in `SharedServer.current`.
struct SharedServerTrait: SuiteTrait, TestScoping {
    var options: ServeOptions
    var isRecursive: Bool { false }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        try await withServer(options) { server in
            try await SharedServer.$current.withValue(server) { try await function() }
        }
    }
}

enum SharedServer {
    @TaskLocal static var current: ServeProcess?

    /// The suite's server; fails the test when the suite has none.
    static func require(sourceLocation: SourceLocation = #_sourceLocation) throws -> ServeProcess {
        guard let current else { throw TestFailure("this suite has no shared server (add .sharedServer)") }
        return current
    }
}

extension Trait where Self == SharedServerTrait {
    static func sharedServer(_ options: ServeOptions = ServeOptions()) -> Self { SharedServerTrait(options: options) }
}

/// After the whole suite: no server and no worker the tests ever saw still runs.
struct NoLeakedProcessesTrait: SuiteTrait, TestScoping {
    var isRecursive: Bool { false }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        try await function()
        let seen = ProcessLedger.all
        let survivors = await Processes.survivors(of: seen, within: .seconds(3))
        #expect(!seen.isEmpty, "the suite started no server at all")
        #expect(survivors.isEmpty, "after the suite, processes the tests started still run: \(survivors)")
        for survivor in survivors { kill(survivor.pid, SIGKILL) }
    }
}

extension Trait where Self == NoLeakedProcessesTrait {
    static var noLeakedProcesses: Self { NoLeakedProcessesTrait() }
}
