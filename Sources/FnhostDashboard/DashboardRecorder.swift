import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The dashboard's counts, shared: the host's metrics report events from any thread, the sampler takes
/// snapshots. The lock is held for a few additions per event, or to copy the counts for a snapshot; nothing here
/// waits on I/O, so recording never slows an invocation down.
public final class DashboardRecorder: Sendable {
    private let state: Mutex<DashboardState>
    private let clock: @Sendable () -> Int

    /// - Parameter clock: the current second since 1970 (UTC); the wall clock unless a test injects one.
    public init(
        state: DashboardState = DashboardState(),
        clock: @escaping @Sendable () -> Int = DashboardRecorder.wallClockSecond
    ) {
        self.state = Mutex(state)
        self.clock = clock
    }

    public func record(_ event: DashboardEvent) {
        let second = clock()
        state.withLock { $0.record(event, second: second) }
    }

    /// The snapshot of the current second beside `gauges`.
    public func snapshot(gauges: DashboardGauges) -> DashboardSnapshot {
        let second = clock()
        // A copy (its windows are copy-on-write) taken under the lock; the distributions are merged outside it,
        // so that recording an invocation never waits for a snapshot.
        let counts = state.withLock { $0 }
        return counts.snapshot(at: second, gauges: gauges)
    }

    /// Seconds since 1970 (UTC), whole.
    @Sendable public static func wallClockSecond() -> Int {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return now.tv_sec
    }
}
