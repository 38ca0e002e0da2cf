import FnhostWire
import LambdaRuntime
import Synchronization
import WorkerCache

/// Reference data read through the worker cache: worker memory, then the shared Redis tier when configured,
/// then the (slow) ``ReferenceStore``. Every lookup tells the host which tier answered, through
/// `recordCacheOutcome`, and hands the same figures back for the answer.
public final class CachedReferenceData<Record: Codable & Sendable>: Sendable {
    let store: ReferenceStore<Record>
    let cache: ReadThroughCache<Record>

    init(store: ReferenceStore<Record>, cache: ReadThroughCache<Record>) {
        self.store = store
        self.cache = cache
    }

    /// Looks `key` up; the record is nil when the store has none (nothing is cached then).
    public func find(_ key: String, context: LambdaContext) async throws -> (record: Record?, cache: CacheReport) {
        let store = self.store
        let storeLookup = Mutex<StoreLookup<Record>?>(nil)
        let clock = ContinuousClock()
        let start = clock.now
        let found = try await cache.get(key) {
            let lookup = try await store.lookup(key)
            storeLookup.withLock { $0 = lookup }
            return lookup.record
        }
        let report: CacheReport
        if let found {
            report = CacheReport(
                outcome: found.outcome, workerMs: found.workerMs, sharedMs: found.sharedMs, storeMs: found.storeMs)
        } else {
            // Not found anywhere: the store's own measurement, and the rest of the lookup to the cache tiers.
            let totalElapsed = start.duration(to: clock.now)
            let totalMs = totalElapsed.inMilliseconds
            let storeMs = storeLookup.withLock { $0?.measuredMs } ?? 0
            let tiersMs = max(0, totalMs - storeMs)
            report = CacheReport(
                outcome: .miss, workerMs: cache.shared == nil ? tiersMs : 0,
                sharedMs: cache.shared == nil ? 0 : tiersMs,
                storeMs: storeMs
            )
        }
        context.recordCacheOutcome(report.annotation)
        return (found?.value, report)
    }
}
