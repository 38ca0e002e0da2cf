/// One simulated delay: the milliseconds it stands for (what reports print) and the real time to sleep for it.
///
/// Keeping both apart is what lets `--time-scale` shrink an experiment without changing a single reported figure.
public struct SimulatedDelay: Sendable, Equatable {
    /// The simulated delay in milliseconds: what reports show, labelled as simulated.
    public let simulatedMs: Double
    /// The time actually slept: `simulatedMs × timeScale`.
    public let realDuration: Duration

    public init(simulatedMs: Double, timeScale: TimeScale) {
        let simulated = simulatedMs.isFinite ? max(0, simulatedMs) : 0
        self.simulatedMs = simulated
        let nanoseconds = min(simulated * timeScale.factor * 1_000_000, Double(Int64.max / 2))
        self.realDuration = .nanoseconds(Int64(nanoseconds.rounded()))
    }

    /// Draws a delay from `distribution`.
    public init(
        drawing distribution: Distribution, using generator: inout some RandomNumberGenerator, timeScale: TimeScale
    ) {
        self.init(simulatedMs: distribution.sample(using: &generator), timeScale: timeScale)
    }

    /// No delay.
    public static let zero = SimulatedDelay(simulatedMs: 0, timeScale: .realTime)

    /// Sleeps for `realDuration` (returns at once when it is zero); throws `CancellationError` if cancelled.
    public func sleep() async throws {
        guard realDuration > .zero else { return }
        try await Task.sleep(for: realDuration)
    }
}
