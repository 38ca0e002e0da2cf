import FnhostPool
import Testing

/// PutFunctionConcurrency on the pure state: the limit changes while workers are busy, idle or waited for.
extension PoolStateTests {
    @Test func loweringTheLimitRetiresIdleWorkersOverItLeastRecentlyUsedFirst() {
        var state = Self.pool(max: 4, idle: [1, 2, 3, 4])
        #expect(state.setMaxConcurrency(2) == [])
        #expect(state.idle.map(\.worker) == [3, 4])
        #expect(state.expired == [1, 2])
        #expect(state.total == 2)
        #expect(state.reap(at: Self.at(100)) == [1, 2])
    }

    @Test func busyWorkersOverALoweredLimitFinishAndThenLeaveThePool() {
        var state = Self.pool(max: 3, idle: [1, 2, 3])
        for _ in 0..<3 { _ = state.acquire(canWait: false, at: Self.at(100)) }
        #expect(state.setMaxConcurrency(1) == [])
        #expect(state.busy == [1, 2, 3], "busy workers are not interrupted")
        #expect(state.acquire(canWait: false, at: Self.at(110)) == .throttle)
        #expect(state.release(3, at: Self.at(120)) == .none)
        #expect(state.expired == [3])
        #expect(state.release(2, at: Self.at(130)) == .none)
        #expect(state.expired == [3, 2])
        #expect(state.acquire(canWait: false, at: Self.at(140)) == .throttle, "worker 1 still holds the one slot")
        #expect(state.release(1, at: Self.at(150)) == .none)
        #expect(state.idle.map(\.worker) == [1], "the last one, within the limit, stays warm")
        #expect(state.acquire(canWait: false, at: Self.at(160)) == .reuse(1))
    }

    @Test func raisingTheLimitGivesWaitersTheNewSlotsAtOnce() {
        var state = Self.fresh(max: 1)
        #expect(state.acquire(canWait: true, at: Self.at(0)) == .start)
        state.started(1)
        for waiter in [10, 11, 12] {
            #expect(state.acquire(canWait: true, at: Self.at(1)) == .wait)
            state.enqueue(waiter)
        }
        #expect(state.setMaxConcurrency(3) == [10, 11])
        #expect(state.starting == 2)
        #expect(Array(state.waiting) == [12])
        #expect(state.acquire(canWait: false, at: Self.at(2)) == .throttle)
    }

    @Test func aLimitOfZeroThrottlesEveryRequestAndKeepsNoWarmWorker() {
        var state = Self.pool(max: 2, idle: [1, 2])
        #expect(state.setMaxConcurrency(0) == [])
        #expect(state.idle.isEmpty)
        #expect(state.acquire(canWait: false, at: Self.at(100)) == .throttle)
        #expect(state.setMaxConcurrency(2) == [])
        #expect(state.acquire(canWait: false, at: Self.at(100)) == .start)
    }

    @Test func aFreedSlotOverALoweredLimitIsNotHandedToAWaiter() {
        var state = Self.fresh(max: 2)
        for worker in [1, 2] {
            #expect(state.acquire(canWait: true, at: Self.at(0)) == .start)
            state.started(worker)
        }
        #expect(state.acquire(canWait: true, at: Self.at(1)) == .wait)
        state.enqueue(9)
        #expect(state.setMaxConcurrency(1) == [])
        #expect(state.remove(1) == .none, "one worker still busy: the pool is at its limit of 1")
        #expect(state.remove(2) == .slot(9))
    }
}
