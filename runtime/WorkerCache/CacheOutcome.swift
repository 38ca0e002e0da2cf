/// Which tier answered a cache lookup: what every invocation records so the host can show what the caches save.
public enum CacheOutcome: String, Sendable, Codable, CaseIterable {
    /// Found in this worker's own memory.
    case workerHit = "worker-hit"
    /// Found in the shared Redis tier (then kept in worker memory too).
    case sharedHit = "shared-hit"
    /// Found in neither; read from the reference store, then written to both tiers.
    case miss
}
