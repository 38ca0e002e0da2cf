import FnhostProfiles
import Testing

@testable import FnhostSimulation

@Suite("SimulatedDelay, TimeScale and OverheadSampler")
struct SimulatedDelayTests {
    @Test("the time scale shrinks the sleep but not the reported milliseconds")
    func timeScaleShrinksSleepOnly() throws {
        let delay = SimulatedDelay(simulatedMs: 2000, timeScale: try TimeScale(0.01))
        #expect(delay.simulatedMs == 2000)
        #expect(delay.realDuration == .milliseconds(20))
        #expect(SimulatedDelay(simulatedMs: 37.5, timeScale: .realTime).realDuration == .microseconds(37_500))
        #expect(SimulatedDelay(simulatedMs: 37.5, timeScale: try TimeScale(0)).realDuration == .zero)
    }

    @Test("a drawn delay reports the sample and sleeps the scaled sample")
    func drawnDelay() throws {
        var generator = SeededGenerator(seed: 7)
        let delay = SimulatedDelay(drawing: .uniform(min: 2, max: 8), using: &generator, timeScale: try TimeScale(0.5))
        #expect(delay.simulatedMs == 6.203458893078137)
        #expect(delay.realDuration == .nanoseconds(3_101_729))
    }

    @Test("a scaled delay really sleeps about the scaled time")
    func sleepsScaledTime() async throws {
        // 100 simulated seconds at 0.0003 is 30 real ms; the upper bound is loose because other tests share the cores.
        let delay = SimulatedDelay(simulatedMs: 100_000, timeScale: try TimeScale(0.0003))
        let clock = ContinuousClock()
        let elapsed = try await clock.measure { try await delay.sleep() }
        #expect(elapsed >= .milliseconds(30))
        #expect(elapsed < .seconds(20))
    }

    @Test("time scales that are negative, infinite or not numbers are refused with an example")
    func badTimeScales() throws {
        for text in ["-1", "abc", "inf", ""] {
            #expect(throws: TimeScaleError(text: text)) { try TimeScale(parsing: text) }
        }
        #expect(TimeScaleError(text: "-1").description.contains("--time-scale 0.01"))
        #expect(try TimeScale(parsing: "0.01").factor == 0.01)
    }

    @Test("the sampler gives each occurrence its own reproducible stream, whatever the order of draws")
    func samplerIsOrderIndependent() throws {
        let profile = try ProfileLoader().load(nameOrPath: "lambda")
        let sampler = OverheadSampler(profile: profile, seed: 42, timeScale: try TimeScale(0.01))
        let forward = (0..<20).map { sampler.delay(.invoke, function: "org-status", index: $0).simulatedMs }
        let backward = (0..<20).reversed().map { sampler.delay(.invoke, function: "org-status", index: $0).simulatedMs }
        #expect(forward == backward.reversed())
        #expect(Set(forward).count == 20)
        let again = OverheadSampler(profile: profile, seed: 42, timeScale: .realTime)
        #expect(
            again.delay(.coldStart, function: "rules", index: 3).simulatedMs
                == sampler.delay(.coldStart, function: "rules", index: 3).simulatedMs)
        let otherSeed = OverheadSampler(profile: profile, seed: 43)
        #expect(otherSeed.delay(.invoke, function: "org-status", index: 0).simulatedMs != forward[0])
        #expect(forward.allSatisfy { (25...150).contains($0) })
    }

    @Test("the none profile's sampler draws zero everywhere")
    func noneIsZero() {
        let sampler = OverheadSampler(profile: .none, seed: 1)
        for component in OverheadComponent.allCases {
            #expect(sampler.delay(component, function: "org-status", index: 0) == .zero)
        }
    }
}
