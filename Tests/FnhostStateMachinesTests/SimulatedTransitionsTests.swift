import FnhostHost
import FnhostSimulation
import FnhostStateMachines
import FnhostStates
import FnhostWire
import Testing

/// The profile's `stateTransition` delay as the host applies it: drawn from the profile, seeded per state machine,
/// time-scaled; none without a profile.
@Suite struct SimulatedTransitionsTests {
    static func transitions(profile: String?, seed: UInt64 = 7, scale: Double = 0.01) throws -> SimulatedTransitions {
        try SimulatedTransitions(
            configuration: HostConfiguration(
                functionsDirectory: "/nonexistent",
                simulation: SimulationSettings(profile: profile, seed: seed, timeScale: try TimeScale(scale))))
    }

    @Test func theSameSeedGivesTheSameDelaysPerStateMachine() throws {
        let a = try Self.transitions(profile: "lambda")
        let b = try Self.transitions(profile: "lambda")
        let first = (0..<20).map { _ in a.nextDelay(machine: "m").simulatedMs }
        // Another machine's transitions in between do not shift m's stream.
        _ = b.nextDelay(machine: "other")
        let second = (0..<20).map { _ in b.nextDelay(machine: "m").simulatedMs }
        #expect(first == second)
        #expect(Set(first).count > 1, "the draws vary: \(first)")
        #expect(first.allSatisfy { $0 > 0 && $0 < 10_000 })
        let other = try Self.transitions(profile: "lambda", seed: 8)
        #expect((0..<20).map { _ in other.nextDelay(machine: "m").simulatedMs } != first)
    }

    @Test func theDelayIsSleptTimeScaled() throws {
        let t = try Self.transitions(profile: "lambda", scale: 0.01)
        let d = t.nextDelay(machine: "m")
        #expect(abs(d.realDuration.inMillisecondsForTest - d.simulatedMs * 0.01) < 0.001)
    }

    @Test func noProfileOrTheNoneProfileAddsNothing() async throws {
        let none = try Self.transitions(profile: "none")
        #expect(none.nextDelay(machine: "m").simulatedMs == 0)
        let without = try Self.transitions(profile: nil)
        let identity = ExecutionIdentity(
            executionArn: "e", name: "e", stateMachineArn: "s", stateMachineName: "m", roleArn: "r",
            startTime: Timestamp(epochMilliseconds: 0), input: .null)
        try await without.transition(into: "A", execution: identity)
        #expect(without.summary.transitions == 1 && without.summary.simulatedMs == 0)
    }
}

extension Duration {
    var inMillisecondsForTest: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }
}
