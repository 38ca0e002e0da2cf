import DequeModule

/// The pool's bookkeeping and every decision it makes, as a value with no I/O and no clock of its own (the caller
/// passes `now`), so that each choice (reuse the most recently used idle worker, start a cold one, wait, throttle,
/// expire, reap) can be tested on its own.
///
/// Expiry is exact: an idle worker whose idle time has reached the keep-alive (`since + keepAlive <= now`) is never
/// handed a request, whenever the reaper last ran. Such a worker leaves the pool (its slot is free at once) and waits
/// in ``expired`` until the reaper stops its process. With a keep-alive of zero no request ever finds a warm worker.
///
/// Invariant: `idle + busy + starting <= maxConcurrency`, except just after ``setMaxConcurrency(_:)`` lowers the limit
/// below the busy workers: then no worker is lent or started until enough of them have finished (each one leaves
/// the pool when it does).
public struct PoolState<
    Worker: Hashable & Sendable, Waiter: Hashable & Sendable, Instant: InstantProtocol<Duration> & Sendable
>: Sendable {
    /// What to do with a request for a worker.
    public enum Acquire: Equatable, Sendable {
        /// Use this warm worker (the most recently used idle one).
        case reuse(Worker)
        /// Start a new worker: a cold start. A slot is held for it.
        case start
        /// No slot: wait in line.
        case wait
        /// No slot and no waiting allowed, or the line is full.
        case throttle
    }

    /// Who gets a worker or a slot that just came free.
    public enum Handoff: Equatable, Sendable {
        /// Nobody was waiting.
        case none
        /// This waiter takes the released worker, which stays busy.
        case worker(Waiter, Worker)
        /// This waiter gets the freed slot and must start a worker in it.
        case slot(Waiter)
    }

    /// The most workers the pool holds; ``setMaxConcurrency(_:)`` changes it while the pool runs.
    public private(set) var maxConcurrency: Int
    public let maxWaiting: Int
    /// How long an idle worker stays warm; at or past it, the worker is expired.
    public let keepAlive: Duration
    /// Idle workers, least recently used first.
    public private(set) var idle: [(worker: Worker, since: Instant)] = []
    public private(set) var busy: Set<Worker> = []
    public private(set) var starting = 0
    public private(set) var waiting: Deque<Waiter> = []
    /// Workers kept whatever their idle time (provisioned concurrency): never expired.
    public private(set) var pinned: Set<Worker> = []
    /// Workers past their keep-alive: out of the pool (their slots are free), their processes not yet stopped.
    public private(set) var expired: [Worker] = []

    public init(maxConcurrency: Int, maxWaiting: Int, keepAlive: Duration) {
        precondition(maxConcurrency >= 0)
        precondition(keepAlive >= .zero)
        self.maxConcurrency = maxConcurrency
        self.maxWaiting = maxWaiting
        self.keepAlive = keepAlive
    }

    /// Workers holding a slot (expired ones do not).
    public var total: Int { idle.count + busy.count + starting }

    /// Whether a worker idle since `since` is past its keep-alive at `now`. Pinned workers never are.
    public func isExpired(_ worker: Worker, idleSince since: Instant, at now: Instant) -> Bool {
        !pinned.contains(worker) && since.advanced(by: keepAlive) <= now
    }

    /// Idle workers still within their keep-alive at `now`, least recently used first.
    public func warm(at now: Instant) -> [Worker] {
        idle.filter { !isExpired($0.worker, idleSince: $0.since, at: now) }.map(\.worker)
    }

    /// Moves every idle worker past its keep-alive at `now` out of the pool, into ``expired``.
    public mutating func expire(at now: Instant) {
        let pinned = self.pinned
        let keepAlive = self.keepAlive
        let isPast = { (entry: (worker: Worker, since: Instant)) in
            !pinned.contains(entry.worker) && entry.since.advanced(by: keepAlive) <= now
        }
        expired += idle.filter(isPast).map(\.worker)
        idle.removeAll(where: isPast)
    }

    /// What to do with a request arriving at `now`: idle workers past their keep-alive are expired first, so they
    /// are never reused, and their slots count as free.
    public mutating func acquire(canWait: Bool, at now: Instant) -> Acquire {
        expire(at: now)
        if busy.count + starting < maxConcurrency, let last = idle.popLast() {
            busy.insert(last.worker)
            return .reuse(last.worker)
        }
        if busy.count + starting < maxConcurrency {
            starting += 1
            return .start
        }
        return canWait && waiting.count < maxWaiting ? .wait : .throttle
    }

    public mutating func enqueue(_ waiter: Waiter) { waiting.append(waiter) }

    /// A waiter gave up (its wait timed out or was cancelled). Returns false if it was no longer waiting.
    public mutating func cancelWait(_ waiter: Waiter) -> Bool {
        guard let i = waiting.firstIndex(of: waiter) else { return false }
        waiting.remove(at: i)
        return true
    }

    /// A worker started in a held slot and is now serving its first invocation. A pinned worker is never reaped.
    public mutating func started(_ worker: Worker, pinned isPinned: Bool = false) {
        starting -= 1
        busy.insert(worker)
        if isPinned { pinned.insert(worker) }
    }

    /// A start failed: its slot is free again.
    public mutating func startFailed() -> Handoff {
        starting -= 1
        return handOffSlot()
    }

    /// A busy worker finished an invocation in good health at `now`. With a keep-alive of zero it expires at once
    /// (its idle time has already reached the keep-alive), and a waiter gets its slot instead of the worker. Over a
    /// lowered limit, the worker leaves the pool instead of staying warm.
    public mutating func release(_ worker: Worker, at now: Instant) -> Handoff {
        guard busy.contains(worker) else { return .none }
        if isExpired(worker, idleSince: now, at: now) || total > maxConcurrency {
            busy.remove(worker)
            pinned.remove(worker)
            expired.append(worker)
            return handOffSlot()
        }
        if let waiter = waiting.popFirst() { return .worker(waiter, worker) }
        busy.remove(worker)
        idle.append((worker, now))
        return .none
    }

    /// A worker is gone (crashed, timed out, reaped, or failed while idle): forget it and free its slot.
    public mutating func remove(_ worker: Worker) -> Handoff {
        pinned.remove(worker)
        if let i = expired.firstIndex(of: worker) {
            expired.remove(at: i)
            return .none
        }
        if busy.remove(worker) == nil {
            guard let i = idle.firstIndex(where: { $0.worker == worker }) else { return .none }
            idle.remove(at: i)
        }
        return handOffSlot()
    }

    /// Every worker past its keep-alive by `now` (expired earlier or now), handed over once: the caller stops
    /// their processes. The reaper's only job; whether a worker may serve was decided at `acquire`.
    public mutating func reap(at now: Instant) -> [Worker] {
        expire(at: now)
        defer { expired = [] }
        return expired
    }

    /// Every worker, for shutdown; the pool is empty afterwards.
    public mutating func drain() -> (workers: [Worker], waiters: [Waiter]) {
        let all = idle.map(\.worker) + Array(busy) + expired
        let waiters = Array(waiting)
        idle = []
        busy = []
        expired = []
        waiting = []
        pinned = []
        return (all, waiters)
    }

    /// Changes the limit while the pool runs (Lambda's PutFunctionConcurrency). Raised: waiters get the new slots
    /// at once (returned: each must start a worker). Lowered: idle workers over the limit leave the pool (unpinned
    /// ones first, least recently used first) into ``expired``; busy ones finish their invocation and leave when
    /// released; nothing is lent or started beyond the new limit. Zero throttles every request, as Lambda does.
    public mutating func setMaxConcurrency(_ limit: Int) -> [Waiter] {
        precondition(limit >= 0)
        maxConcurrency = limit
        var excess = total - limit
        while excess > 0, !idle.isEmpty {
            let i = idle.firstIndex { !pinned.contains($0.worker) } ?? idle.startIndex
            let leaving = idle.remove(at: i).worker
            pinned.remove(leaving)
            expired.append(leaving)
            excess -= 1
        }
        var granted: [Waiter] = []
        while total < maxConcurrency, let waiter = waiting.popFirst() {
            starting += 1
            granted.append(waiter)
        }
        return granted
    }

    private mutating func handOffSlot() -> Handoff {
        guard total < maxConcurrency, let waiter = waiting.popFirst() else { return .none }
        starting += 1
        return .slot(waiter)
    }
}
