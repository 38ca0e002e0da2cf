import FnhostWire
import Synchronization

/// The spans a handler opens in one invocation (``LambdaContext/span(_:_:)``), timed from the moment the runtime
/// got the event; sent to the host as the ``FunctionSpans`` header with the answer. Bounded by
/// ``FunctionSpans/maxEntries`` (later spans are not kept).
final class FunctionSpanLog: Sendable {
    private struct State {
        var start = ContinuousClock.now
        var entries: [FunctionSpans.Entry] = []
    }
    private let state = Mutex(State())

    /// A new invocation starts now.
    func begin() { state.withLock { $0 = State() } }

    /// ms since the invocation began.
    func offset(_ instant: ContinuousClock.Instant) -> Double {
        state.withLock { (instant - $0.start).inMilliseconds }
    }

    func add(name: String, from start: ContinuousClock.Instant, to end: ContinuousClock.Instant) {
        state.withLock { s in
            guard s.entries.count < FunctionSpans.maxEntries else { return }
            s.entries.append(
                FunctionSpans.Entry(
                    name: name, startMs: (start - s.start).inMilliseconds, durationMs: (end - start).inMilliseconds))
        }
    }

    /// The invocation's spans (nil when it opened none), and a fresh log.
    func take() -> FunctionSpans? {
        state.withLock { s in
            defer { s.entries = [] }
            return s.entries.isEmpty ? nil : FunctionSpans(entries: s.entries)
        }
    }
}

extension LambdaContext {
    /// Times `body` as a span of this invocation's trace, named `name`: the host shows it under the invocation's
    /// duration in `fnhost traces`, on the live page and in the OTLP export. Spans may nest and overlap; at most
    /// ``FunctionSpans/maxEntries`` are kept per invocation. On AWS Lambda, the header carrying them is ignored.
    public func span<T>(_ name: String, _ body: () async throws -> T) async rethrows -> T {
        let start = ContinuousClock.now
        defer { spans.add(name: name, from: start, to: .now) }
        return try await body()
    }
}
