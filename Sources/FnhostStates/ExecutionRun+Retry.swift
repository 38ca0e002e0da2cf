import FnhostSimulation
import FnhostWire

extension ExecutionRun {
    /// Runs `body` (attempt number from 1, the retry counts so far) until it succeeds or an error no retrier takes:
    /// the first retrier whose `ErrorEquals` matches decides; once its `MaxAttempts` are spent, the error goes on to
    /// `Catch`. The wait before retry n is `IntervalSeconds × BackoffRate^(n−1)`, capped by `MaxDelaySeconds`, and
    /// with `JitterStrategy: FULL` a seeded random fraction of that.
    func withRetry(
        _ retriers: [Retrier], _ step: StateStep, entered: Int,
        onInterrupted: (_ attempt: Int) async -> StatesError,
        body: (_ attempt: Int, _ counts: [Int]) async throws -> JSONValue
    ) async throws -> JSONValue {
        var counts = step.retryCounts + [Int](repeating: 0, count: max(0, retriers.count - step.retryCounts.count))
        var attempt = 1 + counts.reduce(0, +)
        var pending: StatesError? = nil
        switch step.resumePhase {
        case .taskInFlight(let a):
            attempt = a
            pending = await onInterrupted(a)
        case .running:
            pending = await onInterrupted(attempt)
        case .retrying(let a, let deadline):
            attempt = a
            try await clock.sleep(seconds: max(0, clock.now().seconds(until: deadline)))
        case .entering, .waiting:
            break
        }
        var random = self.random("retry", state: step.state.name, entered: entered)
        while true {
            let error: StatesError
            if let p = pending {
                error = p
                pending = nil
            } else {
                do {
                    return try await body(attempt, counts)
                } catch let e as StatesError {
                    error = e
                }
            }
            guard let r = retriers.firstIndex(where: { error.isMatched(by: $0.errorEquals) }),
                counts[r] < retriers[r].maxAttempts
            else { throw error }
            counts[r] += 1
            var delay = retriers[r].delay(beforeRetry: counts[r])
            if retriers[r].jitter == .full { delay = Double.random(in: 0...delay, using: &random) }
            attempt += 1
            if step.topLevel {
                await recorder.checkpoint(
                    ExecutionCheckpoint(
                        stateName: step.state.name, input: step.rawInput, lastEventId: step.lane.last, nextEventId: 0,
                        retryCounts: counts,
                        phase: .retrying(attempt: attempt, deadline: clock.now().adding(seconds: delay))))
            }
            try await clock.sleep(seconds: delay)
        }
    }

    /// The error a resumed execution gives a task that was in flight when its host stopped.
    func interruptedError(_ state: State, attempt: Int) -> StatesError {
        StatesError(
            StatesError.taskInterrupted,
            "fnhost stopped while state '\(state.name)' (attempt \(attempt)) was running; it was not run again. "
                + "A Retry on \(StatesError.taskInterrupted) (or States.TaskFailed, States.ALL) runs it again.")
    }
}

/// A Parallel branch's or Map iteration's error, with the last event that branch wrote.
struct BranchFailure: Error {
    var error: StatesError
    var last: Int
}
