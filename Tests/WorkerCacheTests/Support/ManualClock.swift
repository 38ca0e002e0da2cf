import Synchronization
import WorkerCache

/// A clock the test moves by hand, for TTL expiry without waiting.
final class ManualClock: Sendable {
    private let reading = Mutex(Duration.seconds(1000))

    func advance(by duration: Duration) {
        reading.withLock { $0 += duration }
    }

    var cacheClock: CacheClock {
        CacheClock { self.reading.withLock { $0 } }
    }
}
