import DequeModule

/// The pool's bookkeeping and every decision it makes, as a value with no I/O and no clock of its own, so that
/// each choice (reuse the most recently used idle worker, start a cold one, wait, throttle, reap) can be tested
/// on its own.
///
/// Invariant: `idle + busy + starting <= maxConcurrency`.
public struct PoolState<Worker: Hashable & Sendable, Waiter: Hashable & Sendable, Instant: Comparable & Sendable>:
    Sendable
{
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

    public let maxConcurrency: Int
    public let maxWaiting: Int
    /// Idle workers, least recently used first.
    public private(set) var idle: [(worker: Worker, since: Instant)] = []
    public private(set) var busy: Set<Worker> = []
    public private(set) var starting = 0
    public private(set) var waiting: Deque<Waiter> = []
    /// Workers kept whatever their idle time (provisioned concurrency): never reaped.
    public private(set) var pinned: Set<Worker> = []

    public init(maxConcurrency: Int, maxWaiting: Int) {
        precondition(maxConcurrency >= 1)
        self.maxConcurrency = maxConcurrency
        self.maxWaiting = maxWaiting
    }

    public var total: Int { idle.count + busy.count + starting }

    public mutating func acquire(canWait: Bool) -> Acquire {
        if let last = idle.popLast() {
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

    /// A busy worker finished an invocation in good health.
    public mutating func release(_ worker: Worker, at now: Instant) -> Handoff {
        guard busy.contains(worker) else { return .none }
        if let waiter = waiting.popFirst() { return .worker(waiter, worker) }
        busy.remove(worker)
        idle.append((worker, now))
        return .none
    }

    /// A worker is gone (crashed, timed out, reaped, or failed while idle): forget it and free its slot.
    public mutating func remove(_ worker: Worker) -> Handoff {
        pinned.remove(worker)
        if busy.remove(worker) == nil {
            guard let i = idle.firstIndex(where: { $0.worker == worker }) else { return .none }
            idle.remove(at: i)
        }
        return handOffSlot()
    }

    /// Idle workers whose keep-alive has run out by `now`, removed from the pool; the caller stops them.
    public mutating func reap(olderThan deadline: Instant) -> [Worker] {
        let isExpired = { (entry: (worker: Worker, since: Instant)) in
            entry.since <= deadline && !self.pinned.contains(entry.worker)
        }
        let expired = idle.filter(isExpired).map(\.worker)
        idle.removeAll(where: isExpired)
        return expired
    }

    /// Every worker, for shutdown; the pool is empty afterwards.
    public mutating func drain() -> (workers: [Worker], waiters: [Waiter]) {
        let all = idle.map(\.worker) + Array(busy)
        let waiters = Array(waiting)
        idle = []
        busy = []
        waiting = []
        pinned = []
        return (all, waiters)
    }

    private mutating func handOffSlot() -> Handoff {
        guard let waiter = waiting.popFirst() else { return .none }
        starting += 1
        return .slot(waiter)
    }
}
