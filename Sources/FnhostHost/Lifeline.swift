#if canImport(Glibc)
import Glibc
#endif

/// A socket pair whose one end only the host holds. Every worker's launcher watches the read end: when the host is gone
/// (normal exit, crash, SIGKILL) the kernel closes the write end, the launcher's watcher sees end-of-file and kills
/// the worker. This is what guarantees that no worker outlives its host.
final class Lifeline: Sendable {
    let readFD: Int32
    private let writeFD: Int32

    init() throws {
        var fds: [Int32] = [0, 0]
        // Close-on-exec from the start (no window in which a concurrent spawn could inherit the host's end); the
        // worker's end is handed over explicitly as its launcher's standard input.
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else {
            throw WorkerStartError.spawnFailed("cannot create the lifeline: \(String(cString: strerror(errno)))")
        }
        readFD = fds[0]
        writeFD = fds[1]
        _ = shutdown(readFD, Int32(SHUT_WR))
    }

    deinit {
        close(readFD)
        close(writeFD)
    }
}
