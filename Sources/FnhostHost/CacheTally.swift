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

        mutating func add(outcome: String, workerMs: Double, sharedMs: Double, storeMs: Double) {
            switch outcome {
            case "worker-hit": workerHits += 1
            case "shared-hit": sharedHits += 1
            default: misses += 1
            }
            self.workerMs += workerMs
            self.sharedMs += sharedMs
            self.storeMs += storeMs
        }
    }

    private struct State {
        var functions: [String: Counts] = [:]
        var workers: [String: Counts] = [:]
        var workerFunction: [String: String] = [:]
    }
    private let state = Mutex(State())

    public init() {}

    /// Records one annotation such as `outcome=worker-hit; worker-ms=0.01; shared-ms=0; store-ms=0`.
    func record(_ annotation: String, function: String, worker: String) {
        guard let outcome = Self.field("outcome", in: annotation) else { return }
        let w = Double(Self.field("worker-ms", in: annotation) ?? "") ?? 0
        let sh = Double(Self.field("shared-ms", in: annotation) ?? "") ?? 0
        let st = Double(Self.field("store-ms", in: annotation) ?? "") ?? 0
        state.withLock { s in
            s.functions[function, default: Counts()].add(outcome: outcome, workerMs: w, sharedMs: sh, storeMs: st)
            s.workers[worker, default: Counts()].add(outcome: outcome, workerMs: w, sharedMs: sh, storeMs: st)
            s.workerFunction[worker] = function
        }
    }

    public func function(_ name: String) -> Counts { state.withLock { $0.functions[name] ?? Counts() } }

    /// Per worker of one function, by worker name.
    public func workers(of function: String) -> [String: Counts] {
        state.withLock { s in s.workers.filter { s.workerFunction[$0.key] == function } }
    }

    public func reset() { state.withLock { $0 = State() } }

    /// One `key=value` field of a `;`-separated annotation.
    static func field(_ key: String, in annotation: String) -> String? {
        for part in annotation.split(separator: ";") {
            let kv = part.split(separator: "=", maxSplits: 1)
            if kv.count == 2, kv[0].trimmingSpaces == key { return String(kv[1].trimmingSpaces) }
        }
        return nil
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var s = self
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return s
    }
}
