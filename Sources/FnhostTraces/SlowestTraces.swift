import FnhostWire
import Synchronization

/// The slowest traces of each level of an experiment (`--keep-traces N`): the ones that show why a level's p99 rose
/// (a cold start, a miss, waiting for a worker). At most ``perLevel`` per level are kept, so memory stays bounded
/// whatever the number of requests. Thread-safe: every invocation of a level offers its trace.
public final class SlowestTraces: Sendable {
    public let perLevel: Int
    private let kept = Mutex<[(level: String, traces: [Trace])]>([])

    public init(perLevel: Int) { self.perLevel = max(1, perLevel) }

    /// Keeps `trace` when it is among the slowest of `level` so far.
    public func offer(_ trace: Trace, level: String) {
        kept.withLock { levels in
            let index =
                levels.firstIndex { $0.level == level }
                ?? {
                    levels.append((level, []))
                    return levels.count - 1
                }()
            var traces = levels[index].traces
            guard traces.count < perLevel || trace.durationMs > (traces.last?.durationMs ?? 0) else { return }
            let at = traces.firstIndex { $0.durationMs < trace.durationMs } ?? traces.count
            traces.insert(trace, at: at)
            if traces.count > perLevel { traces.removeLast() }
            levels[index].traces = traces
        }
    }

    /// Per level, in the order levels were first seen: the kept traces, slowest first.
    public var levels: [(level: String, traces: [Trace])] { kept.withLock { $0 } }

    /// `{"levels": [{"level": "per-worker C=8", "traces": [...]}]}`.
    public var json: JSONValue {
        .object([
            "levels": .array(
                levels.map { .object(["level": .string($0.level), "traces": .array($0.traces.map(\.json))]) })
        ])
    }

    /// Every level's kept traces as waterfalls, under a heading per level.
    public func render(_ waterfall: Waterfall) -> String {
        levels.map { level in
            "== \(level.level): the \(level.traces.count) slowest traces ==\n"
                + level.traces.map { waterfall.render($0) }.joined(separator: "\n\n")
        }.joined(separator: "\n\n")
    }
}
