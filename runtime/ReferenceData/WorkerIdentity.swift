import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which worker served an invocation, and how many it has served: what makes per-worker caching visible in
/// the answers (a warm worker with a high count answers from memory; a fresh one misses).
public final class WorkerIdentity: Sendable {
    /// The id used when the host gives none (a worker started by hand).
    static let defaultID = "local"

    /// `FNHOST_WORKER_ID`, e.g. `org-status-3`.
    let id: String
    let pid: Int32
    private let served = Atomic<Int>(0)

    /// Reads `FNHOST_WORKER_ID` from the worker's environment; the count starts at 0.
    public init(environment: [String: String]) {
        id = environment["FNHOST_WORKER_ID"].flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultID
        pid = getpid()
    }

    /// Counts one more invocation and describes the worker as of it.
    public func beginInvocation() -> WorkerReport {
        let count = served.wrappingAdd(1, ordering: .relaxed).newValue
        return WorkerReport(id: id, pid: pid, invocations: count)
    }
}
