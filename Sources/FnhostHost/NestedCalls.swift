import FnhostTraces
import FnhostWire

/// What one invocation spent in calls to other functions, so the caller's figures can be stated in simulated
/// terms: the calls' simulated delays replace the real time slept for them.
///
/// Calls that overlap in real time ran side by side (a fan-out, such as the eligibility orchestrator's three
/// branches): a group of them lengthens the caller's timeline by its longest path, not by the sum of its calls.
/// Calls one after another each add their own delay, as before.
struct NestedCalls: Sendable {
    /// One completed call, on the caller's real clock.
    struct Call: Sendable {
        var start: ContinuousClock.Instant
        var end: ContinuousClock.Instant
        /// Real time the call slept for its simulated delays.
        var sleep: Duration
        /// The call's simulated delays, ms.
        var simulatedMs: Double
        /// The callee's spans (its invocation first, at offset 0), for the caller's trace.
        var spans: [Span] = []
    }

    private(set) var calls: [Call] = []

    mutating func record(_ call: Call) { calls.append(call) }

    /// The real time slept along each group's longest measured path, and the simulated delay that replaces it,
    /// summed over the groups of overlapping calls. For one call alone: its own sleep and its own delay.
    var totals: (realSleep: Duration, simulatedMs: Double) {
        var sleep = Duration.zero
        var simulated = 0.0
        for group in groups() {
            let start = group.map(\.start).min()!
            let span = group.map(\.end).max()! - start
            // Each call's path from the group's start: the real work before it began, then the call without its
            // sleep (measured), or with its simulated delay instead (simulated).
            let measured = group.map { ($0.start - start) + ($0.end - $0.start) - $0.sleep }.max()!
            let withDelays = group.map {
                (($0.start - start) + ($0.end - $0.start) - $0.sleep).inMilliseconds + $0.simulatedMs
            }
            .max()!
            sleep += span - measured
            simulated += withDelays - measured.inMilliseconds
        }
        return (sleep, simulated)
    }

    /// Where each call began on the caller's Lambda timeline: ms after `start` (the worker got the event), with the
    /// real sleep of the calls that had ended before it replaced by their simulated delay.
    func timelineCalls(from start: ContinuousClock.Instant) -> [InvocationTimeline.Call] {
        calls.map { call in
            let earlier = calls.filter { $0.end <= call.start }
            let shift = earlier.reduce(0.0) { $0 + $1.simulatedMs - $1.sleep.inMilliseconds }
            return InvocationTimeline.Call(offsetMs: (call.start - start).inMilliseconds + shift, spans: call.spans)
        }
    }

    /// The calls in groups whose real intervals overlap, in order of start.
    func groups() -> [[Call]] {
        var groups: [[Call]] = []
        var end: ContinuousClock.Instant?
        for call in calls.sorted(by: { $0.start < $1.start }) {
            if let e = end, call.start < e {
                groups[groups.count - 1].append(call)
                end = max(e, call.end)
            } else {
                groups.append([call])
                end = call.end
            }
        }
        return groups
    }
}
