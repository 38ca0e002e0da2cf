import Synchronization

/// The last traces, kept in memory for `fnhost traces` and the live page: a ring of at most ``capacity`` traces,
/// each of at most ``Trace/maxSpans`` spans, so its memory is bounded whatever the load. Thread-safe.
public final class TraceStore: Sendable {
    public let capacity: Int
    private struct Ring {
        var slots: [Trace?]
        var next = 0
        var stored = 0
    }
    private let ring: Mutex<Ring>

    /// - Parameter capacity: traces kept (at least 1).
    public init(capacity: Int) {
        self.capacity = max(1, capacity)
        ring = Mutex(Ring(slots: Array(repeating: nil, count: max(1, capacity))))
    }

    /// Keeps a trace, pushing out the oldest when full.
    public func record(_ trace: Trace) {
        let t = trace.bounded()
        ring.withLock { r in
            r.slots[r.next] = t
            r.next = (r.next + 1) % r.slots.count
            r.stored += 1
        }
    }

    /// Every trace ever recorded (kept or pushed out).
    public var recordedCount: Int { ring.withLock { $0.stored } }

    /// The kept traces, newest first.
    public func all() -> [Trace] {
        ring.withLock { r in
            let n = r.slots.count
            return (1...n).compactMap { r.slots[(r.next - $0 + n) % n] }
        }
    }

    public func trace(_ id: TraceID) -> Trace? { all().first { $0.id == id } }

    /// Newest first, or slowest first; only those of `function` (started by it or touching it) when given.
    public func query(function: String? = nil, limit: Int = 50, slowest: Bool = false) -> [Trace] {
        var traces = all()
        if let function { traces = traces.filter { $0.root == function || $0.functions.contains(function) } }
        if slowest { traces.sort { $0.durationMs > $1.durationMs } }
        return Array(traces.prefix(max(0, limit)))
    }
}
