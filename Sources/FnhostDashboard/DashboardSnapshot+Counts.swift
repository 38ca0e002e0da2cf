extension DashboardSnapshot {
    /// What a function did in one window of time: the one shape of the counts the page shows since the host started
    /// (`Totals`) and second by second (`Second`), so that an event is counted the same way in both.
    public struct Counts: Codable, Sendable, Equatable {
        public var invocations = 0
        public var errors = 0
        public var throttles = 0
        public var workerCacheHits = 0
        public var sharedCacheHits = 0
        public var cacheMisses = 0

        public init() {}

        /// Counts an event of the function's; a cold start, a latency or a state machine's event is not one of
        /// these counts.
        public mutating func count(_ event: DashboardEvent) {
            switch event {
            case .invocation(_, let failed):
                invocations += 1
                if failed { errors += 1 }
            case .throttle: throttles += 1
            case .cacheLookup(_, .workerHit): workerCacheHits += 1
            case .cacheLookup(_, .sharedHit): sharedCacheHits += 1
            case .cacheLookup(_, .miss): cacheMisses += 1
            case .coldStart, .latency, .executionFinished: break
            }
        }

        /// Hits in the worker's own memory over every lookup; nil in a window without lookups.
        public var workerHitRate: Double? {
            let lookups = workerCacheHits + sharedCacheHits + cacheMisses
            return lookups == 0 ? nil : Double(workerCacheHits) / Double(lookups)
        }

        /// Hits in the shared cache over the lookups that reached it (the worker's own missed); nil when none did.
        public var sharedHitRate: Double? {
            let reached = sharedCacheHits + cacheMisses
            return reached == 0 ? nil : Double(sharedCacheHits) / Double(reached)
        }
    }
}
