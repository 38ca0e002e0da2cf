/// What one reference-store lookup found, and what it cost: the measured wall-clock time and the simulated delay
/// it stood for (they differ when `FNHOST_TIME_SCALE` is not 1).
struct StoreLookup<Record: Sendable>: Sendable {
    /// nil when the store has no record under the key.
    let record: Record?
    let measuredMs: Double
    let simulatedMs: Double
}
