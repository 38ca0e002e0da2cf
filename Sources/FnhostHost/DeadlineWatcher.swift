import Synchronization

/// Enforces invocation timeouts for a whole host with one task, instead of a timer task per invocation.
///
/// A timer task per invocation (create, sleep, cancel) costs three thread wakeups on every warm invocation, most of
/// them for a timeout that never fires. Here a registration is a dictionary insert under a lock: the watcher sleeps
/// until the earliest deadline it knows of and is only woken early when a registration is due before that. With one
/// timeout per function, a new deadline is never earlier than the ones already waiting, so a warm invocation wakes
/// nobody.
final class DeadlineWatcher: Sendable {
    /// A registered deadline, to withdraw once the invocation ended in time.
    struct Token: Hashable, Sendable { fileprivate let id: UInt64 }

    private struct Entry {
        var deadline: ContinuousClock.Instant
        var action: @Sendable () -> Void
    }

    private struct State {
        var entries: [UInt64: Entry] = [:]
        var nextID: UInt64 = 0
        /// When the watcher will next look; a deadline before it wakes the watcher.
        var wakeAt: ContinuousClock.Instant
        var sleeper: Task<Void, Never>?
        var stopped = false
    }

    private let state: Mutex<State>
    private let loop = Mutex<Task<Void, Never>?>(nil)
    /// How long the watcher sleeps when nothing is due sooner.
    private static let idleInterval = Duration.seconds(1)

    init() {
        state = Mutex(State(wakeAt: .now + Self.idleInterval))
        // The loop holds the watcher weakly, and only between sleeps: a host that goes away takes its watcher along.
        let task = Task.detached { [weak self] in
            while let sleeper = self?.turn() { await sleeper.value }
        }
        loop.withLock { $0 = task }
    }

    deinit { stop() }

    /// Calls `action` at `deadline` unless ``cancel(_:)`` comes first. The action runs on the watcher's task: keep
    /// it short (close a channel, start a kill).
    func schedule(at deadline: ContinuousClock.Instant, _ action: @escaping @Sendable () -> Void) -> Token {
        let (id, wake): (UInt64, Task<Void, Never>?) = state.withLock { s in
            s.nextID += 1
            s.entries[s.nextID] = Entry(deadline: deadline, action: action)
            guard deadline < s.wakeAt else { return (s.nextID, nil) }
            s.wakeAt = deadline
            return (s.nextID, s.sleeper)
        }
        wake?.cancel()
        return Token(id: id)
    }

    /// Withdraws a deadline; its action will not run (unless it is running already).
    func cancel(_ token: Token) {
        _ = state.withLock { $0.entries.removeValue(forKey: token.id) }
    }

    /// Stops the watcher; pending actions never run.
    func stop() {
        let sleeper = state.withLock { s -> Task<Void, Never>? in
            s.stopped = true
            s.entries = [:]
            return s.sleeper
        }
        sleeper?.cancel()
        loop.withLock { $0?.cancel() }
    }

    /// One turn: run what is due, then return the sleep until the next deadline (or the idle interval); nil once
    /// stopped.
    private func turn() -> Task<Void, Never>? {
        let now = ContinuousClock.now
        let (due, sleeper): ([@Sendable () -> Void], Task<Void, Never>?) = state.withLock { s in
            if s.stopped { return ([], nil) }
            var due: [@Sendable () -> Void] = []
            var earliest = now + Self.idleInterval
            for (id, entry) in s.entries {
                if entry.deadline <= now {
                    due.append(entry.action)
                    s.entries[id] = nil
                } else if entry.deadline < earliest {
                    earliest = entry.deadline
                }
            }
            s.wakeAt = earliest
            let sleeper = Task { _ = try? await Task.sleep(until: earliest, clock: .continuous) }
            s.sleeper = sleeper
            return (due, sleeper)
        }
        for action in due { action() }
        return sleeper
    }
}
