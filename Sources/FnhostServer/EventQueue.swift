import DequeModule
import FnhostHost
import FnhostSimulation
import FnhostWire
import Foundation
import ServiceLifecycle

/// Lambda's asynchronous invocations: accepted events are written to disk before the 202, run by a few consumers,
/// retried twice on a function error (after 1 and 2 minutes, scaled by the time scale), and dead-lettered after
/// that. A failing event waits for its retry off the line, so it never blocks the events behind it. Events still
/// on disk when fnhost stops are run after the next start: none is lost silently.
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
    private let pending: EventStore
    public nonisolated let deadLetters: EventStore
    private let settings: Settings
    /// Where the queue reports what it could not do: standard error, with `write(2)` (FileHandle's write traps when
    /// the reader has gone).
    private static let problems = StreamLogSink(fileDescriptor: 2)
    private var ready: Deque<QueuedEvent> = []
    private var waiting: [CheckedContinuation<QueuedEvent?, Never>] = []
    private var stopping = false
    private var inFlight = 0
    private var delayed = 0

    public init(host: FunctionHost, stateDirectory: String, settings: Settings) throws(EventStoreError) {
        self.host = host
        self.pending = try EventStore(directory: stateDirectory + "/queue")
        self.deadLetters = try EventStore(directory: stateDirectory + "/dead-letters")
        self.settings = settings
    }

    /// Accepts an event: on disk first, then queued. Returns its id (the Invoke API's request id).
    public func accept(function: String, payload: [UInt8]) throws(EventStoreError) -> String {
        let event = QueuedEvent(
            id: UUID().uuidString.lowercased(), function: function, payload: payload,
            acceptedAt: Int64(Date().timeIntervalSince1970 * 1000))
        try pending.save(event)
        host.metrics.asyncEvent(function: function, fate: "accepted")
        enqueue(event)
        return event.id
    }

    /// Events accepted and not yet finished (queued, running, or waiting for a retry).
    public var depth: Int { ready.count + inFlight + delayed }

    /// Runs the consumers until graceful shutdown; then lets running events finish and leaves the rest on disk.
    public func run() async throws {
        let (restored, unreadable) = pending.all()
        for path in unreadable { Self.problems.note("fnhost: cannot read queued event \(path); left in place") }
        for event in restored { enqueue(event) }
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<settings.consumers {
                    group.addTask { await self.consume() }
                }
            }
        } onGracefulShutdown: {
            Task { await self.stop() }
        }
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
            let result = try await host.invoke(event.function, payload: event.payloadBytes, requestID: event.id)
            event.attempts += 1
            guard case .functionError(let error) = result.outcome else {
                pending.remove(event.id)
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
            try? pending.save(event)
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
                try deadLetters.save(event)
                pending.remove(event.id)
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
