import FnhostSimulation
import Foundation
import Testing

@testable import FnhostExperiment

/// How the time scale is chosen or checked from measured real costs (the pure decision).
@Suite struct TimelineCalibrationTests {
    /// Costs like org-status's in a release build: 3 ms real per warm call beside 75 ms simulated; a cold start of
    /// 40 ms real beside 250 ms simulated.
    static let costs = TimelineCalibration.Costs(
        coldStarts: 4, warmInvocations: 16, warmRealMs: 3, coldExtraRealMs: 40, warmSimulatedMs: 75,
        coldExtraSimulatedMs: 250, warmCPUMs: 2, coldCPUMs: 30, warmServiceMs: [78], coldServiceMs: [330])

    @Test func theChosenScaleIsTheSmallestThatKeepsEveryStretchWithinTheTolerance() throws {
        let t = TimelineCalibration.decide(
            function: "f", costs: Self.costs, meanInterArrivalMs: 200, tolerance: 0.1, fixed: nil)
        #expect(t.decision == .chosen && t.holds)
        // The cold start decides: 40 / (40 + 0.1 × 290) = 0.5797 → 0.58.
        #expect(t.timeScale == 0.58)
        #expect(try #require(t.coldStretchMs) <= 0.1 * 290 + 1e-9)
        #expect(try #require(t.warmStretchMs) <= 0.1 * 78)
        #expect(t.lines.contains { $0.contains("time scale 0.58 chosen") })
    }

    @Test func aGivenScaleBelowTheRequiredOneIsReportedAsStretched() throws {
        let t = TimelineCalibration.decide(
            function: "f", costs: Self.costs, meanInterArrivalMs: 200, tolerance: 0.1, fixed: try TimeScale(0.05))
        #expect(t.decision == .stretched && !t.holds)
        #expect(t.timeScale == 0.05 && t.requiredTimeScale == 0.58)
        // At 0.05 a 40 ms cold start holds its worker 800 simulated ms: 760 ms too long.
        #expect(abs(try #require(t.coldStretchMs) - 760) < 1e-6)
        #expect(t.lines.contains { $0.contains("WARNING") })
        let fine = TimelineCalibration.decide(
            function: "f", costs: Self.costs, meanInterArrivalMs: nil, tolerance: 0.1, fixed: try TimeScale(1))
        #expect(fine.decision == .holds && fine.coldStretchMs == 0)
        // Time scale 0 sleeps nothing: the stretch is unbounded, and the JSON still encodes (no infinity).
        let none = TimelineCalibration.decide(
            function: "f", costs: Self.costs, meanInterArrivalMs: nil, tolerance: 0.1, fixed: try TimeScale(0))
        #expect(none.decision == .stretched && none.coldStretchMs == nil)
        let decoded = try JSONDecoder().decode(TimelineCalibration.self, from: try JSONEncoder().encode(none))
        #expect(decoded == none)
    }

    @Test func aTightInterArrivalGapCanDecide() {
        // 20 ms between arrivals: the warm call's 3 ms must stretch by at most 2 ms: 3 / (3 + 2) = 0.6.
        let t = TimelineCalibration.decide(
            function: "f", costs: Self.costs, meanInterArrivalMs: 20, tolerance: 0.1, fixed: nil)
        #expect(t.timeScale == 0.6)
    }

    @Test func aRealCostFarBeyondItsSimulatedSpanNeedsNearlyRealTimeAndTheScaleRoundsUp() {
        var slow = Self.costs
        slow.coldExtraRealMs = 5_000
        slow.coldExtraSimulatedMs = 0
        // 5000 / (5000 + 0.1 × 5000) = 0.909…: the stretch is then exactly 10 % of the real cost itself.
        let t = TimelineCalibration.decide(
            function: "f", costs: slow, meanInterArrivalMs: nil, tolerance: 0.1, fixed: nil)
        #expect(t.timeScale == 0.91 && (t.coldStretchMs ?? .infinity) <= 500)
        #expect(TimelineCalibration.roundUp(0.5731) == 0.58)
        #expect(TimelineCalibration.roundUp(0.058) == 0.058)
        #expect(TimelineCalibration.roundUp(0.0123) == 0.013)
    }
}
