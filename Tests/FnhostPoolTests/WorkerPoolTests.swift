import FnhostPool
import Synchronization
import TestSupport
import Testing

/// The pool actor's waiting, hand-offs and shutdown, with stand-in workers (no processes).
@Suite struct WorkerPoolTests {
    final class FakeWorker: PooledWorker {
        let id: Int
        private let stopped = Mutex(false)
        init(id: Int) { self.id = id }
        func stop() async { stopped.withLock { $0 = true } }
        var isStopped: Bool { stopped.withLock { $0 } }
    }

    /// Starts workers numbered 1, 2, ... and keeps them; fails the starts whose numbers are in `failing`.
    final class Starter: Sendable {
        private let state = Mutex((next: 0, started: [FakeWorker]()))
        let failing: Set<Int>
        init(failing: Set<Int> = []) { self.failing = failing }

        struct StartFailed: Error {}

        func start() throws -> FakeWorker {
            let (n, worker) = state.withLock { s -> (Int, FakeWorker) in
                s.next += 1
                let w = FakeWorker(id: s.next)
                if !failing.contains(s.next) { s.started.append(w) }
                return (s.next, w)
            }
            if failing.contains(n) { throw StartFailed() }
            return worker
        }

        var started: [FakeWorker] { state.withLock { $0.started } }
    }

    static func pool(max: Int, maxWait: Duration = .zero, keepAlive: Duration = .seconds(600), starter: Starter)
        -> WorkerPool<FakeWorker>
    {
        WorkerPool(policy: PoolPolicy(maxConcurrency: max, maxWait: maxWait, keepAlive: keepAlive)) { _ in
            try starter.start()
        }
    }

    @Test func aReleasedWorkerIsReusedWarmAndTheMostRecentFirst() async throws {
        let starter = Starter()
        let pool = Self.pool(max: 2, starter: starter)
        let a = try await pool.acquire()
        let b = try await pool.acquire()
        #expect(a.isColdStart && b.isColdStart)
        await pool.release(a.worker)
        await pool.release(b.worker)
        let c = try await pool.acquire()
        #expect(!c.isColdStart)
        #expect(c.worker === b.worker)
        #expect(await pool.coldStarts == 2)
    }

    @Test func atTheLimitWithoutWaitingARequestIsThrottled() async throws {
        let pool = Self.pool(max: 1, starter: Starter())
        _ = try await pool.acquire()
        await #expect(throws: PoolError.self) { try await pool.acquire() }
        do throws(PoolError) {
            _ = try await pool.acquire()
        } catch {
            guard case .throttled(let limit) = error else { Issue.record("got \(error)"); return }
            #expect(limit == 1)
        }
    }

    @Test func aWaitingRequestGetsTheReleasedWorker() async throws {
        let pool = Self.pool(max: 1, maxWait: .seconds(5), starter: Starter())
        let first = try await pool.acquire()
        async let second = pool.acquire()
        #expect(await eventually(within: .seconds(2)) { await pool.snapshot.waiting == 1 })
        await pool.release(first.worker)
        let lease = try await second
        #expect(lease.worker === first.worker)
        #expect(!lease.isColdStart)
        #expect(await pool.snapshot.busy == 1)
    }

    @Test func aWaitingRequestIsThrottledWhenMaxWaitRunsOut() async throws {
        let pool = Self.pool(max: 1, maxWait: .milliseconds(100), starter: Starter())
        _ = try await pool.acquire()
        let (outcome, took) = await measure { () async -> PoolError? in
            do throws(PoolError) { _ = try await pool.acquire(); return nil } catch { return error }
        }
        guard case .throttled? = outcome else { Issue.record("got \(String(describing: outcome))"); return }
        #expect(took >= .milliseconds(90) && took < .seconds(1))
        #expect(await pool.snapshot.waiting == 0)
    }

    @Test func discardingABusyWorkerStopsItAndGivesItsSlotToAWaiterWhoStartsAFreshOne() async throws {
        let starter = Starter()
        let pool = Self.pool(max: 1, maxWait: .seconds(5), starter: starter)
        let broken = try await pool.acquire()
        async let next = pool.acquire()
        #expect(await eventually(within: .seconds(2)) { await pool.snapshot.waiting == 1 })
        await pool.discard(broken.worker)
        let lease = try await next
        #expect(broken.worker.isStopped)
        #expect(lease.isColdStart)
        #expect(lease.worker !== broken.worker)
        #expect(await pool.snapshot.busy == 1)
    }

    @Test func aFailedStartFreesItsSlot() async throws {
        let pool = Self.pool(max: 1, starter: Starter(failing: [1]))
        do throws(PoolError) {
            _ = try await pool.acquire()
            Issue.record("a start that failed gave a worker")
        } catch {
            guard case .startFailed = error else { Issue.record("got \(error)"); return }
        }
        #expect(await pool.snapshot.starting == 0)
        let lease = try await pool.acquire()
        #expect(lease.worker.id == 2)
    }

    @Test func reapingStopsOnlyIdleWorkersPastTheirKeepAlive() async throws {
        let starter = Starter()
        let pool = Self.pool(max: 2, keepAlive: .zero, starter: starter)
        let idle = try await pool.acquire()
        let busy = try await pool.acquire()
        await pool.release(idle.worker)
        #expect(await pool.reapIdle() == 1)
        #expect(idle.worker.isStopped)
        #expect(!busy.worker.isStopped)
        #expect(await pool.snapshot.busy == 1)
        #expect(await pool.snapshot.idle == 0)
    }

    @Test func withAKeepAliveOfZeroEveryAcquireStartsAColdWorker() async throws {
        let starter = Starter()
        let pool = Self.pool(max: 1, keepAlive: .zero, starter: starter)
        for n in 1...3 {
            let lease = try await pool.acquire()
            #expect(lease.isColdStart && lease.worker.id == n)
            await pool.release(lease.worker)
            #expect(await pool.snapshot.idle == 0)
        }
        #expect(await pool.reapIdle() == 3)
        #expect(starter.started.allSatisfy { $0.isStopped })
    }

    @Test func shutdownStopsEveryWorkerFailsWaitersAndRefusesNewRequests() async throws {
        let starter = Starter()
        let pool = Self.pool(max: 2, maxWait: .seconds(5), starter: starter)
        let a = try await pool.acquire()
        let b = try await pool.acquire()
        await pool.release(b.worker)
        _ = try await pool.acquire()
        async let waiter = pool.acquire()
        #expect(await eventually(within: .seconds(2)) { await pool.snapshot.waiting == 1 })
        await pool.shutdown()
        #expect(starter.started.allSatisfy { $0.isStopped })
        do {
            _ = try await waiter
            Issue.record("a waiter got a worker from a pool that shut down")
        } catch {
            guard case .shuttingDown? = error as? PoolError else { Issue.record("got \(error)"); return }
        }
        do throws(PoolError) {
            _ = try await pool.acquire()
            Issue.record("a pool that shut down lent a worker")
        } catch {
            guard case .shuttingDown = error else { Issue.record("got \(error)"); return }
        }
        // A worker given back after shutdown is stopped, not kept.
        await pool.release(a.worker)
        #expect(await pool.snapshot.idle == 0)
    }
}
