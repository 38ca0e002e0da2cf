#if canImport(Glibc)
import Glibc
#endif

/// A pipe whose write end only the host holds. Every worker's launcher watches the read end: when the host is gone
/// (normal exit, crash, SIGKILL) the kernel closes the write end, the launcher's watcher sees end-of-file and kills
/// the worker. This is what guarantees that no worker outlives its host.
final class Lifeline: Sendable {
    let readFD: Int32
    private let writeFD: Int32

    init() throws {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else {
            throw WorkerStartError.spawnFailed("cannot create the lifeline pipe: \(String(cString: strerror(errno)))")
        }
        readFD = fds[0]
        writeFD = fds[1]
        // Neither end may leak into a child by accident; the read end is handed over explicitly as stdin.
        _ = fcntl(readFD, F_SETFD, FD_CLOEXEC)
        _ = fcntl(writeFD, F_SETFD, FD_CLOEXEC)
    }

    deinit {
        close(readFD)
        close(writeFD)
    }
}
