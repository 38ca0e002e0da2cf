import FnhostWire
import Synchronization
import Tracing

/// A span of a function's invocation, as ``FunctionTracer`` opens it: what the function sets on it (name,
/// attributes, an error or status) is written into the invocation's span log when it ends. A span opened outside an
/// invocation, or beyond the invocation's ``FunctionSpans/maxEntries``, is not recording: it takes what it is given
/// and sends nothing.
public final class FunctionSpan: Tracing.Span {
    public let context: ServiceContext
    /// Where it is in its invocation's log and when it started; nil when it is not recording.
    private let recording: Recording?
    struct Recording: Sendable {
        let log: FunctionSpanLog
        let generation: UInt64
        let index: Int
        /// Unix epoch nanoseconds.
        let startNs: UInt64
    }
    private struct State {
        var name: String
        var attributes: SpanAttributes = [:]
        /// The error's message ("" without one) once the span failed.
        var error: String?
        /// `setStatus(.ok)`: an error recorded afterwards does not fail the span (OpenTelemetry's rule: OK is final).
        var ok = false
        var ended = false
    }
    private let state: Mutex<State>

    init(name: String, context: ServiceContext, recording: Recording?) {
        self.context = context
        self.recording = recording
        self.state = Mutex(State(name: name))
    }

    public var operationName: String {
        get { state.withLock { $0.name } }
        set { state.withLock { $0.name = newValue } }
    }

    public var attributes: SpanAttributes {
        get { state.withLock { $0.attributes } }
        set { state.withLock { $0.attributes = newValue } }
    }

    public var isRecording: Bool { recording != nil && !state.withLock { $0.ended } }

    public func setStatus(_ status: SpanStatus) {
        state.withLock { s in
            switch status.code {
            case .ok:
                s.ok = true
                s.error = nil
            case .error:
                guard !s.ok else { return }
                s.error = status.message ?? s.error ?? ""
            }
        }
    }

    /// Not kept: fnhost's trace has no span events.
    public func addEvent(_ event: SpanEvent) {}

    /// Fails the span with the error's description (unless its status was set OK).
    public func recordError<Instant: TracerInstant>(
        _ error: any Error, attributes: SpanAttributes, at instant: @autoclosure () -> Instant
    ) {
        state.withLock { s in
            guard !s.ok, s.error == nil || s.error == "" else { return }
            s.error = "\(error)"
        }
    }

    /// Not kept: fnhost's trace has no span links.
    public func addLink(_ link: SpanLink) {}

    public func end<Instant: TracerInstant>(at instant: @autoclosure () -> Instant) {
        let ended = state.withLock { s -> State? in
            guard !s.ended else { return nil }
            s.ended = true
            return s
        }
        guard let ended, let recording else { return }
        var attributes: [String: String] = [:]
        // SpanAttributes is not a Sequence: forEach is its only way through.
        // swift-format-ignore: ReplaceForEachWithForLoop
        ended.attributes.forEach { key, value in attributes[key] = Self.text(value) }
        recording.log.close(
            recording.index, generation: recording.generation, atNs: instant().nanosecondsSinceEpoch,
            name: ended.name, error: ended.error, attributes: attributes)
    }

    /// An attribute's value as the trace shows it.
    static func text(_ value: SpanAttribute) -> String {
        switch value {
        case .int32(let v): "\(v)"
        case .int64(let v): "\(v)"
        case .double(let v): "\(v)"
        case .bool(let v): "\(v)"
        case .string(let v): v
        case .stringConvertible(let v): v.description
        case .int32Array(let v): "\(v)"
        case .int64Array(let v): "\(v)"
        case .doubleArray(let v): "\(v)"
        case .boolArray(let v): "\(v)"
        case .stringArray(let v): "\(v)"
        case .stringConvertibleArray(let v): "[" + v.map(\.description).joined(separator: ", ") + "]"
        default: ""
        }
    }
}
