import FnhostWire
import WorkerCache

/// The `cache` object of an answer: `{"outcome", "workerMs", "sharedMs", "storeMs"}`, the tier that answered and
/// the measured milliseconds spent in each (rounded to the microsecond).
public struct CacheReport: Encodable, Sendable {
    let outcome: CacheOutcome
    let workerMs: Double
    let sharedMs: Double
    let storeMs: Double

    init(outcome: CacheOutcome, workerMs: Double, sharedMs: Double, storeMs: Double) {
        self.outcome = outcome
        self.workerMs = Self.round(workerMs)
        self.sharedMs = Self.round(sharedMs)
        self.storeMs = Self.round(storeMs)
    }

    /// The same figures as the `Fnhost-Cache` annotation the host counts.
    var annotation: CacheAnnotation {
        let outcome: CacheAnnotation.Outcome
        switch self.outcome {
        case .workerHit: outcome = .workerHit
        case .sharedHit: outcome = .sharedHit
        case .miss: outcome = .miss
        }
        return CacheAnnotation(outcome: outcome, workerMs: workerMs, sharedMs: sharedMs, storeMs: storeMs)
    }

    private static func round(_ ms: Double) -> Double { (max(0, ms) * 1000).rounded() / 1000 }
}
