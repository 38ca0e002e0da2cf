import FnhostHost

#if canImport(Glibc)
import Glibc
#endif

/// Whether the process's file-descriptor limit (`ulimit -n`) leaves room for the connections `fnhost serve` may
/// accept: every connection holds a descriptor, and so do workers (pipes, their Runtime API endpoint).
enum DescriptorBudget {
    /// Descriptors kept for everything but client connections: workers, logs, the state folder.
    static let reserve = 256

    /// A warning when `limits.maxConnections` plus the reserve exceeds the soft descriptor limit; nil otherwise.
    static func warning(limits: ListenerLimits) -> String? {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else {
            return nil
        }
        let available = Int(clamping: limit.rlim_cur)
        guard limits.maxConnections + reserve > available else { return nil }
        return "fnhost: WARNING: --max-connections \(limits.maxConnections) leaves too few of this process's "
            + "\(available) file descriptors (ulimit -n) for its workers; raise ulimit -n or lower --max-connections"
    }
}
