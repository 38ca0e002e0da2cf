/// A trace drawn in the terminal as X-Ray draws it: one line per span, indented under its parent, with its offset,
/// its length and a bar on the trace's timeline. Measured time is drawn `█`, simulated time `░`, so that a reader
/// never takes a simulated delay for a measured one.
public struct Waterfall: Sendable {
    /// Columns of the whole line (at least 60).
    public var width: Int

    public init(width: Int = 100) { self.width = max(60, width) }

    public func render(_ trace: Trace) -> String {
        let nameWidth = min(36, max(16, width / 3))
        let figures = 8 + 1 + 8 + 1 + 2 + 1
        let barWidth = max(10, width - nameWidth - figures - 3)
        let total = max(trace.durationMs, trace.spans.map(\.endMs).max() ?? 0, 0.001)
        var lines: [String] = []
        lines.append(
            "trace \(trace.id.xray)  \(trace.root) (\(trace.trigger.rawValue))  \(trace.outcome.rawValue)  "
                + "\(Self.milliseconds(trace.durationMs)) ms  \(ISOTime.string(epochMilliseconds: trace.startedAtMs))")
        lines.append(
            Self.pad("span", nameWidth) + " " + Self.left("start ms", 8) + " " + Self.left("dur ms", 8) + "    "
                + "0" + Self.left(Self.milliseconds(total) + " ms", barWidth - 1))
        for (span, depth) in ordered(trace.spans) {
            let label = String(repeating: "  ", count: depth) + span.name + (span.kind == .call ? " →" : "")
            let from = Int((span.startMs / total * Double(barWidth)).rounded(.down))
            let length = max(1, Int((span.durationMs / total * Double(barWidth)).rounded()))
            let start = min(max(0, from), barWidth - 1)
            let bar =
                String(repeating: " ", count: start)
                + String(repeating: span.timing == .simulated ? "░" : "█", count: min(length, barWidth - start))
            let mark = span.timing == .simulated ? "S" : "M"
            var line =
                Self.pad(label, nameWidth) + " " + Self.left(Self.milliseconds(span.startMs), 8) + " "
                + Self.left(Self.milliseconds(span.durationMs), 8) + " " + mark + "  " + bar
            while line.last == " " { line.removeLast() }
            let notes = Self.notes(span)
            lines.append(notes.isEmpty ? line : line + "  " + notes)
        }
        lines.append("M measured (█), S simulated (░, seeded; slept scaled by the time scale)")
        return lines.joined(separator: "\n")
    }

    /// Spans in tree order (each after its parent, siblings by start), with their depth.
    func ordered(_ spans: [Span]) -> [(Span, Int)] {
        let ids = Set(spans.map(\.id))
        var children: [SpanID: [Span]] = [:]
        var roots: [Span] = []
        for s in spans {
            if let p = s.parent, ids.contains(p), p != s.id {
                children[p, default: []].append(s)
            } else {
                roots.append(s)
            }
        }
        var out: [(Span, Int)] = []
        var visited = Set<SpanID>()
        func visit(_ s: Span, _ depth: Int) {
            guard visited.insert(s.id).inserted else { return }
            out.append((s, depth))
            for c in (children[s.id] ?? []).sorted(by: { $0.startMs < $1.startMs }) { visit(c, depth + 1) }
        }
        for r in roots.sorted(by: { $0.startMs < $1.startMs }) { visit(r, 0) }
        return out
    }

    private static func notes(_ span: Span) -> String {
        var parts: [String] = []
        if let o = span.attributes["cache.outcome"] { parts.append(o) }
        if let o = span.attributes["fnhost.outcome"], o != "ok" { parts.append(o) }
        if let e = span.attributes[Span.errorAttribute] { parts.append("error: \(e)") }
        return parts.joined(separator: " ")
    }

    public static func milliseconds(_ v: Double) -> String {
        let r = (v * 10).rounded() / 10
        var s = String(r)
        if s.hasSuffix(".0") && r >= 1000 { s.removeLast(2) }
        return s
    }

    static func pad(_ s: String, _ n: Int) -> String {
        s.count > n ? String(s.prefix(n - 1)) + "…" : s + String(repeating: " ", count: n - s.count)
    }

    static func left(_ s: String, _ n: Int) -> String {
        s.count >= n ? s : String(repeating: " ", count: n - s.count) + s
    }
}
