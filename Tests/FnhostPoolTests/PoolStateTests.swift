import FnhostPool
import FnhostSimulation
import TestSupport
import Testing

/// The pool's decisions, on the pure state: workers and waiters are plain integers, and instants are milliseconds
/// after a fixed origin (`at(ms)`), passed in: no clock is read.
@Suite struct PoolStateTests {
    typealias State = PoolState<Int, Int, ContinuousClock.Instant>

    static let origin = ContinuousClock.now
    /// The instant `ms` milliseconds after the origin.
    static func at(_ ms: Int) -> ContinuousClock.Instant { origin.advanced(by: .milliseconds(ms)) }

    /// A pool with `max` slots and a keep-alive of `keepAliveMs` whose workers `ids` were started together and then
    /// released in this order, the first at instant 0, the next at 10, and so on.
    static func pool(max: Int, idle ids: [Int], maxWaiting: Int = 10, keepAliveMs: Int = 1_000_000) -> State {
        var state = State(maxConcurrency: max, maxWaiting: maxWaiting, keepAlive: .milliseconds(keepAliveMs))
        for _ in ids { #expect(state.acquire(canWait: false, at: at(0)) == .start) }
        for worker in ids { state.started(worker) }
        for (i, worker) in ids.enumerated() { #expect(state.release(worker, at: at(i * 10)) == .none) }
        return state
    }

    static func fresh(max: Int, maxWaiting: Int = 10, keepAliveMs: Int = 1_000_000) -> State {
        State(maxConcurrency: max, maxWaiting: maxWaiting, keepAlive: .milliseconds(keepAliveMs))
    }

    @Test func anEmptyPoolStartsAColdWorkerAndHoldsASlotForIt() {
        var state = Self.fresh(max: 2)
        #expect(state.acquire(canWait: true, at: Self.at(100)) == .start)
        #expect(state.starting == 1)
        #expect(state.total == 1)
        state.started(7)
        #expect(state.starting == 0)
        #expect(state.busy == [7])
    }

    @Test func theMostRecentlyUsedIdleWorkerIsReusedFirst() {
        var state = Self.pool(max: 3, idle: [2, 3, 1])
        #expect(state.acquire(canWait: false, at: Self.at(100)) == .reuse(1))
        #expect(state.acquire(canWait: false, at: Self.at(100)) == .reuse(3))
        #expect(state.acquire(canWait: false, at: Self.at(100)) == .reuse(2))
        #expect(state.busy == [1, 2, 3])
        #expect(state.idle.isEmpty)
    }

    @Test func aReleasedWorkerBecomesTheMostRecentlyUsed() {
        var state = Self.pool(max: 2, idle: [1, 2])
        #expect(state.acquire(canWait: false, at: Self.at(100)) == .reuse(2))
        #expect(state.acquire(canWait: false, at: Self.at(100)) == .reuse(1))
        #expect(state.release(2, at: Self.at(5)) == .none)
        #expect(state.release(1, at: Self.at(6)) == .none)
        #expect(state.acquire(canWait: false, at: Self.at(100)) == .reuse(1))
    }

    @Test func aColdWorkerStartsOnlyWhileUnderTheCap() {
        var state = Self.fresh(max: 2)
        #expect(state.acquire(canWait: false, at: Self.at(100)) == .start)
        #expect(state.acquire(canWait: false, at: Self.at(100)) == .start)
        #expect(state.acquire(canWait: false, at: Self.at(100)) == .throttle)
        state.started(1)
        #expect(state.acquire(canWait: false, at: Self.at(100)) == .throttle)
        #expect(state.total == 2)
    }

    @Test func atTheCapARequestWaitsWhenWaitingIsAllowedAndIsThrottledOtherwise() {
        var state = Self.fresh(max: 1, maxWaiting: 2)
        #expect(state.acquire(canWait: true, at: Self.at(100)) == .start)
        #expect(state.acquire(canWait: false, at: Self.at(100)) == .throttle)
        #expect(state.acquire(canWait: true, at: Self.at(100)) == .wait)
        state.enqueue(100)
        #expect(state.acquire(canWait: true, at: Self.at(100)) == .wait)
        state.enqueue(101)
        // The line is full.
        #expect(state.acquire(canWait: true, at: Self.at(100)) == .throttle)
        #expect(state.waiting.count == 2)
    }

    @Test func releaseHandsTheWorkerToTheFirstWaiterAndKeepsItBusy() {
        var state = Self.fresh(max: 1)
        #expect(state.acquire(canWait: true, at: Self.at(100)) == .start)
        state.started(1)
        state.enqueue(100)
        state.enqueue(101)
        #expect(state.release(1, at: Self.at(0)) == .worker(100, 1))
        #expect(state.busy == [1])
        #expect(state.idle.isEmpty)
        #expect(Array(state.waiting) == [101])
        #expect(state.release(1, at: Self.at(1)) == .worker(101, 1))
        #expect(state.release(1, at: Self.at(2)) == .none)
        #expect(state.idle.map(\.worker) == [1])
    }

    @Test func releasingAWorkerThePoolDoesNotHoldChangesNothing() {
        var state = Self.pool(max: 2, idle: [1])
        #expect(state.release(9, at: Self.at(1)) == .none)
        #expect(state.idle.map(\.worker) == [1])
        #expect(state.busy.isEmpty)
    }

    @Test func removingABusyWorkerGivesItsSlotToTheFirstWaiter() {
        var state = Self.fresh(max: 1)
        #expect(state.acquire(canWait: true, at: Self.at(100)) == .start)
        state.started(1)
        state.enqueue(100)
        #expect(state.remove(1) == .slot(100))
        // The waiter now holds a slot to start a worker in.
        #expect(state.starting == 1)
        #expect(state.busy.isEmpty)
        #expect(state.waiting.isEmpty)
        #expect(state.total == 1)
    }

    @Test func removingAnIdleWorkerFreesItsSlot() {
        var state = Self.pool(max: 1, idle: [1])
        #expect(state.remove(1) == .none)
        #expect(state.total == 0)
        #expect(state.acquire(canWait: false, at: Self.at(100)) == .start)
    }

    @Test func removingAnUnknownWorkerChangesNothing() {
        var state = Self.fresh(max: 1)
        #expect(state.acquire(canWait: true, at: Self.at(100)) == .start)
        state.started(1)
        state.enqueue(100)
        #expect(state.remove(42) == .none)
        #expect(Array(state.waiting) == [100])
        #expect(state.busy == [1])
    }

    @Test func aFailedStartGivesTheSlotToTheFirstWaiter() {
        var state = Self.fresh(max: 1)
        #expect(state.acquire(canWait: true, at: Self.at(100)) == .start)
        state.enqueue(100)
        #expect(state.startFailed() == .slot(100))
        #expect(state.starting == 1)
        #expect(state.startFailed() == .none)
        #expect(state.total == 0)
    }

    @Test func aWaiterThatGivesUpLeavesTheLine() {
        var state = Self.fresh(max: 1)
        #expect(state.acquire(canWait: true, at: Self.at(100)) == .start)
        state.started(1)
        state.enqueue(100)
        state.enqueue(101)
        let left = state.cancelWait(100)
        let leftAgain = state.cancelWait(100)
        #expect(left)
        #expect(!leftAgain)
        #expect(state.release(1, at: Self.at(0)) == .worker(101, 1))
    }

    @Test func reapTakesOnlyIdleWorkersWhoseKeepAliveRanOut() {
        var state = Self.pool(max: 4, idle: [1, 2, 3], keepAliveMs: 100)
        #expect(state.acquire(canWait: false, at: Self.at(25)) == .reuse(3))
        // 1 idles since 0 and 2 since 10; 3 is busy and is never reaped; the keep-alive's end is inclusive.
        #expect(state.reap(at: Self.at(105)) == [1])
        #expect(state.reap(at: Self.at(109)) == [])
        #expect(state.reap(at: Self.at(110)) == [2])
        #expect(state.idle.isEmpty)
        #expect(state.busy == [3])
        #expect(state.total == 1)
    }

    @Test func anIdleWorkerPastItsKeepAliveIsNeverLentWhateverTheReaperDid() {
        // Worker 1 idles since 0 with a keep-alive of 100 ms; nobody reaped it.
        var state = Self.pool(max: 2, idle: [1], keepAliveMs: 100)
        #expect(state.warm(at: Self.at(99)) == [1])
        #expect(state.warm(at: Self.at(100)).isEmpty)
        // One millisecond before the end it is warm; at the end it is expired and the request starts a cold worker.
        var before = state
        #expect(before.acquire(canWait: false, at: Self.at(99)) == .reuse(1))
        #expect(state.acquire(canWait: false, at: Self.at(100)) == .start)
        #expect(state.expired == [1])
        #expect(state.idle.isEmpty)
        // The reaper is left only the process to stop, once.
        #expect(state.reap(at: Self.at(200)) == [1])
        #expect(state.reap(at: Self.at(300)) == [])
    }

    @Test func anExpiredWorkerFreesItsSlotAtOnce() {
        // At the cap with one idle worker past its keep-alive: the request starts a worker instead of waiting.
        var state = Self.pool(max: 1, idle: [1], keepAliveMs: 50)
        #expect(state.acquire(canWait: true, at: Self.at(50)) == .start)
        #expect(state.total == 1)
        #expect(state.starting == 1)
    }

    @Test func withAKeepAliveOfZeroNoRequestEverFindsAWarmWorker() {
        var state = Self.fresh(max: 1, keepAliveMs: 0)
        #expect(state.acquire(canWait: true, at: Self.at(0)) == .start)
        state.started(1)
        state.enqueue(100)
        // Released with a request waiting: the waiter gets the slot to start a new worker, not the used one.
        #expect(state.release(1, at: Self.at(5)) == .slot(100))
        state.started(2)
        #expect(state.release(2, at: Self.at(10)) == .none)
        #expect(state.idle.isEmpty)
        // Even a request at the very instant of the release starts cold.
        #expect(state.acquire(canWait: false, at: Self.at(10)) == .start)
        #expect(state.reap(at: Self.at(10)) == [1, 2])
    }

    @Test func aPinnedWorkerNeverExpires() {
        var state = Self.fresh(max: 2, keepAliveMs: 0)
        #expect(state.acquire(canWait: false, at: Self.at(0)) == .start)
        state.started(1, pinned: true)
        #expect(state.release(1, at: Self.at(1)) == .none)
        #expect(state.acquire(canWait: false, at: Self.at(1_000_000)) == .reuse(1))
        #expect(state.reap(at: Self.at(2_000_000)) == [])
    }

    @Test func removingAnExpiredWorkerBeforeTheReaperStopsItForgetsIt() {
        var state = Self.pool(max: 1, idle: [1], keepAliveMs: 10)
        state.expire(at: Self.at(20))
        #expect(state.remove(1) == .none)
        #expect(state.expired.isEmpty)
        #expect(state.drain().workers.isEmpty)
    }

    @Test func drainEmptiesThePoolAndReturnsEveryWorkerAndWaiter() {
        var state = Self.pool(max: 2, idle: [1, 2])
        #expect(state.acquire(canWait: false, at: Self.at(100)) == .reuse(2))
        state.enqueue(100)
        let (workers, waiters) = state.drain()
        #expect(Set(workers) == [1, 2])
        #expect(waiters == [100])
        #expect(state.total == 0)
        #expect(state.waiting.isEmpty)
    }

    /// Random sequences of every operation never break `idle + busy + starting <= maxConcurrency`, never lend
    /// one worker twice, and never leave a waiter in line while a worker idles.
    @Test(arguments: [1, 2, 3, 5])
    func theInvariantHoldsUnderAnySequenceOfOperations(maxConcurrency: Int) {
        var rng = SeededGenerator(seed: UInt64(maxConcurrency) &* 7919)
        var state = Self.fresh(max: maxConcurrency, maxWaiting: 3, keepAliveMs: 15)
        var nextWorker = 1
        var nextWaiter = 1000
        var now = 0
        var lent: Set<Int> = []
        var startingSlots = 0
        for _ in 0..<5_000 {
            now += 1
            switch rng.next() % 7 {
            case 0, 1:
                switch state.acquire(canWait: rng.next() % 2 == 0, at: Self.at(now)) {
                case .reuse(let w):
                    #expect(!lent.contains(w), "worker \(w) lent twice")
                    lent.insert(w)
                case .start: startingSlots += 1
                case .wait:
                    #expect(state.total == maxConcurrency, "waits only at the cap")
                    state.enqueue(nextWaiter)
                    nextWaiter += 1
                case .throttle: #expect(state.total == maxConcurrency, "throttles only at the cap")
                }
            case 2:
                if startingSlots > 0 {
                    startingSlots -= 1
                    if rng.next() % 4 == 0 {
                        if case .slot = state.startFailed() { startingSlots += 1 }
                    } else {
                        state.started(nextWorker)
                        lent.insert(nextWorker)
                        nextWorker += 1
                    }
                }
            case 3:
                if let w = lent.randomElement(using: &rng) {
                    switch state.release(w, at: Self.at(now)) {
                    case .worker: break  // stays lent, to the waiter
                    case .none: lent.remove(w)
                    case .slot: Issue.record("a release never hands out a bare slot")
                    }
                }
            case 4:
                if let w = lent.randomElement(using: &rng) {
                    lent.remove(w)
                    if case .slot = state.remove(w) { startingSlots += 1 }
                }
            case 5:
                if let w = state.waiting.first, rng.next() % 2 == 0 {
                    let left = state.cancelWait(w)
                    #expect(left)
                }
            default:
                _ = state.reap(at: Self.at(now))
            }
            #expect(state.total <= maxConcurrency)
            #expect(state.idle.count + state.busy.count + state.starting == state.total)
            #expect(state.starting == startingSlots)
            #expect(state.waiting.isEmpty || state.idle.isEmpty, "a waiter waits while a worker idles")
            #expect(Set(state.idle.map(\.worker)).isDisjoint(with: state.busy))
            #expect(Set(state.expired).isDisjoint(with: state.busy.union(state.idle.map(\.worker))))
            // No idle worker past its keep-alive is ever lent: whatever acquire returns next is warm.
            var probe = state
            if case .reuse(let w) = probe.acquire(canWait: false, at: Self.at(now)),
                let since = state.idle.first(where: { $0.worker == w })?.since
            {
                #expect(since.advanced(by: .milliseconds(15)) > Self.at(now), "lent worker \(w) past its keep-alive")
            }
        }
    }
}
