/// A worker the pool can hold: something with an identity that can be stopped.
public protocol PooledWorker: AnyObject, Sendable {
    var id: Int { get }
    /// Stops the worker and waits until it is gone.
    func stop() async
}

/// How a pool behaves: its concurrency limit, how long an invocation may wait for a worker, and the keep-alive.
public struct PoolPolicy: Sendable, Equatable {
    public var maxConcurrency: Int
    /// How long an invocation may wait for a worker when all are busy; zero throttles at once, as Lambda does.
    public var maxWait: Duration
    /// How many invocations may wait at once.
    public var maxWaiting: Int
    public var keepAlive: Duration

    public init(maxConcurrency: Int, maxWait: Duration = .zero, maxWaiting: Int = 1_000, keepAlive: Duration) {
        self.maxConcurrency = maxConcurrency
        self.maxWait = maxWait
        self.maxWaiting = maxWaiting
        self.keepAlive = keepAlive
    }
}

/// Why the pool could not provide a worker.
public enum PoolError: Error, Sendable {
    /// All workers busy at the concurrency limit (Lambda's 429 `TooManyRequestsException`).
    case throttled(limit: Int)
    /// Starting a worker failed; the underlying error says why (init error, exit, spawn failure).
    case startFailed(any Error)
    /// The pool is shutting down.
    case shuttingDown
}

/// A worker lent to one invocation. Give it back with ``WorkerPool/release(_:)`` or ``WorkerPool/discard(_:)``.
public struct Lease<Worker: PooledWorker>: Sendable {
    public let worker: Worker
    /// True when the worker was started for this invocation (a cold start).
    public let isColdStart: Bool
}

/// One function's workers: it lends a warm worker when there is one (the most recently used first), starts a
/// cold one up to the concurrency limit, and otherwise makes the invocation wait (bounded) or throttles it.
/// Workers are started by the `start` closure, outside the actor, so that a slow cold start never blocks others.
public actor WorkerPool<Worker: PooledWorker> {
    /// Starts one worker; `provisioned` is true for workers started ahead of traffic.
    public typealias Starter = @Sendable (_ provisioned: Bool) async throws -> Worker

    public nonisolated let policy: PoolPolicy
    private var state: PoolState<ObjectIdentifier, Int, ContinuousClock.Instant>
    private var workers: [ObjectIdentifier: Worker] = [:]
    private var waiters: [Int: CheckedContinuation<Grant, any Error>] = [:]
    private var nextWaiter = 0
    private var closed = false
    private let start: Starter
    private let clock = ContinuousClock()
    public private(set) var coldStarts = 0
    /// The generation of the last limit applied by ``setMaxConcurrency(_:generation:)``.
    private var limitGeneration = 0

    private enum Grant {
        case worker(Worker)
        case slot
    }

    public init(policy: PoolPolicy, start: @escaping Starter) {
        self.policy = policy
        self.start = start
        self.state = PoolState(
            maxConcurrency: policy.maxConcurrency, maxWaiting: policy.maxWaiting, keepAlive: policy.keepAlive)
    }

    /// Counts for metrics and tests: `idle` counts only workers still within their keep-alive (an expired one
    /// will never serve again, even while its process waits for the reaper).
    public var snapshot: (idle: Int, busy: Int, starting: Int, waiting: Int) {
        (state.warm(at: clock.now).count, state.busy.count, state.starting, state.waiting.count)
    }

    /// How many idle workers ``reapIdle()`` has stopped since the pool was made.
    public private(set) var reapedCount = 0

    /// The idle workers within their keep-alive, most recently used first.
    public var idleWorkers: [Worker] { state.warm(at: clock.now).reversed().compactMap { workers[$0] } }

    public func acquire() async throws(PoolError) -> Lease<Worker> {
        if closed { throw .shuttingDown }
        switch state.acquire(canWait: policy.maxWait > .zero, at: clock.now) {
        case .reuse(let id): return Lease(worker: workers[id]!, isColdStart: false)
        case .start: return try await startWorker()
        case .throttle: throw .throttled(limit: state.maxConcurrency)
        case .wait:
            let grant: Grant
            do { grant = try await wait() } catch let e as PoolError { throw e } catch { throw .shuttingDown }
            switch grant {
            case .worker(let w): return Lease(worker: w, isColdStart: false)
            case .slot: return try await startWorker()
            }
        }
    }

    /// Starts `count` workers ahead of traffic (provisioned concurrency), in parallel, and leaves them idle and
    /// pinned: they are never reaped, and requests find them warm.
    public func prewarm(_ count: Int) async throws(PoolError) {
        var slots = 0
        while slots < count, case .start = state.acquire(canWait: false, at: clock.now) { slots += 1 }
        let started: [Result<Lease<Worker>, PoolError>] = await withTaskGroup(of: Result<Lease<Worker>, PoolError>.self)
        { group in
            for _ in 0..<slots {
                group.addTask {
                    do throws(PoolError) { return .success(try await self.startWorker(provisioned: true)) } catch {
                        return .failure(error)
                    }
                }
            }
            var all: [Result<Lease<Worker>, PoolError>] = []
            for await r in group { all.append(r) }
            return all
        }
        for case .success(let lease) in started { release(lease.worker) }
        for case .failure(let error) in started { throw error }
    }

    /// The concurrency limit now: the policy's until ``setMaxConcurrency(_:generation:)`` changes it.
    public var maxConcurrency: Int { state.maxConcurrency }

    /// Changes the limit while the pool runs: raised, waiting invocations get the new slots at once; lowered, idle
    /// workers over the limit are stopped, busy ones finish and then leave, and nothing is lent beyond the limit.
    /// A call whose `generation` is older than the last one applied is ignored (callers set limits concurrently).
    public func setMaxConcurrency(_ limit: Int, generation: Int) async {
        guard generation > limitGeneration else { return }
        limitGeneration = generation
        for waiter in state.setMaxConcurrency(limit) { waiters.removeValue(forKey: waiter)?.resume(returning: .slot) }
        await reapIdle()
    }

    /// The invocation finished and the worker is healthy: it goes back to the idle set, or straight to a waiter.
    public func release(_ worker: Worker) {
        let id = ObjectIdentifier(worker)
        if closed { Task { await worker.stop() }; return }
        resolve(state.release(id, at: clock.now))
    }

    /// The worker is broken (crashed, timed out): forget it, stop it, free its slot.
    public func discard(_ worker: Worker) async {
        let id = ObjectIdentifier(worker)
        workers[id] = nil
        resolve(state.remove(id))
        await worker.stop()
    }

    /// Stops the processes of workers past their keep-alive; returns how many. Expiry itself is exact and needs no
    /// reaping (``acquire()`` never lends an expired worker): this only frees their memory.
    @discardableResult
    public func reapIdle() async -> Int {
        let expired = state.reap(at: clock.now)
        let stopping = expired.compactMap { workers.removeValue(forKey: $0) }
        reapedCount += stopping.count
        for worker in stopping { await worker.stop() }
        return stopping.count
    }

    /// Stops every worker and refuses new work; waiting invocations fail with ``PoolError/shuttingDown``.
    public func shutdown() async {
        closed = true
        let (ids, waiting) = state.drain()
        for w in waiting { waiters.removeValue(forKey: w)?.resume(throwing: PoolError.shuttingDown) }
        let all = ids.compactMap { workers.removeValue(forKey: $0) }
        await withTaskGroup(of: Void.self) { group in
            for worker in all { group.addTask { await worker.stop() } }
        }
    }

    private func startWorker(provisioned: Bool = false) async throws(PoolError) -> Lease<Worker> {
        do {
            let worker = try await start(provisioned)
            if closed {
                await worker.stop()
                throw PoolError.shuttingDown
            }
            coldStarts += 1
            workers[ObjectIdentifier(worker)] = worker
            state.started(ObjectIdentifier(worker), pinned: provisioned)
            return Lease(worker: worker, isColdStart: true)
        } catch let error as PoolError {
            resolve(state.startFailed())
            throw error
        } catch {
            resolve(state.startFailed())
            throw .startFailed(error)
        }
    }

    private func wait() async throws -> Grant {
        let id = nextWaiter
        nextWaiter += 1
        state.enqueue(id)
        let timeout = Task { [policy] in
            try await Task.sleep(for: policy.maxWait)
            self.giveUp(id)
        }
        defer { timeout.cancel() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { waiters[id] = $0 }
        } onCancel: {
            Task { await self.giveUp(id) }
        }
    }

    private func giveUp(_ id: Int) {
        guard state.cancelWait(id), let c = waiters.removeValue(forKey: id) else { return }
        c.resume(throwing: PoolError.throttled(limit: state.maxConcurrency))
    }

    private func resolve(_ handoff: PoolState<ObjectIdentifier, Int, ContinuousClock.Instant>.Handoff) {
        switch handoff {
        case .none: break
        case .worker(let waiter, let id): waiters.removeValue(forKey: waiter)?.resume(returning: .worker(workers[id]!))
        case .slot(let waiter): waiters.removeValue(forKey: waiter)?.resume(returning: .slot)
        }
    }
}
