import FnhostWire
import Synchronization

/// The cache outcomes workers report (through the `Fnhost-Cache` annotation), counted per function and per
/// worker, so that a run can show how each worker's private cache fared.
public final class CacheTally: Sendable {
    /// Counts of one function's or one worker's outcomes, and the time spent in each tier.
    public struct Counts: Sendable, Equatable {
        public var workerHits = 0
        public var sharedHits = 0
        public var misses = 0
        public var workerMs = 0.0
        public var sharedMs = 0.0
        public var storeMs = 0.0
        public var total: Int { workerHits + sharedHits + misses }
        /// Hits of any tier over all lookups.
        public var hitRate: Double { total == 0 ? 0 : Double(workerHits + sharedHits) / Double(total) }

        mutating func add(_ annotation: CacheAnnotation) {
            switch annotation.outcome {
            case .workerHit: workerHits += 1
            case .sharedHit: sharedHits += 1
            case .miss: misses += 1
            }
            workerMs += annotation.workerMs
            sharedMs += annotation.sharedMs
            storeMs += annotation.storeMs
        }
    }

    private struct State {
        var functions: [String: Counts] = [:]
        var workers: [String: Counts] = [:]
        var workerFunction: [String: String] = [:]
    }
    private let state = Mutex(State())

    public init() {}

    /// Records one `Fnhost-Cache` header value such as `outcome=worker-hit; worker-ms=0.01; shared-ms=0; store-ms=0`.
    /// A value ``CacheAnnotation`` refuses is not counted: a wrong count would be worse than a missing one.
    func record(_ parsed: CacheAnnotation, function: String, worker: String) {
        state.withLock { s in
            s.functions[function, default: Counts()].add(parsed)
            s.workers[worker, default: Counts()].add(parsed)
            s.workerFunction[worker] = function
        }
    }

    public func function(_ name: String) -> Counts { state.withLock { $0.functions[name] ?? Counts() } }

    /// Per worker of one function, by worker name.
    public func workers(of function: String) -> [String: Counts] {
        state.withLock { s in s.workers.filter { s.workerFunction[$0.key] == function } }
    }

    public func reset() { state.withLock { $0 = State() } }
}
