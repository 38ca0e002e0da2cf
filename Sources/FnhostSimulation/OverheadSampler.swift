/// Draws the simulated delays of a run from a profile, a seed and a time scale, reproducibly.
///
/// Each draw has its own random stream named `FUNCTION/COMPONENT/INDEX` (e.g. `org-status/cold-start/3`), derived
/// from the seed by a stable hash: the 3rd cold start of org-status gets the same delay whatever else happened
/// before it, in whatever order concurrent invocations arrived. Stateless, hence freely shared.
public struct OverheadSampler: Sendable {
    public let profile: OverheadProfile
    public let seed: UInt64
    public let timeScale: TimeScale

    public init(profile: OverheadProfile, seed: UInt64, timeScale: TimeScale = .realTime) {
        self.profile = profile
        self.seed = seed
        self.timeScale = timeScale
    }

    /// The delay of the `index`-th occurrence of `component` for `function`.
    public func delay(_ component: OverheadComponent, function: String, index: Int) -> SimulatedDelay {
        let distribution = profile.distribution(component, function: function)
        if distribution.isAlwaysZero { return SimulatedDelay(simulatedMs: 0, timeScale: timeScale) }
        var generator = SeededGenerator(seed: seed, stream: "\(function)/\(component.streamName)/\(index)")
        return SimulatedDelay(drawing: distribution, using: &generator, timeScale: timeScale)
    }
}
