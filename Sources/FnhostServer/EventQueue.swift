import DequeModule
import FnhostHost
import FnhostSimulation
import FnhostStore
import FnhostTraces
import FnhostWire
import Foundation
import ServiceLifecycle

/// Lambda's asynchronous invocations: accepted events are committed to the store (`EventStore`, SQLite) before the
/// 202, run by a few consumers, retried twice on a function error (after 1 and 2 minutes, scaled by the time scale),
/// and dead-lettered after that (one UPDATE: an event is never in both states nor in neither). A failing event
/// waits for its retry off the line, so it never blocks the events behind it. Events still in the store when fnhost
/// stops (or is killed) are run after the next start: none is lost silently.
public actor EventQueue: Service {
    public struct Settings: Sendable {
        /// Events run at once.
        public var consumers: Int
        /// Delays before the first and second retry (Lambda: 1 and 2 minutes), before scaling.
        public var retryDelays: [Duration]
        public var timeScale: TimeScale

        public init(
            consumers: Int = 8, retryDelays: [Duration] = [.seconds(60), .seconds(120)],
            timeScale: TimeScale = .realTime
        ) {
            self.consumers = consumers
            self.retryDelays = retryDelays
            self.timeScale = timeScale
        }
    }

    private let host: FunctionHost
    public nonisolated let events: EventStore
    private let settings: Settings
    /// Where the queue reports what it could not do: standard error, with `write(2)` (FileHandle's write traps when
    /// the reader has gone).
    private static let problems = StreamLogSink(fileDescriptor: 2)
    private var ready: Deque<QueuedEvent> = []
    private var waiting: [CheckedContinuation<QueuedEvent?, Never>] = []
    private var stopping = false
    private var inFlight = 0
    private var delayed = 0

    /// Opens the store in `stateDirectory` (importing the folders of an older fnhost once).
    public init(host: FunctionHost, stateDirectory: String, settings: Settings) async throws(EventStoreError) {
        self.host = host
        self.events = try await EventStore.open(stateDirectory: stateDirectory) { Self.problems.note($0) }
        self.settings = settings
    }

    /// Accepts an event: committed to the store first, then queued. Returns its id (the Invoke API's request id).
    public func accept(function: String, payload: [UInt8]) async throws(EventStoreError) -> String {
        let event = QueuedEvent(
            id: UUID().uuidString.lowercased(), function: function, payload: payload,
            acceptedAt: Int64(Date().timeIntervalSince1970 * 1000))
        try await events.save(event)
        host.metrics.asyncEvent(function: function, fate: "accepted")
        enqueue(event)
        return event.id
    }

    /// Events accepted and not yet finished (queued, running, or waiting for a retry).
    public var depth: Int { ready.count + inFlight + delayed }

    /// Events that failed after their retries (nil when the store cannot be read).
    public func deadLetterCount() async -> Int? {
        try? await events.count(.deadLetter)
    }

    /// Runs the consumers until graceful shutdown; then lets running events finish and leaves the rest on disk.
    public func run() async throws {
        do {
            for event in try await events.all(.pending) { enqueue(event) }
        } catch {
            Self.problems.note("fnhost: \(error); the events accepted before this start stay in the store, not run")
        }
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<settings.consumers {
                    group.addTask { await self.consume() }
                }
            }
        } onGracefulShutdown: {
            Task { await self.stop() }
        }
        await events.store.close()
    }

    private func stop() {
        stopping = true
        for w in waiting { w.resume(returning: nil) }
        waiting = []
    }

    private func enqueue(_ event: QueuedEvent) {
        guard !stopping else { return }
        if !waiting.isEmpty { waiting.removeFirst().resume(returning: event) } else { ready.append(event) }
    }

    private func take() async -> QueuedEvent? {
        if stopping { return nil }
        if let e = ready.popFirst() { inFlight += 1; return e }
        let e = await withCheckedContinuation { waiting.append($0) }
        if e != nil { inFlight += 1 }
        return e
    }

    private func consume() async {
        while let event = await take() {
            await process(event)
            inFlight -= 1
        }
    }

    private func process(_ event: QueuedEvent) async {
        var event = event
        do {
            let result = try await host.invoke(
                event.function, payload: event.payloadBytes, requestID: event.id, trace: .starting(.event))
            event.attempts += 1
            guard case .functionError(let error) = result.outcome else {
                do { try await events.remove(event.id, .pending) } catch {
                    Self.problems.note(
                        "fnhost: \(error); event \(event.id) succeeded but may run again after a restart")
                }
                host.metrics.asyncEvent(function: event.function, fate: "succeeded")
                return
            }
            event.lastError = error
        } catch {
            if error.status == 429 || error.status >= 500 {
                // Throttled or shutting down: not the event's fault; try again shortly without counting an attempt.
                schedule(event, after: .milliseconds(200))
                return
            }
            event.attempts += 1
            event.lastError = FunctionError(errorMessage: error.message, errorType: error.type)
            event.attempts = settings.retryDelays.count + 1  // a refused event will never succeed
        }
        if event.attempts <= settings.retryDelays.count {
            do { try await events.save(event) } catch {
                Self.problems.note("fnhost: \(error); event \(event.id)'s attempt count is not saved")
            }
            host.metrics.asyncEvent(function: event.function, fate: "retried")
            let delay = settings.retryDelays[event.attempts - 1]
            schedule(
                event,
                after: SimulatedDelay(
                    simulatedMs: Double(delay.components.seconds) * 1000, timeScale: settings.timeScale
                ).realDuration)
        } else {
            event.failedAt = Int64(Date().timeIntervalSince1970 * 1000)
            do {
                // One statement: the row becomes a dead letter, so the event is never in both states nor in neither.
                try await events.save(event)
                host.metrics.asyncEvent(function: event.function, fate: "dead_lettered")
            } catch {
                Self.problems.note("fnhost: \(error); event \(event.id) stays queued")
            }
        }
    }

    private func schedule(_ event: QueuedEvent, after delay: Duration) {
        delayed += 1
        Task {
            try? await Task.sleep(for: delay)
            self.delayed -= 1
            self.enqueue(event)
        }
    }
}
