/// Where the worker cache reads the time used for TTLs: a monotonic clock in production, a hand-moved one in tests.
///
/// The reading is a `Duration` since an arbitrary fixed origin; only differences matter.
public struct CacheClock: Sendable {
    private let read: @Sendable () -> Duration

    public init(now: @escaping @Sendable () -> Duration) {
        self.read = now
    }

    /// The current reading.
    public func now() -> Duration { read() }

    /// The process's monotonic clock (`ContinuousClock`), unaffected by changes to the wall clock.
    public static let monotonic: CacheClock = {
        let origin = ContinuousClock.now
        return CacheClock { origin.duration(to: .now) }
    }()
}
