import FnhostWire

/// The trace JSON `fnhost serve` answers on `/fnhost/traces` (docs: trace-shape, fixed with the live page), and its
/// reader, which `fnhost traces` uses on what a server sent.
extension Trace {
    /// Why a JSON document is not a trace.
    public struct DecodingError: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { "not a trace: \(message)" }
    }

    public var json: JSONValue {
        .object([
            "traceId": .string(id.xray),
            "w3cTraceId": .string(id.w3c),
            "root": .string(root),
            "trigger": .string(trigger.rawValue),
            "startedAt": .string(ISOTime.string(epochMilliseconds: startedAtMs)),
            "durationMs": .number(Self.rounded(durationMs)),
            "outcome": .string(outcome.rawValue),
            "spans": .array(spans.map(\.json)),
        ])
    }

    /// `{"traces": [...]}`.
    public static func listJSON(_ traces: [Trace]) -> JSONValue { .object(["traces": .array(traces.map(\.json))]) }

    public init(json: JSONValue) throws(DecodingError) {
        guard case .object(let o) = json else { throw DecodingError(message: "expected an object") }
        guard case .string(let idText)? = o["traceId"], let id = TraceID(parsing: idText) else {
            throw DecodingError(message: "traceId")
        }
        guard case .string(let root)? = o["root"] else { throw DecodingError(message: "root") }
        guard case .string(let t)? = o["trigger"], let trigger = Trigger(rawValue: t) else {
            throw DecodingError(message: "trigger")
        }
        guard case .string(let started)? = o["startedAt"], let startedAt = ISOTime.epochMilliseconds(started) else {
            throw DecodingError(message: "startedAt")
        }
        guard case .number(let duration)? = o["durationMs"] else { throw DecodingError(message: "durationMs") }
        guard case .string(let out)? = o["outcome"], let outcome = Outcome(rawValue: out) else {
            throw DecodingError(message: "outcome")
        }
        guard case .array(let spans)? = o["spans"] else { throw DecodingError(message: "spans") }
        self.init(
            id: id, root: root, trigger: trigger, startedAtMs: startedAt, durationMs: duration, outcome: outcome,
            spans: try spans.map { (s) throws(DecodingError) -> Span in try Span(json: s) })
    }

    /// Reads `{"traces": [...]}`.
    public static func list(json: JSONValue) throws(DecodingError) -> [Trace] {
        guard case .object(let o) = json, case .array(let items)? = o["traces"] else {
            throw DecodingError(message: "expected {\"traces\": [...]}")
        }
        return try items.map { (t) throws(DecodingError) -> Trace in try Trace(json: t) }
    }

    /// Three decimals: microseconds are the finest any measured figure here has.
    static func rounded(_ ms: Double) -> Double { ms.isFinite ? (ms * 1000).rounded() / 1000 : 0 }
}

extension Span {
    public var json: JSONValue {
        .object([
            "spanId": .string(id.hex),
            "parentSpanId": parent.map { .string($0.hex) } ?? .null,
            "name": .string(name),
            "kind": .string(kind.rawValue),
            "function": .string(function),
            "startMs": .number(Trace.rounded(startMs)),
            "durationMs": .number(Trace.rounded(durationMs)),
            "timing": .string(timing.rawValue),
            "attributes": .object(attributes.mapValues { .string($0) }),
        ])
    }

    public init(json: JSONValue) throws(Trace.DecodingError) {
        guard case .object(let o) = json else { throw Trace.DecodingError(message: "a span is not an object") }
        guard case .string(let idText)? = o["spanId"], let id = SpanID(parsing: idText) else {
            throw Trace.DecodingError(message: "spanId")
        }
        var parent: SpanID?
        switch o["parentSpanId"] {
        case .string(let p)?:
            guard let parsed = SpanID(parsing: p) else { throw Trace.DecodingError(message: "parentSpanId") }
            parent = parsed
        case .null?, nil: parent = nil
        default: throw Trace.DecodingError(message: "parentSpanId")
        }
        guard case .string(let name)? = o["name"], case .string(let k)? = o["kind"], let kind = Kind(rawValue: k),
            case .string(let function)? = o["function"], case .number(let start)? = o["startMs"],
            case .number(let duration)? = o["durationMs"], case .string(let t)? = o["timing"],
            let timing = Timing(rawValue: t)
        else { throw Trace.DecodingError(message: "span \(idText): name, kind, function, startMs, durationMs, timing") }
        var attributes: [String: String] = [:]
        if case .object(let a)? = o["attributes"] {
            for (key, value) in a {
                if case .string(let s) = value { attributes[key] = s } else { attributes[key] = value.shortDescription }
            }
        }
        self.init(
            id: id, parent: parent, name: name, kind: kind, function: function, startMs: start, durationMs: duration,
            timing: timing, attributes: attributes)
    }
}
