import FnhostWire
import Subprocess
import Synchronization

#if canImport(Glibc)
import Glibc
#endif
#if canImport(System)
import System
#else
import SystemPackage
#endif

/// One worker's operating-system process: started through `fnhost-launch` in its own process group, with exactly
/// the environment it is given, its output read line by line, and its end reported once.
final class WorkerProcess: Sendable {
    let pid: Int32
    private let exited = Mutex(false)
    private let task: Task<Void, Never>

    private init(pid: Int32, task: Task<Void, Never>) {
        self.pid = pid
        self.task = task
    }

    /// Starts the process and returns as soon as it runs.
    /// - Parameters:
    ///   - onLine: every line the worker writes to stdout or stderr.
    ///   - onExit: called once, when the process has ended, with a description of how.
    static func spawn(
        launcher: String, command: [String], environment: [String: String], directory: String, lifeline: Lifeline,
        onLine: @escaping @Sendable (String) -> Void, onExit: @escaping @Sendable (String) -> Void
    ) async throws -> WorkerProcess {
        var options = PlatformOptions()
        options.processGroupID = 0
        var env: [Environment.Key: String] = [:]
        for (k, v) in environment { env[Environment.Key(stringLiteral: k)] = v }
        let configuration = Configuration(
            executable: .path(FilePath(launcher)), arguments: Arguments(command),
            environment: .custom(env), workingDirectory: FilePath(directory), platformOptions: options
        )
        let (pids, pidSink) = AsyncStream<Result<Int32, any Error>>.makeStream()
        let box = Mutex<WorkerProcess?>(nil)
        let task = Task {
            do {
                let result = try await Subprocess.run(
                    configuration,
                    input: .fileDescriptor(FileDescriptor(rawValue: lifeline.readFD), closeAfterSpawningProcess: false),
                    output: .sequence, error: .combinedWithOutput
                ) { execution in
                    pidSink.yield(.success(execution.processIdentifier.value))
                    pidSink.finish()
                    do {
                        for try await line in execution.standardOutput.strings() { onLine(line) }
                    } catch {
                        onLine("fnhost: stopped reading the worker's output: \(error)")
                    }
                }
                box.withLock { $0?.exited.withLock { $0 = true } }
                // Whatever the worker started dies with it, as in a Lambda sandbox.
                if let pid = box.withLock({ $0?.pid }) { _ = Glibc.kill(-pid, SIGKILL) }
                onExit(describe(result.terminationStatus))
            } catch {
                pidSink.yield(.failure(error))
                pidSink.finish()
                box.withLock { $0?.exited.withLock { $0 = true } }
                onExit("could not be started: \(error)")
            }
        }
        var iterator = pids.makeAsyncIterator()
        switch await iterator.next() {
        case .success(let pid)?:
            let process = WorkerProcess(pid: pid, task: task)
            box.withLock { $0 = process }
            return process
        case .failure(let error)?:
            throw WorkerStartError.spawnFailed("\(launcher) \(command.joined(separator: " ")): \(error)")
        case nil:
            throw WorkerStartError.spawnFailed("\(launcher) did not start")
        }
    }

    /// Kills the worker and everything it started (its process group), then waits until it has been reaped, its
    /// output drained, and what it started has died as well (for at most `settle`).
    func kill(settle: Duration = .seconds(1)) async {
        // What the worker started is not the host's to reap, and SIGKILL takes a moment to end a process that is
        // not: note who they are now, while they are still the worker's children, to wait for them below.
        let started = exited.withLock { $0 } ? [] : ProcFS.processTree(root: pid).dropFirst()
        exited.withLock { gone in
            // The group outlives its leader while any member lives, and Linux never reuses a pid that is still a
            // group id: signalling the group is always safe, and takes down what a crashed worker left running.
            _ = Glibc.kill(-pid, SIGKILL)
            if !gone { _ = Glibc.kill(pid, SIGKILL) }
        }
        await task.value
        let deadline = ContinuousClock.now + settle
        while started.contains(where: ProcFS.isRunning), ContinuousClock.now < deadline {
            // Cancelled: stop waiting (the signal has been sent; they die regardless).
            do { try await Task.sleep(for: .milliseconds(1)) } catch { break }
        }
    }

    /// Whether the process is still running (not exited, not a zombie waiting to be reaped): checked before a warm
    /// worker is handed an event, so that one that died while idle is replaced rather than blamed.
    var isRunning: Bool {
        if exited.withLock({ $0 }) { return false }
        // The worker is this process's child: ask the kernel whether it has exited, without reaping it (WNOWAIT:
        // swift-subprocess reaps it and reports how it ended). Once reaped, waitid fails (ECHILD): gone as well.
        // One system call, where reading /proc/PID/stat had the kernel render the whole line.
        var info = siginfo_t()
        guard waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 else { return false }
        return info._sifields._sigchld.si_pid == 0
    }

    /// Peak resident memory (VmHWM) in MB, rounded up, as `Max Memory Used` reports it; nil once the process is gone.
    func peakMemoryMB() -> Int? {
        readStatus().flatMap { Self.number(after: "VmHWM:", in: $0) }.map { ($0 + 1023) / 1024 }
    }

    /// Current resident memory (VmRSS) in kB.
    func residentKB() -> Int? {
        readStatus().flatMap { Self.number(after: "VmRSS:", in: $0) }
    }

    /// /proc/PID/status, opened once and read again with `pread` (the kernel renders it afresh on every read).
    /// Reading the file into a String and splitting it into lines cost ~45 µs per call; this costs ~8 µs.
    private let statusFile = Mutex<Int32>(-1)

    deinit {
        statusFile.withLock { fd in if fd >= 0 { close(fd) } }
    }

    /// The bytes of /proc/PID/status; nil once the process is gone.
    private func readStatus() -> [UInt8]? {
        statusFile.withLock { fd -> [UInt8]? in
            if fd < 0 {
                fd = open("/proc/\(pid)/status", O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else { return nil }
            }
            let file = fd
            return [UInt8](unsafeUninitializedCapacity: 4096) { buffer, count in
                count = max(0, pread(file, buffer.baseAddress, buffer.count, 0))
            }
        }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The number after `key` at the start of a line (`VmHWM:\t  1234 kB` → 1234), scanning bytes.
    static func number(after key: StaticString, in bytes: [UInt8]) -> Int? {
        let k = UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount)
        var i = 0
        while i + k.count <= bytes.count {
            if (i == 0 || bytes[i - 1] == 0x0A) && bytes[i] == k[0]
                && (0..<k.count).allSatisfy({ bytes[i + $0] == k[$0] })
            {
                var j = i + k.count
                while j < bytes.count && (bytes[j] == 0x20 || bytes[j] == 0x09) { j += 1 }
                var value = 0
                let first = j
                while j < bytes.count, bytes[j] >= 0x30, bytes[j] <= 0x39 {
                    value = value * 10 + Int(bytes[j] - 0x30); j += 1
                }
                return j > first ? value : nil
            }
            i += 1
        }
        return nil
    }

    private static func describe(_ status: TerminationStatus) -> String {
        switch status {
        case .exited(let code): "exit status \(code)"
        case .signaled(let signal): "signal: \(signalName(signal))"
        }
    }

    static func signalName(_ s: Int32) -> String {
        switch s {
        case SIGKILL: "killed"
        case SIGSEGV: "segmentation fault"
        case SIGABRT: "aborted"
        case SIGTERM: "terminated"
        case SIGBUS: "bus error"
        case SIGILL: "illegal instruction"
        case SIGTRAP: "trace/breakpoint trap"
        default: "signal \(s)"
        }
    }
}
