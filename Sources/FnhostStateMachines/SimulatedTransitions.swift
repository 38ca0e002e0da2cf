import FnhostHost
import FnhostProfiles
import FnhostSimulation
import FnhostStates
import FnhostStepFunctions
import FnhostWire
import Synchronization

/// Step Functions' own delay per state transition, drawn from the profile's `stateTransition` component: seeded
/// (the n-th transition of a state machine gets the same delay run after run, in the random stream
/// `states:MACHINE/state-transition/n`), time-scaled, slept before each state is entered.
public final class SimulatedTransitions: TransitionPacer {
    private let sampler: OverheadSampler?
    private let counters = Mutex<[String: Int]>([:])
    /// The simulated milliseconds added so far, and the transitions paced.
    private let totals = Mutex<(transitions: Int, simulatedMs: Double)>((0, 0))

    public init(sampler: OverheadSampler?) { self.sampler = sampler }

    /// The pacer of a host: its `--profile` (none: no delay), seed and time scale.
    public convenience init(configuration: HostConfiguration) throws {
        guard let name = configuration.simulation.profile else {
            self.init(sampler: nil)
            return
        }
        let profile: OverheadProfile
        do { profile = try ProfileLoader().load(nameOrPath: name) } catch { throw HostError.profile(error) }
        self.init(
            sampler: OverheadSampler(
                profile: profile, seed: configuration.simulation.seed, timeScale: configuration.simulation.timeScale))
    }

    /// The delay of the next transition of `machine` (zero without a profile).
    public func nextDelay(machine: String) -> SimulatedDelay {
        guard let sampler else { return .zero }
        let stream = "states:\(machine)"
        let index = counters.withLock { counters -> Int in
            defer { counters[stream, default: 0] += 1 }
            return counters[stream, default: 0]
        }
        return sampler.delay(.stateTransition, function: stream, index: index)
    }

    public func transition(into stateName: String, execution: ExecutionIdentity) async throws {
        try await transition(into: stateName, after: 0, execution: execution)
    }

    /// Draws and sleeps the delay, and tells the running execution's trace (if any) which entry it precedes.
    public func transition(into stateName: String, after previousEventId: Int, execution: ExecutionIdentity)
        async throws
    {
        let delay = nextDelay(machine: execution.stateMachineName)
        totals.withLock {
            $0.transitions += 1
            $0.simulatedMs += delay.simulatedMs
        }
        try await Self.sleep(delay, into: stateName, after: previousEventId)
    }

    /// Sleeps a drawn transition delay, told to the running execution's trace collector first (its simulated length
    /// and the real time slept for it).
    public static func sleep(_ delay: SimulatedDelay, into stateName: String, after previousEventId: Int) async throws {
        ExecutionTraceCollector.current?.transition(
            ExecutionTrace.Transition(
                stateName: stateName, previousEventId: previousEventId, simulatedMs: delay.simulatedMs,
                realMs: delay.realDuration.inMilliseconds))
        try await delay.sleep()
    }

    /// Transitions paced so far and the simulated milliseconds they added.
    public var summary: (transitions: Int, simulatedMs: Double) { totals.withLock { $0 } }
}
