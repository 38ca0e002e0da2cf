import CBenchSpawn
import FnhostHost

#if canImport(Glibc)
import Glibc
#endif

/// Why a child process could not be started or did not behave.
struct ProcessFailure: Error, CustomStringConvertible {
    var description: String
}

/// Both ends of a pipe, close-on-exec (only what is handed to `Child.spawn` reaches a child).
struct Pipe: Sendable {
    let read: Int32
    let write: Int32

    init() throws {
        var fds: [Int32] = [0, 0]
        guard bench_pipe(&fds) == 0 else {
            throw ProcessFailure(description: "pipe: \(String(cString: strerror(errno)))")
        }
        read = fds[0]
        write = fds[1]
    }

    func closeRead() { close(read) }
    func closeWrite() { close(write) }
    func closeBoth() { close(read); close(write) }
}

/// A process the runner started with `posix_spawn` (see `bench_spawn`: clean signal state, only fds 0–2 inherited).
struct Child: Sendable {
    let pid: pid_t
    let label: String

    /// Standard streams of a child: `inherit`, `null` or a descriptor.
    enum Stream: Sendable {
        case inherit, null
        case fd(Int32)
        var raw: Int32 {
            switch self {
            case .inherit: BENCH_FD_INHERIT
            case .null: BENCH_FD_NULL
            case .fd(let fd): fd
            }
        }
    }

    /// Starts `path` with `arguments` (without argv[0]); `environment` nil passes the runner's own.
    static func spawn(
        _ path: String, _ arguments: [String], environment: [String: String]? = nil, stdin: Stream = .null,
        stdout: Stream = .null, stderr: Stream = .inherit, newGroup: Bool = false, label: String? = nil
    ) throws -> Child {
        let argv = [path] + arguments
        let envp = environment.map { $0.map { "\($0.key)=\($0.value)" } }
        var pid: pid_t = 0
        let rc = withCStrings(argv) { argvPointer in
            withOptionalCStrings(envp) { envpPointer in
                bench_spawn(path, argvPointer, envpPointer, stdin.raw, stdout.raw, stderr.raw, newGroup ? 1 : 0, &pid)
            }
        }
        guard rc == 0 else {
            throw ProcessFailure(description: "cannot start \(path): \(String(cString: strerror(rc)))")
        }
        return Child(pid: pid, label: label ?? path)
    }

    /// Waits until it ends; its exit code (128 + signal when killed).
    @discardableResult
    func wait() -> Int32 {
        let status = bench_wait(pid)
        return status < 0 ? -1 : bench_exit_code(status)
    }

    /// Whether it has ended (reaping it if so).
    func hasExited() -> Bool {
        var status: Int32 = 0
        return bench_try_wait(pid, &status) != 0
    }

    /// Sends `signal` to it, or to its whole process group when `group`.
    func signal(_ signal: Int32, group: Bool = false) {
        _ = kill(group ? -pid : pid, signal)
    }

    /// SIGTERM, then SIGKILL if it is still there after `graceMs`; then reaps it.
    func stop(group: Bool = false, graceMs: Int = 2_000) {
        signal(SIGTERM, group: group)
        let deadline = Monotonic.now() + Int64(graceMs) * 1_000_000
        while Monotonic.now() < deadline {
            if hasExited() { return }
            usleep(5_000)
        }
        signal(SIGKILL, group: group)
        wait()
    }
}

/// Reads a descriptor line by line, with a deadline.
struct LineReader {
    let fd: Int32
    private var buffer: [UInt8] = []

    init(fd: Int32) { self.fd = fd }

    /// The next line (without its newline), or nil at end-of-file or when `timeoutMs` passed first.
    mutating func next(timeoutMs: Int = 30_000) -> String? {
        let deadline = Monotonic.now() + Int64(timeoutMs) * 1_000_000
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            let left = Int32(max(0, (deadline - Monotonic.now()) / 1_000_000))
            if left <= 0 { return nil }
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let r = poll(&p, 1, left)
            if r < 0 && errno == EINTR { continue }
            if r <= 0 { return nil }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = read(fd, &chunk, chunk.count)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return buffer.isEmpty ? nil : String(decoding: buffer, as: UTF8.self) }
            buffer.append(contentsOf: chunk[0..<n])
        }
    }
}

/// A free TCP port on 127.0.0.1.
func freeLoopbackPort() throws -> Int { try LoopbackPort.free() }

/// Whether `path` is an executable file.
func isExecutable(_ path: String) -> Bool { access(path, X_OK) == 0 }

/// The first executable called `name` on PATH.
func which(_ name: String) -> String? {
    guard let path = getenv("PATH") else { return nil }
    for dir in String(cString: path).split(separator: ":") where isExecutable("\(dir)/\(name)") {
        return "\(dir)/\(name)"
    }
    return nil
}

/// Runs `body` with a NULL-terminated C array of copies of `strings`.
func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    pointers.append(nil)
    defer { for p in pointers { free(p) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}

/// As `withCStrings`, passing NULL when `strings` is nil.
func withOptionalCStrings<R>(_ strings: [String]?, _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>?) -> R) -> R {
    guard let strings else { return body(nil) }
    return withCStrings(strings) { body($0) }
}
