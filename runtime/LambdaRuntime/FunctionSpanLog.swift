import FnhostWire
import Synchronization

/// The spans a function opens in one invocation, in the order they were opened, timed from the moment the runtime got
/// the event; sent to the host as the ``FunctionSpans`` header with the answer. ``FunctionTracer`` writes into it;
/// the runtime loop begins it before each event and takes it after.
///
/// Bounded by ``FunctionSpans/maxEntries`` (later spans are not kept). Each invocation is a new generation: a span
/// that outlives its invocation (a detached task still running) cannot write into the next one's spans.
final class FunctionSpanLog: Sendable {
    private struct State {
        var generation: UInt64 = 0
        /// The invocation's start, Unix epoch nanoseconds (``FunctionTracer``'s instants are epoch nanoseconds).
        var startNs: UInt64 = 0
        var entries: [FunctionSpans.Entry] = []
        /// Per entry: its start (epoch ns) while it is open, nil once ended.
        var open: [UInt64?] = []
    }
    private let state = Mutex(State())

    /// A new invocation starts at `startNs` (Unix epoch nanoseconds): the spans of the last one are dropped. Returns
    /// the place the invocation's own spans hang from.
    @discardableResult
    func begin(atNs startNs: UInt64) -> FunctionSpanParent {
        let generation = state.withLock { s in
            s = State(generation: s.generation &+ 1, startNs: startNs)
            return s.generation
        }
        return FunctionSpanParent(log: self, generation: generation, index: nil)
    }

    /// Opens a span under `parent` at `ns`: its index, or nil when the log is full or the invocation is over.
    func open(_ name: String, parent: FunctionSpanParent, atNs ns: UInt64) -> Int? {
        state.withLock { s in
            guard parent.generation == s.generation, s.entries.count < FunctionSpans.maxEntries else { return nil }
            s.entries.append(
                FunctionSpans.Entry(
                    name: name, startMs: Self.milliseconds(from: s.startNs, to: ns), durationMs: 0,
                    parent: parent.index))
            s.open.append(ns)
            return s.entries.count - 1
        }
    }

    /// Ends the span at `index` of `generation` at `ns`, with what it ended with. A second end, or one after its
    /// invocation is over, changes nothing.
    func close(
        _ index: Int, generation: UInt64, atNs ns: UInt64, name: String, error: String?, attributes: [String: String]
    ) {
        state.withLock { s in
            guard generation == s.generation, index < s.entries.count, let startNs = s.open[index] else { return }
            s.open[index] = nil
            s.entries[index].name = name
            s.entries[index].durationMs = Self.milliseconds(from: startNs, to: ns)
            s.entries[index].error = error
            s.entries[index].attributes = attributes
        }
    }

    /// The invocation's spans (nil when it opened none), ending its generation. A span still open (a task the
    /// handler did not wait for) is sent as it stands at `ns`, marked `fnhost.unfinished`.
    func take(atNs ns: UInt64) -> FunctionSpans? {
        state.withLock { s in
            defer { s = State(generation: s.generation &+ 1, startNs: ns) }
            for (index, startNs) in s.open.enumerated() {
                guard let startNs else { continue }
                s.entries[index].durationMs = Self.milliseconds(from: startNs, to: ns)
                s.entries[index].attributes[Self.unfinishedAttribute] = "true"
            }
            return s.entries.isEmpty ? nil : FunctionSpans(entries: s.entries)
        }
    }

    /// The attribute on a span that had not ended when its invocation answered.
    static let unfinishedAttribute = "fnhost.unfinished"

    static func milliseconds(from start: UInt64, to end: UInt64) -> Double {
        end > start ? Double(end - start) / 1_000_000 : 0
    }
}
